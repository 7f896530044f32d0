from __future__ import annotations

from django.urls import URLPattern, path

from waypoint.fhir import views

# POST a Bundle to the service base, with or without the trailing slash (a POST cannot follow
# Django's APPEND_SLASH redirect).
urlpatterns: list[URLPattern] = [
    path("fhir", views.bundle_post, name="fhir-import"),
    path("fhir/", views.bundle_post),
]
