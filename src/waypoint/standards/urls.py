from django.urls import path

from waypoint.standards import views

urlpatterns = [
    path("patients/<int:patient_id>/standards/", views.patient_standards, name="patient_standards"),
]
