"""The on-call rota: who answers for a team's triage reports between two instants.

The clinician on call is alerted about the team's red reports out of hours and is the second step
of the escalation chain, so every change to the rota is checked and audited here.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from waypoint.accounts.models import Role, User
from waypoint.accounts.policies import Permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.careteam.models import OnCallShift, Team
from waypoint.careteam.services import may_manage
from waypoint.core.errors import NotFound, ValidationFailed

ON_CALL_OBJECT = "on_call_shift"
ON_CALL_ROLES = (Role.KEY_WORKER, Role.HELPLINE_NURSE, Role.ONCOLOGIST)


def on_call_shift_problems(
    *, clinician: User | None, starts_at: dt.datetime, ends_at: dt.datetime
) -> dict[str, str]:
    """Why a shift cannot be kept, by field; empty when it can. Forms call it too."""
    errors: dict[str, str] = {}
    if clinician is None:
        errors["clinician"] = "no such user"
    elif clinician.role not in ON_CALL_ROLES or not clinician.is_active:
        errors["clinician"] = "choose an active key worker, helpline nurse or oncologist"
    if ends_at <= starts_at:
        errors["ends_at"] = "must be after the start"
    return errors


def _on_call_detail(shift: OnCallShift, clinician: User) -> str:
    return (
        f"{clinician.username} on call for team {shift.team_id} "
        f"{shift.starts_at.isoformat()} to {shift.ends_at.isoformat()}"
    )


@transaction.atomic
def on_call_shift_save(
    *,
    actor: User | None,
    team: Team,
    clinician_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    shift_id: int | None = None,
) -> OnCallShift:
    """Add a shift to the on-call rota, or change one (``shift_id``). The clinician on call is
    alerted about the team's red reports out of hours, so every change is audited."""
    may_manage(actor, Permission.MANAGE_ON_CALL, "the on-call rota")
    clinician = User.objects.filter(pk=clinician_id).first()
    errors = on_call_shift_problems(clinician=clinician, starts_at=starts_at, ends_at=ends_at)
    if errors:
        raise ValidationFailed("The shift could not be saved.", fields=errors)
    assert clinician is not None  # noqa: S101  # validated above
    if shift_id is None:
        if actor is None:
            raise ValidationFailed("Say who set up the shift.", fields={"actor": "required"})
        shift = OnCallShift(created_by=actor)
    else:
        found = OnCallShift.objects.select_for_update().filter(pk=shift_id).first()
        if found is None:
            raise NotFound()
        shift = found
    shift.team = team
    shift.clinician = clinician
    shift.starts_at = starts_at
    shift.ends_at = ends_at
    shift.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if shift_id is None else AuditAction.UPDATE,
        patient=None,
        object_type=ON_CALL_OBJECT,
        object_id=shift.pk,
        detail=_on_call_detail(shift, clinician),
    )
    return shift


@transaction.atomic
def on_call_shift_remove(*, actor: User | None, shift_id: int) -> None:
    may_manage(actor, Permission.MANAGE_ON_CALL, "the on-call rota")
    shift = OnCallShift.objects.select_related("clinician").filter(pk=shift_id).first()
    if shift is None:
        raise NotFound()
    detail = "removed: " + _on_call_detail(shift, shift.clinician)
    shift.delete()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=None,
        object_type=ON_CALL_OBJECT,
        object_id=shift_id,
        detail=detail,
    )
