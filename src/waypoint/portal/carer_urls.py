from django.urls import path

from waypoint.portal import carer, carer_join

urlpatterns = [
    path("join/account/", carer_join.join_account, name="carer_join_account"),
    path("join/<str:token>/", carer_join.join, name="carer_join"),
    path("", carer.home, name="carer_home"),
    path("<int:proxy_id>/", carer.person, name="carer_person"),
    path("<int:proxy_id>/appointments/", carer.appointments, name="carer_appointments"),
    path("<int:proxy_id>/resource-pack/", carer.pack, name="carer_pack"),
    path("<int:proxy_id>/symptoms/", carer.symptoms, name="carer_symptoms"),
    path(
        "<int:proxy_id>/symptoms/reports/<int:report_id>/",
        carer.symptom_result,
        name="carer_symptom_result",
    ),
    path("<int:proxy_id>/symptoms/<slug:step>/", carer.symptom_step, name="carer_symptom_step"),
]
