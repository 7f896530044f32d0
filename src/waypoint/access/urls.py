from django.urls import include, path

from waypoint.access import login, password, security

urlpatterns = [
    path("login/", login.LoginView.as_view(), name="login"),
    path("logout/", login.LogoutView.as_view(), name="logout"),
    path("session/extend/", login.session_extend, name="session_extend"),
    path("account/security/", security.account_security, name="account_security"),
    path("sso/", include("waypoint.access.sso.urls")),
    path(
        "account/sign-out-everywhere/",
        security.sign_out_everywhere,
        name="sign_out_everywhere",
    ),
    path("account/password/", password.password_change_page, name="password_change"),
    path("password-reset/", password.password_reset, name="password_reset"),
    path("password-reset/sent/", password.password_reset_sent, name="password_reset_sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("", include("waypoint.access.mfa.urls")),
]
