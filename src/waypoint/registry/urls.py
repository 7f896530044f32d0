from django.urls import path

from waypoint.registry import views

urlpatterns = [
    path("patients/", views.search, name="patient_search"),
    path("patients/<int:patient_id>/edit/", views.patient_edit, name="patient_edit"),
    path("patients/<int:patient_id>/primary-diagnoses/new/", views.primary_new, name="primary_new"),
    path("patients/<int:patient_id>/carers/new/", views.carer_new, name="carer_new"),
    path("patients/<int:patient_id>/proxies/new/", views.proxy_new, name="proxy_new"),
    path(
        "patients/<int:patient_id>/proxies/<int:proxy_id>/end/",
        views.proxy_end,
        name="proxy_end",
    ),
    path(
        "patients/<int:patient_id>/receptor-results/new/",
        views.receptor_result_new,
        name="receptor_result_new",
    ),
    path("patients/<int:patient_id>/biopsies/new/", views.biopsy_new, name="biopsy_new"),
    path(
        "patients/<int:patient_id>/secondary-diagnoses/new/",
        views.secondary_new,
        name="secondary_new",
    ),
]
