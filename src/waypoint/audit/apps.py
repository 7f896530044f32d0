from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "waypoint.audit"
    label = "audit"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from waypoint.audit.sign_in import sign_in_failed_record

        # Every failed sign-in is in the trail (audit/sign_in.py).
        user_login_failed.connect(sign_in_failed_record, dispatch_uid="waypoint-audit-sign-in")
