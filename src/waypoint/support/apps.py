from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "waypoint.support"
    label = "support"
    verbose_name = "Support"
