"""Registry writes: each checks the policy, validates, saves and audits in one transaction."""

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
from waypoint.careteam.models import Team
from waypoint.core.errors import Forbidden, NotFound, ValidationFailed
from waypoint.core.pagination import Page, paginate
from waypoint.registry import policies
from waypoint.registry.models import (
    BiopsyDecision,
    CarerContact,
    ContactMethod,
    Her2Status,
    Laterality,
    MetastaticSite,
    Patient,
    PatientIdentifier,
    Presentation,
    PrimaryDiagnosis,
    ReceptorStatus,
    SecondaryDiagnosis,
    Sex,
)
from waypoint.registry.rules.codes import SITES_BY_CODE
from waypoint.registry.rules.nhs_number import InvalidNhsNumber, normalise_nhs_number
from waypoint.registry.selectors import patient_search_queryset

PATIENT_OBJECT = "Patient"


@dataclass(frozen=True)
class SiteInput:
    site: str
    detail: str = ""


@dataclass(frozen=True)
class IdentifierInput:
    system: str
    value: str


def _today() -> dt.date:
    return timezone.localdate()


def _choice(value: str, allowed: Sequence[str], field: str, errors: dict[str, str]) -> None:
    if value not in allowed:
        errors[field] = f"must be one of: {', '.join(allowed)}"


def check_not_future(value: dt.date | None, field: str, errors: dict[str, str]) -> None:
    if value is not None and value > _today():
        errors[field] = "cannot be in the future"


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
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors["email"] = "Enter an email address like name@example.com."
    _choice(preferred_contact_method, ContactMethod.values, "preferred_contact_method", errors)


