"""Care-team writes: organisations and teams, memberships, key-worker assignment, bulk
reassignment, cover. The on-call rota is written in ``rota.py``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import Role, User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record, audit_record_many
from waypoint.careteam.models import (
    Cover,
    KeyWorkerAssignment,
    Organisation,
    Team,
    TeamMembership,
)
from waypoint.careteam.notices import key_worker_notices_record
from waypoint.careteam.policies import can_manage_team
from waypoint.careteam.rules.suggestion import distribute
from waypoint.careteam.selectors import key_worker_candidates, teams_for_manager
from waypoint.core.errors import Forbidden, NotFound, ValidationFailed
from waypoint.registry import policies as patient_policies
from waypoint.registry.models import Patient

ASSIGNMENT_OBJECT = "KeyWorkerAssignment"


@transaction.atomic
def organisation_create(*, name: str, ods_code: str) -> Organisation:
    code = ods_code.strip().upper()
    org = Organisation(name=name.strip(), ods_code=code)
    org.full_clean()
    org.save()
    return org


@transaction.atomic
def team_create(
    *,
    organisation: Organisation,
    name: str,
    in_hours_phone: str,
    out_of_hours_phone: str,
    in_hours_description: str = "Monday to Friday, 9am to 5pm",
    email: str = "",
) -> Team:
    team = Team(
        organisation=organisation,
        name=name.strip(),
        in_hours_phone=in_hours_phone.strip(),
        out_of_hours_phone=out_of_hours_phone.strip(),
        in_hours_description=in_hours_description,
        email=email,
    )
    team.full_clean()
    team.save()
    return team


MEMBERSHIP_OBJECT = "team_membership"
COVER_OBJECT = "cover"
# Who may join a team, and so see its patients.
MEMBER_ROLES = (Role.KEY_WORKER, Role.HELPLINE_NURSE, Role.ONCOLOGIST, Role.SERVICE_MANAGER)


def may_manage(actor: User | None, permission: Permission, what: str) -> None:
    """``actor`` None is Waypoint itself (set-up, imports, tests), which may."""
    if actor is not None and not has_permission(actor, permission):
        raise Forbidden(f"You cannot change {what}.")


def team_membership_problems(*, user: User | None) -> dict[str, str]:
    """Why ``user`` cannot join a team, by field; empty when they can. Forms call it too."""
    if user is None:
        return {"user": "no such user"}
    if user.role not in MEMBER_ROLES:
        return {"user": "Only staff with a clinical or management role join teams."}
    if not user.is_active:
        return {"user": "This account is inactive."}
    return {}


@transaction.atomic
def team_membership_add(
    *, team: Team, user: User, is_lead: bool = False, actor: User | None = None
) -> TeamMembership:
    """Put ``user`` in ``team`` (or change whether they lead it). Membership is what lets a
    clinician see the team's patients, so every change is audited."""
    may_manage(actor, Permission.MANAGE_TEAMS, "team memberships")
    errors = team_membership_problems(user=user)
    if errors:
        raise ValidationFailed(errors["user"], fields=errors)
    membership, created = TeamMembership.objects.update_or_create(
        user=user, team=team, defaults={"is_lead": is_lead}
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        patient=None,
        object_type=MEMBERSHIP_OBJECT,
        object_id=membership.pk,
        detail=f"{user.username} in team {team.pk}{' as lead' if is_lead else ''}",
    )
    return membership


@transaction.atomic
def team_membership_remove(*, actor: User | None, membership_id: int) -> None:
    may_manage(actor, Permission.MANAGE_TEAMS, "team memberships")
    membership = TeamMembership.objects.select_related("user").filter(pk=membership_id).first()
    if membership is None:
        raise NotFound()
    detail = f"{membership.user.username} removed from team {membership.team_id}"
    membership.delete()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=None,
        object_type=MEMBERSHIP_OBJECT,
        object_id=membership_id,
        detail=detail,
    )


def _validate_key_worker(key_worker: User | None, patient: Patient) -> dict[str, str]:
    if key_worker is None:
        return {"user": "no such user"}
    if key_worker.role != Role.KEY_WORKER or not key_worker.is_active:
        return {"user": "a named key worker must be an active clinical nurse specialist"}
    if not TeamMembership.objects.filter(user=key_worker, team_id=patient.team_id).exists():
        return {"user": "must be a member of the person's team"}
    return {}


