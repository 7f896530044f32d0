from django.urls import path

from waypoint.assessments import views

urlpatterns = [
    path("portal/assessment/", views.portal_assessment, name="portal_assessment"),
    path("portal/assessment/<slug:page>/", views.portal_assessment, name="portal_assessment_page"),
    path("patients/<int:patient_id>/assessments/", views.overview, name="assessments"),
    path(
        "patients/<int:patient_id>/assessments/start/",
        views.clinician_page,
        name="assessment_start",
    ),
    path(
        "patients/<int:patient_id>/assessments/decline/",
        views.decline,
        name="assessment_decline",
    ),
    path(
        "patients/<int:patient_id>/assessments/<int:assessment_id>/decision/",
        views.decide,
        name="assessment_decision",
    ),
    path(
        "patients/<int:patient_id>/assessments/<slug:page>/",
        views.clinician_page,
        name="assessment_page",
    ),
]
