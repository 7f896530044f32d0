from django.apps import AppConfig


class AccessConfig(AppConfig):
    """How people get in: signing in (password, second factor, single sign-on), password reset,
    the account security page, and how long a session lasts."""

    name = "waypoint.access"
    label = "access"
