"""The export's routes under /fhir (docs/fhir.md, "Export and REST")."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from waypoint.fhir.export import views

urlpatterns: list[URLPattern] = [
    path("fhir/metadata", views.metadata, name="fhir-metadata"),
    path("fhir/Patient/<str:resource_id>/$everything", views.everything, name="fhir-everything"),
    path("fhir/<str:resource_type>/<str:resource_id>", views.read, name="fhir-read"),
    path("fhir/<str:resource_type>", views.search_type, name="fhir-search"),
    # Last of all /fhir routes (the import's come first in fhir/urls.py).
    re_path(r"^fhir/.+", views.not_found),
]
