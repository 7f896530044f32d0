from django.urls import path

from waypoint.access.sso import views

urlpatterns = [
    path("<str:provider>/start", views.sso_start, name="sso_start"),
    path("<str:provider>/callback", views.sso_callback, name="sso_callback"),
    path("patient/not-known-yet", views.sso_patient_unknown, name="sso_patient_unknown"),
]
