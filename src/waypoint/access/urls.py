from django.urls import path

from waypoint.access import login, security

urlpatterns = [
    path("login/", login.LoginView.as_view(), name="login"),
    path("logout/", login.LogoutView.as_view(), name="logout"),
    path("session/extend/", login.session_extend, name="session_extend"),
    path("account/security/", security.account_security, name="account_security"),
    path(
        "account/sign-out-everywhere/",
        security.sign_out_everywhere,
        name="sign_out_everywhere",
    ),
]
