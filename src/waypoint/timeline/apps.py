from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "waypoint.timeline"
    label = "timeline"
    verbose_name = "Timeline"
