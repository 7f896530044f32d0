"""Waypoint → FHIR R4 (mCODE where a profile applies), mapping version
``waypoint-fhir-outbound-1``. Pure: frozen facts in (``facts``), resources as dicts out."""

from waypoint.fhir.mapping.outbound.common import VERSION

__all__ = ["VERSION"]
