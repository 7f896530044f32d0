"""Which people of a bundle are registered already, and what was imported for them before.

A person is matched on the NHS number first, then on any identifier by system and value;
identifiers that point at more than one registered person are an error, never a guess (hazard
HAZ-034: data imported onto the wrong person).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db.models import Q

from waypoint.fhir.importing.context import ImportContext, Known
from waypoint.fhir.mapping.inbound import PatientBundle, PatientIn
from waypoint.fhir.mapping.issues import error
from waypoint.fhir.models import ImportedResource
from waypoint.registry.models import Patient, PatientIdentifier


def patients_matched(ctx: ImportContext, people: Sequence[PatientBundle]) -> dict[int, Patient]:
    """The registered person of each Patient entry matched, by entry index; two queries for the
    whole bundle."""
    nhs = [p.patient.nhs_number for p in people if p.patient.nhs_number]
    by_nhs = {p.nhs_number: p for p in Patient.objects.filter(nhs_number__in=nhs) if p.nhs_number}
    pairs = [pair for p in people for pair in p.patient.identifiers]
    by_ident: dict[tuple[str, str], Patient] = {}
    if pairs:
        query = Q()
        for system, value in pairs:
            query |= Q(system=system, value=value)
        for ident in PatientIdentifier.objects.filter(query).select_related("patient"):
            by_ident[(ident.system, ident.value)] = ident.patient
    matched: dict[int, Patient] = {}
    for person in people:
        found = _match(ctx, person.patient, by_nhs, by_ident)
        if found is not None:
            matched[person.patient.entry.index] = found
    return matched


def imported_before(matched: Mapping[int, Patient]) -> Known:
    known: Known = {}
    if matched:
        for row in ImportedResource.objects.filter(patient__in=list(matched.values())).values_list(
            "patient_id", "source_type", "source_id", "content_hash"
        ):
            known.setdefault((row[0], row[1], row[2]), set()).add(row[3])
    return known


def _match(
    ctx: ImportContext,
    patient: PatientIn,
    by_nhs: dict[str, Patient],
    by_ident: dict[tuple[str, str], Patient],
) -> Patient | None:
    candidates = (
        {by_nhs[patient.nhs_number].pk: by_nhs[patient.nhs_number]}
        if (patient.nhs_number in by_nhs)
        else {}
    )
    if not candidates:
        for pair in patient.identifiers:
            if pair in by_ident:
                candidates[by_ident[pair].pk] = by_ident[pair]
    if len(candidates) > 1:
        ctx.add(
            error(
                "conflict",
                "Patient: its identifiers belong to more than one registered person.",
                patient.entry.path + ".identifier",
            )
        )
        return None
    return next(iter(candidates.values()), None)
