from django.urls import path

from waypoint.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
]
