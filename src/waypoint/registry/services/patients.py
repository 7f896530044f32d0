"""Registering, finding, opening and changing a person's record; recording a death."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record, audit_record_many
from waypoint.core.errors import Forbidden, NotFound, ValidationFailed
from waypoint.core.pagination import Page, paginate
from waypoint.registry import policies
from waypoint.registry.models import (
    ContactMethod,
    Patient,
    PatientIdentifier,
    ProxyEndReason,
    Sex,
)
from waypoint.registry.rules.nhs_number import InvalidNhsNumber, normalise_nhs_number
from waypoint.registry.selectors import patient_search_queryset
from waypoint.registry.services.proxy_ending import proxy_access_end_all
from waypoint.registry.signals import patient_died

PATIENT_OBJECT = "Patient"
EMAIL_INVALID = "Enter an email address like name@example.com."


@dataclass(frozen=True)
class IdentifierInput:
    system: str
    value: str


def _today() -> dt.date:
    return timezone.localdate()


def check_choice(value: str, allowed: Sequence[str], field: str, errors: dict[str, str]) -> None:
    if value not in allowed:
        errors[field] = f"must be one of: {', '.join(allowed)}"


def check_not_future(value: dt.date | None, field: str, errors: dict[str, str]) -> None:
    if value is not None and value > _today():
        errors[field] = "cannot be in the future"


def check_not_before_birth(
    value: dt.date | None, birth_date: dt.date, field: str, errors: dict[str, str]
) -> None:
    if value is not None and value < birth_date:
        errors[field] = "cannot be before the date of birth"


def check_email(value: str, field: str, errors: dict[str, str]) -> None:
    """Django's own email validator, one message for forms, the API and imports alike."""
    if value.strip():
        try:
            validate_email(value.strip())
        except DjangoValidationError:
            errors[field] = EMAIL_INVALID


def _clean_nhs_number(raw: str | None, errors: dict[str, str], *, exclude_pk: int | None) -> str:
    if raw is None or raw.strip() == "":
        return ""
    try:
        value = normalise_nhs_number(raw)
    except InvalidNhsNumber as exc:
        errors["nhs_number"] = str(exc)
        return ""
    clash = Patient.objects.filter(nhs_number=value)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        errors["nhs_number"] = "A person with this NHS number is already registered."
    return value


def _clean_contact(*, email: str, preferred_contact_method: str, errors: dict[str, str]) -> None:
    check_email(email, "email", errors)
    check_choice(preferred_contact_method, ContactMethod.values, "preferred_contact_method", errors)


def _resolve_team(actor: User | None, team_id: int | None, errors: dict[str, str]) -> int | None:
    """The team a new person joins. An actor who may register into no team at all is refused
    (Forbidden) rather than told to pick another; the happy path costs one query.

    The system itself (``actor`` None: an import, the demo) names a team it has looked up; the
    foreign key refuses any other, so no query is spent on it here."""
    if actor is None:
        if team_id is None:
            errors["team"] = "required"
        return team_id
    allowed = list(policies.team_ids_actor_may_register_into(actor).distinct())
    if not allowed:
        raise Forbidden("You cannot register people.")
    if team_id is None:
        if len(allowed) == 1 and policies.needs_reason(actor) is False:
            return allowed[0]
        errors["team"] = "required: choose the team that will care for this person"
        return None
    if team_id not in allowed:
        errors["team"] = "not a team you can register people into"
        return None
    return team_id


def patient_errors(
    *,
    given_name: str,
    family_name: str,
    birth_date: dt.date | None,
    sex: str,
    nhs_number: str | None = None,
    email: str = "",
    preferred_contact_method: str = ContactMethod.PHONE,
    identifiers: Sequence[IdentifierInput] = (),
    exclude_pk: int | None = None,
) -> dict[str, str]:
    """What is wrong with a person's details, by field (empty when nothing).

    ``exclude_pk`` is the record the details already belong to, whose own NHS number and
    identifiers are no clash. Which team may take the person depends on who registers them,
    so that check is the caller's."""
    errors: dict[str, str] = {}
    if not given_name.strip():
        errors["given_name"] = "required"
    if not family_name.strip():
        errors["family_name"] = "required"
    if birth_date is None:
        errors["birth_date"] = "required"
    check_not_future(birth_date, "birth_date", errors)
    check_choice(sex, Sex.values, "sex", errors)
    _clean_nhs_number(nhs_number, errors, exclude_pk=exclude_pk)
    _clean_contact(email=email, preferred_contact_method=preferred_contact_method, errors=errors)
    clash = Q()
    for i, ident in enumerate(identifiers):
        if not ident.system.strip() or not ident.value.strip():
            errors[f"identifiers.{i}"] = "system and value are required"
        else:
            clash |= Q(system=ident.system, value=ident.value)
    if clash:
        holders = PatientIdentifier.objects.filter(clash)
        if exclude_pk is not None:
            holders = holders.exclude(patient_id=exclude_pk)
        taken = set(holders.values_list("system", "value"))
        for i, ident in enumerate(identifiers):
            if (ident.system, ident.value) in taken:
                errors[f"identifiers.{i}"] = (
                    "this identifier already belongs to a registered person"
                )
    return errors