@transaction.atomic
def keyworker_assign(
    *, actor: User | None, patient: Patient, key_worker_id: int, reason: str
) -> KeyWorkerAssignment:
    """Make ``key_worker`` the patient's named key worker, ending any current assignment."""
    if actor is not None:
        if not has_permission(actor, Permission.ASSIGN_KEY_WORKER):
            if patient_policies.can_view_patient(actor, patient):
                raise Forbidden("You cannot assign key workers.")
            raise NotFound()
        if not patient_policies.can_edit_patient(actor, patient):
            raise NotFound()
    locked = Patient.objects.select_for_update().get(pk=patient.pk)
    key_worker = User.objects.filter(pk=key_worker_id).first()
    errors = _validate_key_worker(key_worker, locked)
    if not reason.strip():
        errors["reason"] = "say why (for example 'new diagnosis' or 'moved closer to home')"
    if locked.died_on is not None:
        errors["patient"] = "this person has died"
    if errors:
        raise ValidationFailed("The key worker could not be assigned.", fields=errors)
    assert key_worker is not None  # noqa: S101  # validated above
    now = timezone.now()
    current = KeyWorkerAssignment.objects.filter(patient=locked, ended_at__isnull=True).first()
    if current is not None:
        if current.key_worker_id == key_worker.pk:
            raise ValidationFailed(
                "This person already has that key worker.", fields={"user": "already assigned"}
            )
        current.ended_at = now
        current.end_reason = reason.strip()
        current.ended_by = actor
        current.save(update_fields=["ended_at", "end_reason", "ended_by"])
    assignment = KeyWorkerAssignment.objects.create(
        patient=locked,
        key_worker=key_worker,
        started_at=now,
        start_reason=reason.strip(),
        assigned_by=actor,
    )
    key_worker_notices_record(assignments=[assignment], now=now)
    audit_record(
        actor=actor,
        action=AuditAction.ASSIGN,
        patient=locked,
        object_type=ASSIGNMENT_OBJECT,
        object_id=assignment.pk,
        detail=f"key worker {key_worker.username}",
    )
    return assignment


