from django.urls import path

from waypoint.portal import views

urlpatterns = [
    path("", views.home, name="portal_home"),
    path("access/", views.access, name="portal_access"),
]
