"""Pure FHIR R4 → Waypoint mapping (no Django): resources in, frozen dataclasses and issues out.

``inbound.map_bundle`` is the entry point; ``rules`` holds the clinical inferences the import
makes (each versioned and cited), ``codes`` and ``drugs`` the vocabularies.
"""
