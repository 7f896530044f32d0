from django.urls import path

from waypoint.portal import carer_join

urlpatterns = [
    path("join/account/", carer_join.join_account, name="carer_join_account"),
    path("join/<str:token>/", carer_join.join, name="carer_join"),
]
