from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "waypoint.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from waypoint.accounts.sign_in import sign_in_failed_record
        from waypoint.core.session import session_start

        # Fixes the session's end when a person signs in, so the timeout warning is exact.
        user_logged_in.connect(session_start, dispatch_uid="waypoint-session-start")
        # Every failed sign-in is in the audit trail (accounts/sign_in.py).
        user_login_failed.connect(sign_in_failed_record, dispatch_uid="waypoint-audit-sign-in")
