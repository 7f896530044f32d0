from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "waypoint.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from waypoint.core.session import session_start

        # Fixes the session's end when a person signs in, so the timeout warning is exact.
        user_logged_in.connect(session_start, dispatch_uid="waypoint-session-start")
