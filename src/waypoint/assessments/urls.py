from django.urls import path

from waypoint.assessments import plan_views, views

urlpatterns = [
    path("portal/care-plan/", plan_views.portal_plan, name="portal_care_plan"),
    path("portal/care-plan/plan.pdf", plan_views.portal_pdf, name="portal_care_plan_pdf"),
    path("patients/<int:patient_id>/care-plan/", plan_views.plan, name="care_plan"),
    path("patients/<int:patient_id>/care-plan/edit/", plan_views.edit, name="care_plan_edit"),
    path(
        "patients/<int:patient_id>/care-plan/<int:number>.pdf",
        plan_views.pdf,
        name="care_plan_pdf",
    ),
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
