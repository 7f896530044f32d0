from django.urls import URLPattern, URLResolver, path

from waypoint.workspace import audit_views, caseload_views, record, registration, timeline_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("caseload/", caseload_views.caseload, name="caseload"),
    path("patients/new/", registration.patient_new, name="patient_new"),
    path("patients/<int:patient_id>/", record.patient_detail, name="patient_detail"),
    path("audit/", audit_views.audit_search, name="audit_search"),
    path("patients/<int:patient_id>/timeline/", timeline_views.timeline, name="timeline"),
    path("portal/timeline/", timeline_views.portal_timeline, name="portal_timeline"),
]
