"""The FHIR R4 endpoint at /fhir: import (a transaction or collection Bundle) and export (read,
search, ``$everything``, the CapabilityStatement)."""

from __future__ import annotations

from waypoint.fhir import export_urls, import_urls

urlpatterns = [*import_urls.urlpatterns, *export_urls.urlpatterns]