def patient_register(
    *,
    actor: User | None,
    given_name: str,
    family_name: str,
    birth_date: dt.date,
    sex: str,
    nhs_number: str | None = None,
    team_id: int | None = None,
    postcode: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    preferred_contact_method: str = ContactMethod.PHONE,
    identifiers: Sequence[IdentifierInput] = (),
    user: User | None = None,
    reason: str = "",
) -> Patient:
    """Register a person. ``actor`` None means the system itself (a management command).

    Everything is checked before anything is written, so a refusal leaves a caller's
    transaction usable (an import reports every problem in a bundle); the writes then need no
    savepoint of their own, and a database error rolls the caller's transaction back whole."""
    if actor is not None and not has_permission(actor, Permission.REGISTER_PATIENT):
        raise Forbidden("You cannot register people.")
    errors: dict[str, str] = {}
    team = _resolve_team(actor, team_id, errors)
    errors.update(
        patient_errors(
            given_name=given_name,
            family_name=family_name,
            birth_date=birth_date,
            sex=sex,
            nhs_number=nhs_number,
            email=email,
            preferred_contact_method=preferred_contact_method,
            identifiers=identifiers,
        )
    )
    if errors:
        raise ValidationFailed("The person could not be registered.", fields=errors)
    assert team is not None  # noqa: S101  # errors would have been raised above
    clean_nhs = normalise_nhs_number(nhs_number) if nhs_number and nhs_number.strip() else ""
    with transaction.atomic(savepoint=False):
        patient = Patient.objects.create(
            nhs_number=clean_nhs or None,
            given_name=given_name.strip(),
            family_name=family_name.strip(),
            birth_date=birth_date,
            sex=sex,
            team_id=team,
            postcode=postcode.strip().upper(),
            address=address.strip(),
            phone=phone.strip(),
            email=email.strip(),
            preferred_contact_method=preferred_contact_method,
            user=user,
            created_by=actor,
        )
        if identifiers:
            PatientIdentifier.objects.bulk_create(
                PatientIdentifier(patient=patient, system=i.system.strip(), value=i.value.strip())
                for i in identifiers
            )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            patient=patient,
            object_type=PATIENT_OBJECT,
            object_id=patient.pk,
            reason=reason,
        )
    return patient


CLINICIAN_EDITABLE = frozenset(
    {
        "nhs_number",
        "given_name",
        "family_name",
        "birth_date",
        "sex",
        "postcode",
        "address",
        "phone",
        "email",
        "preferred_contact_method",
        "died_on",
    }
)
PATIENT_EDITABLE = frozenset({"postcode", "address", "phone", "email", "preferred_contact_method"})


