"""Pure standards rules: no Django, no database, no clock."""
