"""Symptom reports, triage, response clocks and escalation."""
