"""Pure triage rules (waypoint-triage-1): no Django, no database, no clock."""
