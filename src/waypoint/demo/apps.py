from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "waypoint.demo"
    label = "demo"
    verbose_name = "Demo data"
