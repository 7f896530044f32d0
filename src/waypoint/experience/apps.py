from django.apps import AppConfig


class ExperienceConfig(AppConfig):
    name = "waypoint.experience"
    label = "experience"
    verbose_name = "Patient experience"
