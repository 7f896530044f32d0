"""Pure care-team rules: no Django, no database, no clock."""
