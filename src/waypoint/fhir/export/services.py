"""Audited reads for the FHIR export. Each checks the record policy (``registry.policies``, the
same as the rest of the API), reads, and writes the audit trail in one transaction: a read or a
search by patient through ``patient_open`` (a "view" with the reason given) and one "export"
event naming the resource; a Patient search as the API's search does (one "search" event and an
"export" event for each person on the page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record, audit_record_many
from waypoint.core.errors import NotFound
from waypoint.fhir.export.search import Query
from waypoint.fhir.export.sources import (
    SOURCES,
    Export,
    everything,
    patient_facts,
    patients_with_joins,
)
from waypoint.fhir.mapping.outbound import clinical, questionnaires
from waypoint.fhir.mapping.outbound.common import Resource
from waypoint.registry import policies
from waypoint.registry.models import NHS_NUMBER_SYSTEM, Patient, PatientIdentifier
from waypoint.registry.services import patient_open


@dataclass(frozen=True)
class Found:
    resources: list[Resource]
    total: int


def _object(resource_type: str) -> str:
    return f"FHIR {resource_type}"


def _export_event(
    *, actor: User, patient: Patient, resource_type: str, object_id: str, reason: str, detail: str
) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        patient=patient,
        object_type=_object(resource_type),
        object_id=object_id,
        reason=reason,
        detail=detail,
    )


def questionnaire_read(*, resource_id: str) -> Resource:
    for q in questionnaires.questionnaires(canonical=settings.WAYPOINT_FHIR_BASE_URL):
        if q["id"] == resource_id:
            return q
    raise NotFound()


@transaction.atomic
def fhir_read(
    *, actor: User, resource_type: str, resource_id: str, reason: str, today: dt.date
) -> Resource:
    """One resource of a person the actor may see; anything else (no such row, out of scope, a
    resource the row does not make) is 404 and leaves no audit event."""
    source = SOURCES.get(resource_type)
    owner = source.owner(resource_id) if source else None
    if source is None or owner is None:
        raise NotFound()
    patient = patient_open(actor=actor, patient_id=owner, reason=reason)
    for resource in source.build(
        Export([owner], today=today, canonical=settings.WAYPOINT_FHIR_BASE_URL)
    ):
        if resource["id"] == resource_id:
            _export_event(
                actor=actor,
                patient=patient,
                resource_type=resource_type,
                object_id=resource_id,
                reason=reason,
                detail="FHIR read",
            )
            return resource
    raise NotFound()


def _page(resources: list[Resource], query: Query) -> Found:
    if query.ids is not None:
        resources = [r for r in resources if r["id"] in query.ids]
    return Found(resources[query.offset : query.offset + query.count], len(resources))


def questionnaire_search(query: Query) -> Found:
    return _page(questionnaires.questionnaires(canonical=settings.WAYPOINT_FHIR_BASE_URL), query)


@transaction.atomic
def fhir_search_by_patient(*, actor: User, query: Query, reason: str, today: dt.date) -> Found:
    """A search of one person's resources. Someone out of scope, or nobody, gives an empty
    Bundle, as a search that matched nothing would."""
    assert query.patient_id is not None  # noqa: S101  # search.parse requires it
    try:
        patient = patient_open(actor=actor, patient_id=query.patient_id, reason=reason)
    except NotFound:
        return Found([], 0)
    source = SOURCES[query.resource_type]
    found = _page(
        source.build(Export([patient.pk], today=today, canonical=settings.WAYPOINT_FHIR_BASE_URL)),
        query,
    )
    _export_event(
        actor=actor,
        patient=patient,
        resource_type=query.resource_type,
        object_id="",
        reason=reason,
        detail=f"FHIR search: {found.total} found, {len(found.resources)} sent",
    )
    return found


_DATE_LOOKUPS = {"eq": "", "lt": "__lt", "le": "__lte", "gt": "__gt", "ge": "__gte"}


def _patients_matching(patients: QuerySet[Patient], query: Query) -> QuerySet[Patient]:
    if query.ids is not None:
        patients = patients.filter(pk__in=[int(i) for i in query.ids if i.isdigit()])
    if query.identifier_value:
        value = query.identifier_value
        others = PatientIdentifier.objects.filter(patient=OuterRef("pk"), value=value)
        if query.identifier_system == NHS_NUMBER_SYSTEM:
            patients = patients.filter(nhs_number=value)
        elif query.identifier_system:
            patients = patients.filter(Exists(others.filter(system=query.identifier_system)))
        else:
            patients = patients.filter(Q(nhs_number=value) | Exists(others))
    if query.family:
        patients = patients.filter(family_name__istartswith=query.family)
    if query.given:
        patients = patients.filter(given_name__istartswith=query.given)
    if query.birthdate is not None:
        prefix, on = query.birthdate
        patients = patients.filter(**{f"birth_date{_DATE_LOOKUPS[prefix]}": on})
    return patients


@transaction.atomic
def fhir_patient_search(*, actor: User, query: Query, reason: str, detail: str) -> Found:
    """People in scope who match, one page in a fixed number of queries."""
    matching = _patients_matching(policies.patients_for_actor(actor, reason=reason), query)
    total = matching.count()
    page: list[Patient] = []
    if query.count:
        page = list(
            patients_with_joins(matching).order_by("pk")[query.offset : query.offset + query.count]
        )
    audit_record(
        actor=actor,
        action=AuditAction.SEARCH,
        patient=None,
        object_type=_object("Patient"),
        reason=reason,
        detail=detail,
    )
    audit_record_many(
        actor=actor,
        action=AuditAction.EXPORT,
        patient_ids=[p.pk for p in page],
        object_type=_object("Patient"),
        reason=reason,
        detail="FHIR search result",
    )
    return Found(
        [
            clinical.patient_resource(patient_facts(p), canonical=settings.WAYPOINT_FHIR_BASE_URL)
            for p in page
        ],
        total,
    )


@transaction.atomic
def fhir_everything(*, actor: User, patient_id: int, reason: str, today: dt.date) -> Found:
    """Patient/$everything: all Waypoint holds about one person, in a bounded number of
    queries (one or two per resource type, whatever the length of their history)."""
    patient = patient_open(actor=actor, patient_id=patient_id, reason=reason)
    resources = everything(
        Export([patient.pk], today=today, canonical=settings.WAYPOINT_FHIR_BASE_URL)
    )
    _export_event(
        actor=actor,
        patient=patient,
        resource_type="Patient/$everything",
        object_id=str(patient.pk),
        reason=reason,
        detail=f"FHIR $everything: {len(resources)} resources",
    )
    return Found(resources, len(resources))
