from django.urls import path

from waypoint.experience import views

urlpatterns = [
    path("portal/survey/", views.portal_survey, name="portal_survey"),
    path("portal/survey/thanks/", views.portal_survey_thanks, name="portal_survey_thanks"),
    path("patients/<int:patient_id>/experience/paper/", views.paper_entry, name="experience_paper"),
    path(
        "patients/<int:patient_id>/experience/paper/<int:response_id>/",
        views.paper_done,
        name="experience_paper_done",
    ),
    path("experience/", views.results_page, name="experience_results"),
    path("experience/export.csv", views.results_csv, name="experience_csv"),
]
