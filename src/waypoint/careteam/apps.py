from django.apps import AppConfig


class CareteamConfig(AppConfig):
    name = "waypoint.careteam"
    label = "careteam"
    verbose_name = "Care teams"

    def ready(self) -> None:
        from waypoint.careteam import receivers
        from waypoint.registry.signals import patient_died

        patient_died.connect(receivers.end_key_worker_on_death, dispatch_uid="careteam-death")
