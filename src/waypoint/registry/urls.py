from django.urls import path

from waypoint.registry import views

urlpatterns = [
    path("patients/", views.search, name="patient_search"),
    path("patients/new/", views.patient_new, name="patient_new"),
    path("patients/<int:patient_id>/", views.patient_detail, name="patient_detail"),
    path(
        "patients/<int:patient_id>/secondary-diagnoses/new/",
        views.secondary_new,
        name="secondary_new",
    ),
]
