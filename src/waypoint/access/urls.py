from django.urls import path

from waypoint.access import login

urlpatterns = [
    path("login/", login.LoginView.as_view(), name="login"),
    path("logout/", login.LogoutView.as_view(), name="logout"),
    path("session/extend/", login.session_extend, name="session_extend"),
]
