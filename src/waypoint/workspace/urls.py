from django.urls import URLPattern, URLResolver, path

from waypoint.workspace import record, registration, timeline_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("patients/new/", registration.patient_new, name="patient_new"),
    path("patients/<int:patient_id>/", record.patient_detail, name="patient_detail"),
    path("patients/<int:patient_id>/timeline/", timeline_views.timeline, name="timeline"),
    path("portal/timeline/", timeline_views.portal_timeline, name="portal_timeline"),
]
