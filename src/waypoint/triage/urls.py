from django.urls import path

from waypoint.triage import views

urlpatterns = [
    path("triage/", views.queue, name="triage_queue"),
    path("triage/reports/<int:report_id>/", views.report_detail, name="triage_report"),
    path(
        "triage/reports/<int:report_id>/acknowledge/",
        views.acknowledge,
        name="triage_acknowledge",
    ),
    path("triage/reports/<int:report_id>/close/", views.close, name="triage_close"),
    path("helpline/call/", views.helpline_call, name="helpline_call"),
    path("helpline/grade/", views.helpline_grade, name="helpline_grade"),
    path("helpline/unregistered/", views.unregistered_calls, name="triage_unregistered"),
    path("helpline/calls/<int:call_id>/link/", views.link_call, name="triage_link_call"),
]
