"""Who may see and change which patient records. Deny by default.

One policy, two faces: ``patients_for_actor`` filters querysets and ``can_view_patient`` answers
for one record, from the same rules, so a list and a detail page can never disagree.

Teams belong to careteam, which sits above the registry. Team membership is read through the
relations careteam attaches to the models the registry already holds (``actor.memberships``, a
patient's ``team``), so the rules stay here without the registry importing careteam. Team ids
come back as subqueries over memberships, typed as plain ``Model`` rows for the same reason.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.core.errors import ValidationFailed
from waypoint.registry.models import Patient

MIN_REASON_LENGTH = 5


class ReasonRequired(ValidationFailed):
    code = "reason_required"

    def __init__(self) -> None:
        super().__init__(
            "Say why you need this record (for example, the caller's name and why they rang). "
            "The reason is recorded.",
            fields={
                "reason": f"Say why you need to look (at least {MIN_REASON_LENGTH} characters). "
                "It is recorded."
            },
        )


def team_ids_for(actor: User) -> QuerySet[Model, int]:
    """The ids of the teams the actor is a member of."""
    return actor.memberships.values_list("team_id", flat=True)


def organisation_team_ids_for(actor: User) -> QuerySet[Model, int]:
    """The ids of every team in the organisations the actor works in (repeats are harmless in
    the ``__in`` filters this feeds)."""
    return actor.memberships.values_list("team__organisation__teams", flat=True)


def needs_reason(actor: User) -> bool:
    """Helpline nurses reach beyond their teams, so each such access carries a reason."""
    return has_permission(actor, Permission.SEARCH_ORGANISATION_PATIENTS) and not has_permission(
        actor, Permission.VIEW_TEAM_PATIENTS
    )


def patients_for_actor(actor: User, *, reason: str = "") -> QuerySet[Patient]:
    base = Patient.objects.all()
    if has_permission(actor, Permission.VIEW_TEAM_PATIENTS):
        return base.filter(team_id__in=team_ids_for(actor))
    if has_permission(actor, Permission.SEARCH_ORGANISATION_PATIENTS):
        if len(reason.strip()) < MIN_REASON_LENGTH:
            raise ReasonRequired()
        return base.filter(team_id__in=organisation_team_ids_for(actor))
    if has_permission(actor, Permission.VIEW_OWN_RECORD):
        return base.filter(user=actor)
    return base.none()


def can_view_patient(actor: User, patient: Patient, *, reason: str = "") -> bool:
    try:
        return patients_for_actor(actor, reason=reason).filter(pk=patient.pk).exists()
    except ReasonRequired:
        return False


def can_edit_patient(actor: User, patient: Patient) -> bool:
    if has_permission(actor, Permission.EDIT_TEAM_PATIENTS):
        return actor.memberships.filter(team_id=patient.team_id).exists()
    return False


def is_own_record(actor: User, patient: Patient) -> bool:
    """The actor is this person, signed in to their own record."""
    return (
        has_permission(actor, Permission.VIEW_OWN_RECORD)
        and patient.user_id is not None
        and patient.user_id == actor.pk
    )


def acts_for_patient(actor: User, patient: Patient) -> bool:
    """The person themselves, or a clinician who may change their record (their team's)."""
    return is_own_record(actor, patient) or can_edit_patient(actor, patient)


def can_edit_own_contact_details(actor: User, patient: Patient) -> bool:
    return has_permission(actor, Permission.EDIT_OWN_CONTACT_DETAILS) and is_own_record(
        actor, patient
    )


def team_ids_actor_may_register_into(actor: User) -> QuerySet[Model, int]:
    """Clinicians register into their own teams; the helpline into any team of its organisation."""
    if not has_permission(actor, Permission.REGISTER_PATIENT):
        return team_ids_for(actor).none()
    if has_permission(actor, Permission.VIEW_TEAM_PATIENTS):
        return team_ids_for(actor)
    return organisation_team_ids_for(actor)
