from __future__ import annotations

from typing import Protocol

from django.db.models import QuerySet

from waypoint.audit.models import AuditEvent


class Person(Protocol):
    """A person in the registry (registry.Patient), as far as the trail needs to know."""

    @property
    def pk(self) -> int: ...

    @property
    def user_id(self) -> int | None: ...


def access_log_for_patient(patient: Person) -> QuerySet[AuditEvent]:
    """Everyone who touched this record; the caller has already been allowed to open it."""
    return AuditEvent.objects.filter(patient_id=patient.pk).select_related("actor")


def access_log_for_person(patient: Person) -> QuerySet[AuditEvent]:
    """What the person sees on the portal: others' reads and changes of their record.

    Their own visits are left out; otherwise every page they open would bury the staff views
    the page exists to show. Automatic actions (no actor) stay in.
    """
    events = access_log_for_patient(patient)
    if patient.user_id is None:
        return events
    return events.exclude(actor_id=patient.user_id)
