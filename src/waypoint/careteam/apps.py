from django.apps import AppConfig


class CareteamConfig(AppConfig):
    name = "waypoint.careteam"
    label = "careteam"
    verbose_name = "Care teams"
