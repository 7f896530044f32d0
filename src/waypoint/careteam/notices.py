"""Telling a person about their new key worker: on the portal, or by a printed letter.

A named key worker is the person's first point of contact (NICE QS12, statement 3), so a change
is only done when the person knows about it. The assigning services write a notice in their own
transaction (``key_worker_notices_record``); the portal shows the unseen one until the person or
their carer says they have read it; people without a portal account are on the team's list of
letters to print until someone marks theirs printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from waypoint.accounts.models import Role, User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.careteam.models import KeyWorkerAssignment, KeyWorkerNotice
from waypoint.core.errors import NotFound
from waypoint.registry import policies as patient_policies
from waypoint.registry.models import Patient

NOTICE_OBJECT = "key_worker_notice"


def key_worker_notices_record(
    *, assignments: Sequence[KeyWorkerAssignment], now: dt.datetime
) -> list[KeyWorkerNotice]:
    """A notice for each new assignment. Called inside the assigning service's transaction;
    the one-to-one link to the assignment means an assignment is never announced twice."""
    if not assignments:
        return []
    without_account = set(
        Patient.objects.filter(
            pk__in=[a.patient_id for a in assignments], user__isnull=True
        ).values_list("pk", flat=True)
    )
    already = set(
        KeyWorkerNotice.objects.filter(assignment__in=assignments).values_list(
            "assignment_id", flat=True
        )
    )
    return KeyWorkerNotice.objects.bulk_create(
        KeyWorkerNotice(
            patient_id=a.patient_id,
            assignment=a,
            created_at=now,
            by_letter=a.patient_id in without_account,
        )
        for a in assignments
        if a.pk not in already
    )


def _current(notices: QuerySet[KeyWorkerNotice]) -> QuerySet[KeyWorkerNotice]:
    """Notices still worth telling: the assignment has not been ended since (a later change has
    its own notice) and the person is alive."""
    return notices.filter(assignment__ended_at__isnull=True, patient__died_on__isnull=True)


def key_worker_notice_unseen(patient: Patient) -> KeyWorkerNotice | None:
    """The notice to show the person on the portal, with what the include needs to draw it."""
    return (
        _current(KeyWorkerNotice.objects.filter(patient=patient, seen_at__isnull=True))
        .select_related("assignment__key_worker", "patient__team")
        .order_by("-created_at", "-id")
        .first()
    )


def _acts_for_as_carer(actor: User, patient: Patient) -> bool:
    """A carer with an active grant from this person. Every grant includes seeing the key worker
    and the team's numbers (registry ``ProxyAccess``), so every carer may acknowledge this."""
    if actor.role != Role.CARER or not has_permission(actor, Permission.ACT_AS_PROXY):
        return False
    return Patient.objects.filter(
        pk=patient.pk, proxies__carer=actor, proxies__ended_at__isnull=True
    ).exists()


@transaction.atomic
def key_worker_notice_seen(*, actor: User, notice_id: int) -> KeyWorkerNotice:
    """The person (or their carer) has read that their key worker changed. Older unseen notices
    of theirs are done with too: the latest names the key worker they have now."""
    notice = (
        KeyWorkerNotice.objects.select_for_update(of=("self",))
        .select_related("patient")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None or not (
        patient_policies.is_own_record(actor, notice.patient)
        or _acts_for_as_carer(actor, notice.patient)
    ):
        raise NotFound()
    if notice.seen_at is not None:
        return notice
    now = timezone.now()
    KeyWorkerNotice.objects.filter(
        patient_id=notice.patient_id, seen_at__isnull=True, created_at__lte=notice.created_at
    ).update(seen_at=now)
    notice.seen_at = now
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=notice.patient,
        object_type=NOTICE_OBJECT,
        object_id=notice.pk,
        detail="new key worker: read by the person"
        if actor.role != Role.CARER
        else "read by carer",
    )
    return notice


def letters_to_print(actor: User, *, team_id: int | None = None) -> QuerySet[KeyWorkerNotice]:
    """People told by letter whose letter is not printed yet, in the actor's teams, oldest
    first. Clinicians of the team only: the list names patients."""
    if not has_permission(actor, Permission.VIEW_TEAM_PATIENTS):
        return KeyWorkerNotice.objects.none()
    notices = _current(
        KeyWorkerNotice.objects.filter(
            by_letter=True,
            letter_printed_at__isnull=True,
            patient__in=patient_policies.patients_for_actor(actor),
        )
    )
    if team_id is not None:
        notices = notices.filter(patient__team_id=team_id)
    return notices.select_related("patient", "assignment__key_worker").order_by("created_at", "id")


@transaction.atomic
def key_worker_letter_printed(*, actor: User, notice_id: int) -> KeyWorkerNotice:
    """Someone in the team printed the letter (and will post it). Audited, since a letter that
    was marked printed and never sent leaves a person not knowing who their key worker is."""
    notice = (
        letters_to_print(actor)
        .select_for_update(of=("self",))
        .select_related(None)
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        found = KeyWorkerNotice.objects.select_related("patient").filter(pk=notice_id).first()
        if (
            found is not None
            and found.letter_printed_at is not None
            and has_permission(actor, Permission.VIEW_TEAM_PATIENTS)
            and patient_policies.can_view_patient(actor, found.patient)
        ):
            return found  # printed already (a second click): nothing to change
        raise NotFound()
    notice.letter_printed_at = timezone.now()
    notice.save(update_fields=["letter_printed_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=notice.patient,
        object_type=NOTICE_OBJECT,
        object_id=notice.pk,
        detail="new key worker letter printed",
    )
    return notice


@dataclass(frozen=True)
class LettersWaiting:
    team_id: int
    team_name: str
    count: int


def letters_waiting_by_team(actor: User) -> list[LettersWaiting]:
    """How many letters each of the actor's teams has to print, for a reminder on the pages key
    workers use every day. One query."""
    rows = (
        letters_to_print(actor)
        .select_related(None)
        .order_by()
        .values("patient__team_id", "patient__team__name")
        .annotate(n=Count("id"))
        .order_by("patient__team__name")
    )
    return [
        LettersWaiting(
            team_id=r["patient__team_id"], team_name=r["patient__team__name"], count=r["n"]
        )
        for r in rows
    ]
