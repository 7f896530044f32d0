from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "waypoint.fhir"
    label = "fhir"
    verbose_name = "FHIR R4 and mCODE"
