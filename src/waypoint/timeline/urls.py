from django.urls import path

from waypoint.timeline import views

urlpatterns = [
    path("patients/<int:patient_id>/timeline/", views.timeline, name="timeline"),
    path("portal/timeline/", views.portal_timeline, name="portal_timeline"),
]
