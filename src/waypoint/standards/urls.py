from django.urls import path

from waypoint.standards import dashboard_views, views

urlpatterns = [
    path("standards/", dashboard_views.standards_dashboard, name="standards_dashboard"),
    path("standards/export.csv", dashboard_views.standards_csv, name="standards_csv"),
    path("standards/<str:code>/not-met/", dashboard_views.drill_down, name="standards_not_met"),
    path("patients/<int:patient_id>/standards/", views.patient_standards, name="patient_standards"),
]
