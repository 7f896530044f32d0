from django.urls import URLPattern, URLResolver, path

from waypoint.workspace import record, registration

urlpatterns: list[URLPattern | URLResolver] = [
    path("patients/new/", registration.patient_new, name="patient_new"),
    path("patients/<int:patient_id>/", record.patient_detail, name="patient_detail"),
]
