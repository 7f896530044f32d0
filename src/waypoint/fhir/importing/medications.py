"""MedicationStatement, MedicationRequest and MedicationAdministration → lines of therapy.

One person's resources are grouped into lines by the pure rule ``group_lines`` (its docstring
cites the source), which may continue the person's active line, and recorded in one call to
``treatment_history_import``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings

from waypoint.accounts.models import User
from waypoint.core.errors import WaypointError
from waypoint.fhir.importing.context import PersonContext
from waypoint.fhir.mapping import drugs
from waypoint.fhir.mapping.inbound import EntryRef, MedicationIn
from waypoint.fhir.mapping.issues import error, information, warning
from waypoint.fhir.mapping.rules import (
    DoseEvent,
    ExistingLine,
    InboundConfig,
    PlannedLine,
    group_lines,
)
from waypoint.fhir.models import ImportOutcome
from waypoint.treatment.models import TreatmentLine
from waypoint.treatment.services import LineInput, treatment_history_import


def medications_write(pc: PersonContext) -> None:
    meds = [m for m in pc.person.medications if pc.fresh(m.entry, "TreatmentLine")]
    if not meds:
        return
    usable = _after_metastatic_diagnosis(pc, meds)
    if not usable:
        return
    actor = pc.ctx.actor
    if actor is None:
        for med in usable:
            pc.ctx.add(
                error(
                    "forbidden",
                    f"{med.entry.resource_type}: treatment lines need the clinician who "
                    "records them (--as USERNAME).",
                    med.entry.path,
                )
            )
        return
    planned = _plan(pc, usable)
    if planned:
        _record(pc, actor, usable, planned)


def _after_metastatic_diagnosis(
    pc: PersonContext, meds: Sequence[MedicationIn]
) -> list[MedicationIn]:
    """The resources that can be a line of therapy; the others are kept for provenance only."""
    # patient_history_import keeps the instance's T0 up to date.
    t0 = pc.patient.metastatic_diagnosed_on
    usable = []
    for med in meds:
        if t0 is None or med.on < t0:
            pc.ctx.add(
                information(
                    "informational",
                    f"{med.entry.resource_type}: started before any metastatic diagnosis; "
                    "treatment of early breast cancer is not a line of therapy for secondary "
                    "breast cancer, so it is kept for provenance only.",
                    med.entry.path,
                )
            )
            pc.keep(med.entry, ImportOutcome.SKIPPED)
        else:
            usable.append(med)
    return usable


def _plan(pc: PersonContext, usable: Sequence[MedicationIn]) -> list[PlannedLine]:
    active = (
        TreatmentLine.objects.filter(patient=pc.patient, stopped_on__isnull=True).first()
        if pc.patient.pk not in pc.ctx.registered
        else None
    )
    existing = (
        ExistingLine(active.pk, frozenset(drugs.drugs_in_text(active.drugs)), active.started_on)
        if active is not None
        else None
    )
    progression = [s.on for s in pc.person.statuses if s.kind == "progression"]
    return group_lines(
        [
            DoseEvent(
                m.entry.index,
                m.drugs,
                m.on,
                m.ended_on,
                m.status in ("completed", "stopped"),
                m.curative,
                m.stop_reason,
            )
            for m in usable
        ],
        existing=existing,
        progression_dates=progression,
        config=InboundConfig(line_window_days=settings.WAYPOINT_FHIR_LINE_WINDOW_DAYS),
    )


def _line_input(plan: PlannedLine, today: dt.date) -> LineInput:
    return LineInput(
        kind=plan.kind,
        drugs=", ".join(plan.drugs).capitalize(),
        started_on=plan.started_on,
        intent="curative" if plan.curative else "palliative",
        line_id=plan.line_id,
        cycle_dates=tuple(plan.dose_dates),
        stopped_on=(min(plan.stopped_on, today) if plan.stopped_on is not None else None),
        stop_reason=plan.stop_reason if plan.stopped_on is not None else "",
    )


def _record(
    pc: PersonContext,
    actor: User,
    usable: Sequence[MedicationIn],
    planned: Sequence[PlannedLine],
) -> None:
    by_key = {m.entry.index: m for m in usable}
    entries = [[by_key[k].entry for k in plan.keys] for plan in planned]
    firsts = [es[0] if es else usable[0].entry for es in entries]
    try:
        lines = treatment_history_import(
            actor=actor,
            patient=pc.patient,
            lines=[_line_input(plan, pc.ctx.today) for plan in planned],
            today=pc.ctx.today,
        )
    except WaypointError as exc:
        pc.ctx.refused(
            exc,
            "the treatment line",
            {f"lines.{i}": (first, "") for i, first in enumerate(firsts)},
        )
        return
    for plan, line, es, first in zip(planned, lines, entries, firsts, strict=True):
        _notes(pc, plan, first)
        for entry in es:
            pc.keep(entry, ImportOutcome.CREATED, "TreatmentLine", line.pk)


def _notes(pc: PersonContext, plan: PlannedLine, first: EntryRef) -> None:
    """What grouping decided for a line; a stop reason it inferred (not stated) is a warning."""
    for note in plan.notes:
        pc.ctx.add(
            (warning if plan.stop_reason_inferred else information)(
                "business-rule" if plan.stop_reason_inferred else "informational",
                f"Treatment line ({', '.join(plan.drugs)} from {plan.started_on}): {note}"
                + (f"; recorded as stopped ({plan.stop_reason})." if plan.stop_reason else "."),
                first.path,
            )
        )
