"""Observation → a receptor result (ER, PR, HER2), written through the registry's history call
(``history``), or a disease status (progression, response), written to the timeline."""

from __future__ import annotations

from collections.abc import Sequence

from waypoint.core.errors import WaypointError
from waypoint.fhir.importing.context import PersonContext
from waypoint.fhir.mapping.inbound import DiseaseStatusIn, ReceptorIn
from waypoint.fhir.mapping.issues import error
from waypoint.fhir.models import ImportOutcome
from waypoint.registry.history import ReceptorInput
from waypoint.registry.models import ReceptorResult
from waypoint.timeline.services import TimelineInput, timeline_records_import


def receptors_fresh(pc: PersonContext) -> list[ReceptorIn]:
    return [r for r in pc.person.receptors if pc.fresh(r.entry, "ReceptorResult")]


def receptor_input(r: ReceptorIn) -> ReceptorInput:
    return ReceptorInput(
        r.marker,
        r.value,
        r.observed_on,
        r.specimen,
        r.loinc_code,
        r.note or "Imported from FHIR",
    )


def receptors_keep(
    pc: PersonContext, receptors: Sequence[ReceptorIn], rows: Sequence[ReceptorResult]
) -> None:
    for r, result in zip(receptors, rows, strict=True):
        pc.keep(r.entry, ImportOutcome.CREATED, "ReceptorResult", result.pk)


def statuses_fresh(pc: PersonContext) -> list[DiseaseStatusIn]:
    return [s for s in pc.person.statuses if pc.fresh(s.entry, s.kind)]


def statuses_write(pc: PersonContext, statuses: Sequence[DiseaseStatusIn]) -> None:
    actor = pc.ctx.actor
    if actor is None:
        for status in statuses:
            pc.ctx.add(
                error(
                    "forbidden",
                    "Observation: timeline events need the clinician who records them "
                    "(--as USERNAME).",
                    status.entry.path,
                )
            )
        return
    try:
        events = timeline_records_import(
            actor=actor,
            patient=pc.patient,
            events=[
                TimelineInput(kind=s.kind, on=s.on, result=s.result, note=s.note) for s in statuses
            ],
        )
    except WaypointError as exc:
        pc.ctx.refused(
            exc,
            "the disease status",
            {f"events.{i}": (s.entry, "") for i, s in enumerate(statuses)},
        )
        return
    for status, event in zip(statuses, events, strict=True):
        target = "ProgressionEvent" if status.kind == "progression" else "ResponseAssessment"
        pc.keep(status.entry, ImportOutcome.CREATED, target, event.pk)
