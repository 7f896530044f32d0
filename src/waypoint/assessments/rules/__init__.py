"""Pure needs-assessment rules (waypoint-hna-1): no Django, no database, no clock."""
