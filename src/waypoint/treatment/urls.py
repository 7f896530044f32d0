from django.urls import path

from waypoint.treatment import views

urlpatterns = [
    path("patients/<int:patient_id>/treatment/new/", views.line_start, name="treatment_start"),
    path("treatment-lines/<int:line_id>/stop/", views.line_stop, name="treatment_stop"),
    path("treatment-lines/<int:line_id>/cycles/new/", views.cycle_new, name="treatment_cycle_new"),
]
