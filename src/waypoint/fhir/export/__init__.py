"""Waypoint → hospital systems: FHIR R4 read, search and Patient/$everything."""