@transaction.atomic
def keyworker_end_on_death(*, actor: User | None, patient: Patient) -> None:
    current = KeyWorkerAssignment.objects.filter(patient=patient, ended_at__isnull=True).first()
    if current is None:
        return
    current.ended_at = timezone.now()
    current.end_reason = "Person died"
    current.ended_by = actor
    current.save(update_fields=["ended_at", "end_reason", "ended_by"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=patient,
        object_type=ASSIGNMENT_OBJECT,
        object_id=current.pk,
        detail="ended: person died",
    )


@transaction.atomic
def keyworker_bulk_reassign(
    *,
    actor: User,
    from_user_id: int,
    to_user_id: int | None,
    reason: str,
    day: dt.date,
    team_id: int | None = None,
) -> int:
    """Move every current patient of one key worker, to one colleague or balanced across the team.

    For when a nurse leaves. The manager sees only counts; each moved patient gets an audit event.
    With ``team_id``, only that team's patients move: what a team's lead may do for a member
    leaving their team (``careteam.policies.can_manage_team``), as well as a manager.
    """
    team = Team.objects.filter(pk=team_id).first() if team_id is not None else None
    if team_id is not None and team is None:
        raise NotFound()
    if team is not None and can_manage_team(actor, team):
        from_user = User.objects.filter(pk=from_user_id, memberships__team=team).distinct().first()
    elif has_permission(actor, Permission.BULK_REASSIGN_KEY_WORKER):
        manager_teams = teams_for_manager(actor)
        if team is not None and not manager_teams.filter(pk=team.pk).exists():
            raise NotFound()
        from_user = (
            User.objects.filter(pk=from_user_id, memberships__team__in=manager_teams)
            .distinct()
            .first()
        )
    elif team is not None:
        raise NotFound()
    else:
        raise Forbidden("Only a service manager can reassign a whole caseload.")
    if from_user is None:
        raise NotFound("No such key worker in your organisation.")
    if not reason.strip():
        raise ValidationFailed("Say why.", fields={"reason": "required"})
    current = KeyWorkerAssignment.objects.select_for_update().filter(
        key_worker=from_user, ended_at__isnull=True
    )
    if team is not None:
        current = current.filter(patient__team=team)
    assignments = list(current.select_related("patient").order_by("patient__team_id", "patient_id"))
    if not assignments:
        return 0
    targets: list[int] = []
    if to_user_id is not None:
        if to_user_id == from_user.pk:
            raise ValidationFailed("Choose someone else.", fields={"to_user": "same person"})
        to_user = User.objects.filter(pk=to_user_id).first()
        for assignment in assignments:
            errors = _validate_key_worker(to_user, assignment.patient)
            if errors:
                raise ValidationFailed(
                    "The caseload could not be moved to that person.",
                    fields={"to_user": errors["user"]},
                )
        targets = [to_user_id] * len(assignments)
    else:
        by_team: dict[int, list[KeyWorkerAssignment]] = {}
        for assignment in assignments:
            by_team.setdefault(assignment.patient.team_id, []).append(assignment)
        ordered: list[KeyWorkerAssignment] = []
        for team_id, team_assignments in by_team.items():
            team = Team.objects.get(pk=team_id)
            candidates = [
                c for c in key_worker_candidates(team, day=day) if c.user_id != from_user.pk
            ]
            if not candidates:
                raise ValidationFailed(
                    f"No other key worker in {team.name} to take these patients.",
                    fields={"to_user": "choose a named colleague"},
                )
            targets.extend(distribute(len(team_assignments), candidates))
            ordered.extend(team_assignments)
        assignments = ordered
    now = timezone.now()
    KeyWorkerAssignment.objects.filter(pk__in=[a.pk for a in assignments]).update(
        ended_at=now, end_reason=reason.strip(), ended_by=actor
    )
    created = KeyWorkerAssignment.objects.bulk_create(
        KeyWorkerAssignment(
            patient_id=a.patient_id,
            key_worker_id=target,
            started_at=now,
            start_reason=reason.strip(),
            assigned_by=actor,
        )
        for a, target in zip(assignments, targets, strict=True)
    )
    key_worker_notices_record(assignments=created, now=now)
    audit_record_many(
        actor=actor,
        action=AuditAction.ASSIGN,
        patient_ids=[a.patient_id for a in assignments],
        object_type=ASSIGNMENT_OBJECT,
        reason=reason.strip(),
        detail=f"caseload of {from_user.username} reassigned",
    )
    return len(assignments)


@transaction.atomic
def cover_arrange(
    *,
    actor: User,
    absent_user_id: int,
    cover_user_id: int,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str = "Annual leave",
) -> Cover:
    """A key worker arranges their own cover; a manager, anyone's in their organisation."""
    if not has_permission(actor, Permission.ARRANGE_COVER):
        raise Forbidden("You cannot arrange cover.")
    absent = User.objects.filter(pk=absent_user_id, is_active=True).first()
    cover = User.objects.filter(pk=cover_user_id, is_active=True).first()
    errors: dict[str, str] = {}
    if absent is None:
        errors["absent_user"] = "no such user"
    elif actor.role == Role.KEY_WORKER and absent.pk != actor.pk:
        errors["absent_user"] = "you can arrange cover for your own absence only"
    elif (
        actor.role == Role.SERVICE_MANAGER
        and not TeamMembership.objects.filter(
            user=absent, team__in=teams_for_manager(actor)
        ).exists()
    ):
        errors["absent_user"] = "not in your organisation"
    if cover is None or not cover.is_clinician or cover.role == Role.HELPLINE_NURSE:
        errors["cover_user"] = "choose a key worker or oncologist"
    elif absent is not None and cover.pk == absent.pk:
        errors["cover_user"] = "choose someone other than the person who is away"
    elif (
        absent is not None
        and not TeamMembership.objects.filter(
            user=cover, team__in=TeamMembership.objects.filter(user=absent).values("team_id")
        ).exists()
    ):
        errors["cover_user"] = "must share a team with the person who is away"
    if ends_on < starts_on:
        errors["ends_on"] = "must be on or after the first day"
    if errors:
        raise ValidationFailed("Cover could not be arranged.", fields=errors)
    assert absent is not None and cover is not None  # noqa: S101  # validated above
    arranged = Cover.objects.create(
        absent_user=absent,
        cover_user=cover,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason.strip() or "Annual leave",
        created_by=actor,
    )
    # Cover lets the covering clinician act for the absent one's patients: audited.
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=None,
        object_type=COVER_OBJECT,
        object_id=arranged.pk,
        detail=f"{cover.username} covers {absent.username} {starts_on} to {ends_on}",
    )
    return arranged


@transaction.atomic
def cover_cancel(*, actor: User, cover_id: int) -> None:
    cover = Cover.objects.filter(pk=cover_id, cancelled_at__isnull=True).first()
    if cover is None:
        raise NotFound()
    if actor.pk not in (cover.absent_user_id, cover.created_by_id) and not has_permission(
        actor, Permission.BULK_REASSIGN_KEY_WORKER
    ):
        raise NotFound()
    Cover.objects.filter(pk=cover.pk).update(cancelled_at=timezone.now())
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=None,
        object_type=COVER_OBJECT,
        object_id=cover.pk,
        detail="cancelled",
    )
