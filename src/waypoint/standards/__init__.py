"""Care-standards audit (waypoint-standards-1)."""
