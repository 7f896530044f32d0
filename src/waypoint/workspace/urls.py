from django.urls import URLPattern, URLResolver, path

from waypoint.workspace import (
    audit_views,
    caseload_views,
    portal_invitations,
    record,
    registration,
    timeline_views,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("caseload/", caseload_views.caseload, name="caseload"),
    path("patients/new/", registration.patient_new, name="patient_new"),
    path("patients/<int:patient_id>/", record.patient_detail, name="patient_detail"),
    path(
        "patients/<int:patient_id>/portal-invitation/",
        portal_invitations.send,
        name="portal_invitation_send",
    ),
    path(
        "patients/<int:patient_id>/portal-invitation/letter.pdf",
        portal_invitations.letter,
        name="portal_invitation_letter",
    ),
    path("audit/", audit_views.audit_search, name="audit_search"),
    path("patients/<int:patient_id>/timeline/", timeline_views.timeline, name="timeline"),
    path("portal/timeline/", timeline_views.portal_timeline, name="portal_timeline"),
    path(
        "portal/carer/<int:proxy_id>/timeline/",
        timeline_views.carer_timeline,
        name="carer_timeline",
    ),
]
