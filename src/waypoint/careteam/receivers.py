"""Careteam's answers to what the registry announces (``registry/signals.py``); connected in
``CareteamConfig.ready``. Each receiver runs inside the sender's transaction."""

from __future__ import annotations

from typing import Any

from waypoint.accounts.models import User
from waypoint.careteam.services import keyworker_end_on_death
from waypoint.registry.models import Patient


def end_key_worker_on_death(
    sender: type[Patient], *, actor: User | None, patient: Patient, **kwargs: Any
) -> None:
    """A person who has died has no key worker: the open assignment ends with the death."""
    keyworker_end_on_death(actor=actor, patient=patient)
