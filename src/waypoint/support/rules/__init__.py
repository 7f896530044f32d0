"""Pure support rules: no Django, no database, no clock."""
