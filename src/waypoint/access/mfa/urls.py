from django.urls import path

from waypoint.access.mfa import signin_views, views

urlpatterns = [
    path("login/verify/", signin_views.login_verify, name="login_verify"),
    path(
        "login/verify/recovery-code/",
        signin_views.login_verify_recovery,
        name="login_verify_recovery",
    ),
    path(
        "login/verify/passkey/options/",
        signin_views.login_verify_passkey_options,
        name="login_verify_passkey_options",
    ),
    path("login/verify/passkey/", signin_views.login_verify_passkey, name="login_verify_passkey"),
    path(
        "account/security/authenticator/",
        views.authenticator_add,
        name="mfa_authenticator_add",
    ),
    path(
        "account/security/authenticator/remove/",
        views.authenticator_remove,
        name="mfa_authenticator_remove",
    ),
    path(
        "account/security/passkeys/options/",
        views.passkey_options,
        name="mfa_passkey_options",
    ),
    path("account/security/passkeys/", views.passkey_add, name="mfa_passkey_add"),
    path(
        "account/security/passkeys/<int:passkey_id>/remove/",
        views.passkey_remove,
        name="mfa_passkey_remove",
    ),
    path(
        "account/security/recovery-codes/",
        views.recovery_codes,
        name="mfa_recovery_codes",
    ),
    path(
        "account/security/recovery-codes/new/",
        views.recovery_codes_regenerate,
        name="mfa_recovery_codes_regenerate",
    ),
]
