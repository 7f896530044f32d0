"""What the registry tells the apps built on it, without importing them.

The registry sits below careteam (STYLE.md, "Layers point one way"), so a death recorded here
cannot call careteam to end the key worker's assignment. The registry announces it instead and
careteam answers: careteam connects its receiver at start-up (``careteam/apps.py``).
"""

from __future__ import annotations

from django.dispatch import Signal

patient_died = Signal()
"""Sent with ``actor`` (a User, or None for the system) and ``patient`` by the service that
records a death, inside its transaction: receivers write in that same transaction, and an error
in one rolls the death back with it."""
