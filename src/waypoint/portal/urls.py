from django.urls import include, path

from waypoint.portal import join, proxies, symptom_views, views

urlpatterns = [
    path("", views.home, name="portal_home"),
    path("access/", views.access, name="portal_access"),
    path("carer/", include("waypoint.portal.carer_urls")),
    path("carers/", proxies.carers, name="portal_carers"),
    path("carers/<int:proxy_id>/scopes/", proxies.carer_change, name="portal_carer_scopes"),
    path("carers/<int:proxy_id>/resend/", proxies.carer_resend, name="portal_carer_resend"),
    path("carers/<int:proxy_id>/end/", proxies.carer_end, name="portal_carer_end"),
    path("join/sign-in-service/", join.sso_link, name="portal_sso_link"),
    path("join/letter/", join.join_by_letter, name="portal_join_letter"),
    path("join/account/", join.join_account, name="portal_join_account"),
    path("join/<str:token>/", join.join, name="portal_join"),
    path("symptoms/", symptom_views.start, name="portal_symptoms"),
    path("symptoms/reports/<int:report_id>/", symptom_views.result, name="portal_symptom_result"),
    path("symptoms/<slug:step>/", symptom_views.step_view, name="portal_symptom_step"),
]
