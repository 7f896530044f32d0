"""Procedure (a biopsy) → Biopsy, written through the registry's history call (``history``)."""

from __future__ import annotations

from collections.abc import Sequence

from waypoint.fhir.importing.context import PersonContext
from waypoint.fhir.mapping.inbound import BiopsyIn
from waypoint.fhir.models import ImportOutcome
from waypoint.registry.history import BiopsyInput
from waypoint.registry.models import Biopsy


def biopsies_fresh(pc: PersonContext) -> list[BiopsyIn]:
    return [b for b in pc.person.biopsies if pc.fresh(b.entry, "Biopsy")]


def biopsy_input(b: BiopsyIn) -> BiopsyInput:
    return BiopsyInput(b.performed_on, b.site, b.body_site, b.snomed_code, b.note)


def biopsies_keep(pc: PersonContext, biopsies: Sequence[BiopsyIn], rows: Sequence[Biopsy]) -> None:
    for b, bx in zip(biopsies, rows, strict=True):
        pc.keep(b.entry, ImportOutcome.CREATED, "Biopsy", bx.pk)
