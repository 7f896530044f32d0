from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "waypoint.standards"
    label = "standards"
    verbose_name = "Care standards"
