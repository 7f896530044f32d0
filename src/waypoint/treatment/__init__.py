"""Treatment lines: the systemic therapy that sets triage context and check-in cadence."""
