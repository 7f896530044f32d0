"""Conditions, receptor Observations and biopsy Procedures reach the registry in one call to
``patient_history_import``: a metastatic result or biopsy settles the diagnosis it belongs to,
a new one in the same bundle included, so they are recorded together, in that order. Each kind's
module says which of its resources are new, what the service is given and what it wrote."""

from __future__ import annotations

from dataclasses import dataclass

from waypoint.core.errors import WaypointError
from waypoint.fhir.importing.conditions import (
    NewSecondary,
    primaries_fresh,
    primaries_keep,
    primary_input,
    secondaries_fresh,
    secondaries_keep,
    secondary_input,
)
from waypoint.fhir.importing.context import Items, PersonContext
from waypoint.fhir.importing.observations import receptor_input, receptors_fresh, receptors_keep
from waypoint.fhir.importing.procedures import biopsies_fresh, biopsies_keep, biopsy_input
from waypoint.fhir.mapping.inbound import BiopsyIn, PrimaryIn, ReceptorIn
from waypoint.registry.history import patient_history_import


@dataclass(frozen=True)
class HistoryBatch:
    """One person's new history resources, in the order the service takes them."""

    primaries: list[PrimaryIn]
    secondaries: list[NewSecondary]
    receptors: list[ReceptorIn]
    biopsies: list[BiopsyIn]

    def __bool__(self) -> bool:
        return bool(self.primaries or self.secondaries or self.receptors or self.biopsies)

    def items(self) -> Items:
        items: Items = {}
        items.update(
            (f"primaries.{i}", (p.entry, "the primary diagnosis"))
            for i, p in enumerate(self.primaries)
        )
        items.update(
            (f"secondaries.{i}", (new[0], "the secondary diagnosis"))
            for i, (_, new) in enumerate(self.secondaries)
        )
        items.update(
            (f"receptors.{i}", (r.entry, "the receptor result"))
            for i, r in enumerate(self.receptors)
        )
        items.update(
            (f"biopsies.{i}", (b.entry, "the biopsy")) for i, b in enumerate(self.biopsies)
        )
        return items


def history_fresh(pc: PersonContext) -> HistoryBatch:
    return HistoryBatch(
        primaries=primaries_fresh(pc),
        secondaries=secondaries_fresh(pc),
        receptors=receptors_fresh(pc),
        biopsies=biopsies_fresh(pc),
    )


def history_write(pc: PersonContext, batch: HistoryBatch) -> None:
    try:
        written = patient_history_import(
            actor=pc.ctx.actor,
            patient=pc.patient,
            primaries=[primary_input(p) for p in batch.primaries],
            secondaries=[secondary_input(s) for s, _ in batch.secondaries],
            receptors=[receptor_input(r) for r in batch.receptors],
            biopsies=[biopsy_input(b) for b in batch.biopsies],
        )
    except WaypointError as exc:
        pc.ctx.refused(exc, "the history", batch.items())
        return
    primaries_keep(pc, batch.primaries, written.primaries)
    secondaries_keep(pc, batch.secondaries, written.secondaries)
    receptors_keep(pc, batch.receptors, written.receptors)
    biopsies_keep(pc, batch.biopsies, written.biopsies)
