from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "waypoint.registry"
    label = "registry"