def _resolve_team(actor: User | None, team_id: int | None, errors: dict[str, str]) -> Team | None:
    """The team a new person joins. An actor who may register into no team at all is refused
    (Forbidden) rather than told to pick another; the happy path costs one query."""
    if actor is None:
        if team_id is None:
            errors["team"] = "required"
            return None
        found = Team.objects.filter(pk=team_id).first()
        if found is None:
            errors["team"] = "no such team"
        return found
    allowed = policies.teams_actor_may_register_into(actor)
    if team_id is None:
        mine = list(allowed[:2])
        if not mine:
            raise Forbidden("You cannot register people.")
        if len(mine) == 1 and policies.needs_reason(actor) is False:
            return mine[0]
        errors["team"] = "required: choose the team that will care for this person"
        return None
    found = allowed.filter(pk=team_id).first()
    if found is None:
        if not allowed.exists():
            raise Forbidden("You cannot register people.")
        errors["team"] = "not a team you can register people into"
    return found


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
    if not given_name.strip():
        errors["given_name"] = "required"
    if not family_name.strip():
        errors["family_name"] = "required"
    check_not_future(birth_date, "birth_date", errors)
    _choice(sex, Sex.values, "sex", errors)
    clean_nhs = _clean_nhs_number(nhs_number, errors, exclude_pk=None)
    _clean_contact(email=email, preferred_contact_method=preferred_contact_method, errors=errors)
    clash = Q()
    for i, ident in enumerate(identifiers):
        if not ident.system.strip() or not ident.value.strip():
            errors[f"identifiers.{i}"] = "system and value are required"
        else:
            clash |= Q(system=ident.system, value=ident.value)
    if clash:
        taken = set(PatientIdentifier.objects.filter(clash).values_list("system", "value"))
        for i, ident in enumerate(identifiers):
            if (ident.system, ident.value) in taken:
                errors[f"identifiers.{i}"] = (
                    "this identifier already belongs to a registered person"
                )
    if errors:
        raise ValidationFailed("The person could not be registered.", fields=errors)
    assert team is not None  # noqa: S101  # errors would have been raised above
    with transaction.atomic(savepoint=False):
        patient = Patient.objects.create(
            nhs_number=clean_nhs or None,
            given_name=given_name.strip(),
            family_name=family_name.strip(),
            birth_date=birth_date,
            sex=sex,
            team=team,
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
    ``actor`` None means the system itself (a management command), as for ``patient_register``."""
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
        _choice(str(values["sex"]), Sex.values, "sex", errors)
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
        from waypoint.careteam.services import keyworker_end_on_death

        keyworker_end_on_death(actor=actor, patient=locked)
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
def carer_contact_add(
    *,
    actor: User | None,
    patient: Patient,
    name: str,
    relationship: str,
    consent_given_on: dt.date | None,
    phone: str = "",
    email: str = "",
    consent_scope: str = "",
) -> CarerContact:
    if actor is not None and not (
        policies.can_edit_patient(actor, patient)
        or policies.can_edit_own_contact_details(actor, patient)
    ):
        require_edit(actor, patient)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "required"
    if not relationship.strip():
        errors["relationship"] = "required"
    if consent_given_on is None:
        errors["consent_given_on"] = "record when the person agreed to us contacting this carer"
    check_not_future(consent_given_on, "consent_given_on", errors)
    if not phone.strip() and not email.strip():
        errors["phone"] = "give a phone number or an email address"
    if errors:
        raise ValidationFailed("The carer could not be added.", fields=errors)
    assert consent_given_on is not None  # noqa: S101  # checked above
    carer = CarerContact.objects.create(
        patient=patient,
        name=name.strip(),
        relationship=relationship.strip(),
        phone=phone.strip(),
        email=email.strip(),
        consent_given_on=consent_given_on,
        consent_scope=consent_scope.strip()
        or CarerContact._meta.get_field("consent_scope").default,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type="CarerContact",
        object_id=carer.pk,
    )
    return carer


def _receptors(er: str, pr: str, her2: str, errors: dict[str, str], *, blank_ok: bool) -> None:
    extra = [""] if blank_ok else []
    _choice(er, [*ReceptorStatus.values, *extra], "er", errors)
    _choice(pr, [*ReceptorStatus.values, *extra], "pr", errors)
    _choice(her2, [*Her2Status.values, *extra], "her2", errors)


def primary_diagnosis_errors(
    *, patient: Patient, diagnosed_on: dt.date, laterality: str, er: str, pr: str, her2: str
) -> dict[str, str]:
    """What is wrong with a primary diagnosis of ``patient``, by field (empty when nothing)."""
    errors: dict[str, str] = {}
    check_not_future(diagnosed_on, "diagnosed_on", errors)
    if diagnosed_on < patient.birth_date:
        errors["diagnosed_on"] = "cannot be before the date of birth"
    _choice(laterality, Laterality.values, "laterality", errors)
    _receptors(er, pr, her2, errors, blank_ok=False)
    return errors


@transaction.atomic
def primary_diagnosis_record(
    *,
    actor: User | None,
    patient: Patient,
    diagnosed_on: dt.date,
    laterality: str,
    er: str,
    pr: str,
    her2: str,
) -> PrimaryDiagnosis:
    require_edit(actor, patient)
    errors = primary_diagnosis_errors(
        patient=patient, diagnosed_on=diagnosed_on, laterality=laterality, er=er, pr=pr, her2=her2
    )
    if errors:
        raise ValidationFailed("The primary diagnosis could not be recorded.", fields=errors)
    primary = PrimaryDiagnosis.objects.create(
        patient=patient,
        diagnosed_on=diagnosed_on,
        laterality=laterality,
        er=er,
        pr=pr,
        her2=her2,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type="PrimaryDiagnosis",
        object_id=primary.pk,
    )
    return primary


def secondary_diagnosis_errors(
    *,
    patient: Patient,
    diagnosed_on: dt.date,
    presentation: str,
    sites: Sequence[SiteInput],
    er: str = "",
    pr: str = "",
    her2: str = "",
    receptors_assessed_on: dt.date | None = None,
    biopsy_decision: str = BiopsyDecision.NOT_DECIDED,
    biopsy_not_feasible_reason: str = "",
) -> dict[str, str]:
    """What is wrong with a secondary diagnosis of ``patient``, by field (empty when nothing)."""
    errors: dict[str, str] = {}
    check_not_future(diagnosed_on, "diagnosed_on", errors)
    if diagnosed_on < patient.birth_date:
        errors["diagnosed_on"] = "cannot be before the date of birth"
    _choice(presentation, Presentation.values, "presentation", errors)
    if not sites:
        errors["sites"] = "give at least one metastatic site"
    seen: set[tuple[str, str]] = set()
    for i, site in enumerate(sites):
        if site.site not in SITES_BY_CODE:
            errors[f"sites.{i}"] = f"unknown site; use one of: {', '.join(SITES_BY_CODE)}"
        elif site.site == "other" and not site.detail.strip():
            errors[f"sites.{i}"] = "say which body site for 'other'"
        key = (site.site, site.detail.strip())
        if key in seen:
            errors[f"sites.{i}"] = "this site is listed twice"
        seen.add(key)
    _receptors(er, pr, her2, errors, blank_ok=True)
    any_receptor = bool(er or pr or her2)
    if any_receptor and receptors_assessed_on is None:
        errors["receptors_assessed_on"] = "give the date of the metastatic receptor result"
    check_not_future(receptors_assessed_on, "receptors_assessed_on", errors)
    _choice(biopsy_decision, BiopsyDecision.values, "biopsy_decision", errors)
    if biopsy_decision == BiopsyDecision.NOT_FEASIBLE and not biopsy_not_feasible_reason.strip():
        errors["biopsy_not_feasible_reason"] = "say why a biopsy is not feasible"
    if patient.died_on is not None:
        errors["patient"] = "this person has died"
    return errors


@transaction.atomic
def secondary_diagnosis_record(
    *,
    actor: User | None,
    patient: Patient,
    diagnosed_on: dt.date,
    presentation: str,
    sites: Sequence[SiteInput],
    er: str = "",
    pr: str = "",
    her2: str = "",
    receptors_assessed_on: dt.date | None = None,
    biopsy_decision: str = BiopsyDecision.NOT_DECIDED,
    biopsy_not_feasible_reason: str = "",
) -> SecondaryDiagnosis:
    """Record a metastatic diagnosis: the person enters the registry and the key-worker worklist."""
    require_edit(actor, patient)
    errors = secondary_diagnosis_errors(
        patient=patient,
        diagnosed_on=diagnosed_on,
        presentation=presentation,
        sites=sites,
        er=er,
        pr=pr,
        her2=her2,
        receptors_assessed_on=receptors_assessed_on,
        biopsy_decision=biopsy_decision,
        biopsy_not_feasible_reason=biopsy_not_feasible_reason,
    )
    if errors:
        raise ValidationFailed("The secondary diagnosis could not be recorded.", fields=errors)
    diagnosis = SecondaryDiagnosis.objects.create(
        patient=patient,
        diagnosed_on=diagnosed_on,
        presentation=presentation,
        er=er,
        pr=pr,
        her2=her2,
        receptors_assessed_on=receptors_assessed_on,
        biopsy_decision=biopsy_decision,
        biopsy_not_feasible_reason=biopsy_not_feasible_reason.strip(),
        created_by=actor,
    )
    MetastaticSite.objects.bulk_create(
        MetastaticSite(
            diagnosis=diagnosis,
            site=s.site,
            snomed_code=SITES_BY_CODE[s.site].snomed,
            detail=s.detail.strip(),
        )
        for s in sites
    )
    if patient.metastatic_diagnosed_on is None or diagnosed_on < patient.metastatic_diagnosed_on:
        Patient.objects.filter(pk=patient.pk).update(metastatic_diagnosed_on=diagnosed_on)
        patient.metastatic_diagnosed_on = diagnosed_on
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type="SecondaryDiagnosis",
        object_id=diagnosis.pk,
    )
    return diagnosis


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
