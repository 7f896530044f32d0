from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "waypoint.triage"
    label = "triage"
    verbose_name = "Triage"
