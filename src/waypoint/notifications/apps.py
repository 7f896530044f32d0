from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "waypoint.notifications"
    label = "notifications"
    verbose_name = "Notifications"
