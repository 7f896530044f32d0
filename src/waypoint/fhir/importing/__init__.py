"""Importing FHIR Bundles into Waypoint (see ``bundle`` for how one bundle is written)."""

from waypoint.fhir.importing.bundle import bundle_import, can_import, inbound_config
from waypoint.fhir.importing.report import EntryResult, ImportReport, bundle_response

__all__ = [
    "EntryResult",
    "ImportReport",
    "bundle_import",
    "bundle_response",
    "can_import",
    "inbound_config",
]
