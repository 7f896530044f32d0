"""Pure rules of the population reports (no Django)."""
