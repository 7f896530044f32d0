"""Pure registry rules: no Django, no database, no clock."""
