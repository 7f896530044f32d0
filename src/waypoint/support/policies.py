"""Who may record what about a person's support. Deny by default."""

from __future__ import annotations

from waypoint.accounts.models import User
from waypoint.registry import policies as registry_policies
from waypoint.registry.models import Patient


def can_record_offer(actor: User, patient: Patient) -> bool:
    """An offer of support is the care team's account of what they did: it meets care standard
    SUP1 and takes it off the team's to-do list. So only the person's own clinicians (their
    team's key workers and oncologists) record one. The person asks for support themselves by
    referring themselves (``services.referral_create``), never by recording an offer."""
    return registry_policies.can_edit_patient(actor, patient)