@transaction.atomic
def patient_update(*, actor: User | None, patient: Patient, changes: dict[str, object]) -> Patient:
    """Change demographics and contact details; a patient only their own contact details.
    ``actor`` None means the system itself (a management command), as for ``patient_register``.

    A newly recorded death is announced (``signals.patient_died``) inside this transaction, so
    what other apps end with it (careteam: the key worker's assignment) ends with the record."""
    if actor is None or policies.can_edit_patient(actor, patient):
        allowed = CLINICIAN_EDITABLE
    elif policies.can_edit_own_contact_details(actor, patient):
        allowed = PATIENT_EDITABLE
    elif policies.can_view_patient(actor, patient):
        raise Forbidden("You can see this record but not change it.")
    else:
        raise NotFound()
    errors: dict[str, str] = {}
    for name in changes:
        if name not in allowed:
            errors[name] = "you cannot change this field"
    if errors:
        raise ValidationFailed("Some fields cannot be changed.", fields=errors)
    locked = Patient.objects.select_for_update().get(pk=patient.pk)
    values = dict(changes)
    if "nhs_number" in values:
        raw = values["nhs_number"]
        values["nhs_number"] = (
            _clean_nhs_number(str(raw) if raw else None, errors, exclude_pk=locked.pk) or None
        )
    for name in ("given_name", "family_name"):
        if name in values and not str(values[name] or "").strip():
            errors[name] = "required"
    if "birth_date" in values:
        check_not_future(values["birth_date"], "birth_date", errors)  # type: ignore[arg-type]  # schema-typed
    if "sex" in values:
        check_choice(str(values["sex"]), Sex.values, "sex", errors)
    if "died_on" in values and values["died_on"] is not None:
        died_on = values["died_on"]
        check_not_future(died_on, "died_on", errors)  # type: ignore[arg-type]  # schema-typed
        born = values.get("birth_date", locked.birth_date)
        if isinstance(died_on, dt.date) and isinstance(born, dt.date) and died_on < born:
            errors["died_on"] = "cannot be before the date of birth"
    _clean_contact(
        email=str(values.get("email", locked.email) or ""),
        preferred_contact_method=str(
            values.get("preferred_contact_method", locked.preferred_contact_method)
        ),
        errors=errors,
    )
    if errors:
        raise ValidationFailed("The record could not be changed.", fields=errors)
    newly_died = "died_on" in values and values["died_on"] and locked.died_on is None
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
            if name == "postcode":
                value = value.upper()
        setattr(locked, name, value)
    locked.save()
    if newly_died:
        # Carers act for a living person only: their access ends with the death.
        proxy_access_end_all(
            patient=locked, actor=actor, reason=ProxyEndReason.DIED, now=timezone.now()
        )
        patient_died.send(sender=Patient, actor=actor, patient=locked)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=locked,
        object_type=PATIENT_OBJECT,
        object_id=locked.pk,
        detail="changed: " + ", ".join(sorted(values)),
    )
    return locked


def require_edit(actor: User | None, patient: Patient) -> None:
    if actor is None or policies.can_edit_patient(actor, patient):
        return
    if policies.can_view_patient(actor, patient):
        raise Forbidden("You can see this record but not change it.")
    raise NotFound()


@transaction.atomic
def patient_open(*, actor: User, patient_id: int, reason: str = "") -> Patient:
    """Fetch one record the actor may see, and record that they saw it. Out of scope is 404."""
    patient = policies.patients_for_actor(actor, reason=reason).filter(pk=patient_id).first()
    if patient is None:
        raise NotFound()
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        patient=patient,
        object_type=PATIENT_OBJECT,
        object_id=patient.pk,
        reason=reason,
    )
    return patient


def patient_open_own(*, actor: User) -> Patient:
    """The record linked to a patient's own account, opened (and audited) like any other."""
    own = Patient.objects.filter(user=actor).values_list("pk", flat=True).first()
    if own is None:
        raise NotFound("There is no record linked to this account yet.")
    return patient_open(actor=actor, patient_id=own)


@transaction.atomic
def patient_search(
    *, actor: User, query: str, reason: str = "", page: int = 1, page_size: int = 25
) -> Page[Patient]:
    """Search by NHS number, name or birth date; records the search and who appeared in it."""
    queryset = patient_search_queryset(
        policies.patients_for_actor(actor, reason=reason), query=query
    )
    result = paginate(queryset, page=page, page_size=page_size)
    audit_record(
        actor=actor,
        action=AuditAction.SEARCH,
        patient=None,
        object_type=PATIENT_OBJECT,
        reason=reason,
        detail=f"q={query[:200]}",
    )
    audit_record_many(
        actor=actor,
        action=AuditAction.LIST,
        patient_ids=[p.pk for p in result.items],
        object_type=PATIENT_OBJECT,
        reason=reason,
        detail="search result",
    )
    return result


def patient_get_for_update(*, actor: User, patient_id: int) -> Patient:
    """The record to change, or 404 when the actor cannot even see it."""
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None:
        raise NotFound()
    if not (policies.can_view_patient(actor, patient) or policies.can_edit_patient(actor, patient)):
        raise NotFound()
    return patient
