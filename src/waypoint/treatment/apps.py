from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    name = "waypoint.treatment"
    label = "treatment"
    verbose_name = "Treatment"
