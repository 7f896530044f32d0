"""Condition → PrimaryDiagnosis and SecondaryDiagnosis, written through the registry's history
call (``history``)."""

from __future__ import annotations

from collections.abc import Sequence

from waypoint.fhir.importing.context import PersonContext
from waypoint.fhir.mapping.inbound import EntryRef, PrimaryIn, SecondaryIn
from waypoint.fhir.models import ImportOutcome
from waypoint.registry.history import PrimaryInput, SecondaryInput
from waypoint.registry.models import PrimaryDiagnosis, SecondaryDiagnosis
from waypoint.registry.services import SiteInput

# A secondary diagnosis and the entries of it this import writes: the Conditions of one day are
# one diagnosis, written when any of them is new and kept against each new one.
NewSecondary = tuple[SecondaryIn, list[EntryRef]]


def primaries_fresh(pc: PersonContext) -> list[PrimaryIn]:
    return [p for p in pc.person.primaries if pc.fresh(p.entry, "PrimaryDiagnosis")]


def secondaries_fresh(pc: PersonContext) -> list[NewSecondary]:
    return [
        (s, new)
        for s in pc.person.secondaries
        if (new := [e for e in s.entries if pc.fresh(e, "SecondaryDiagnosis")])
    ]


def primary_input(p: PrimaryIn) -> PrimaryInput:
    return PrimaryInput(p.diagnosed_on, p.laterality, p.er, p.pr, p.her2)


def secondary_input(s: SecondaryIn) -> SecondaryInput:
    return SecondaryInput(
        s.diagnosed_on,
        s.presentation,
        [SiteInput(site, detail[:200]) for site, detail in s.sites],
    )


def primaries_keep(
    pc: PersonContext, primaries: Sequence[PrimaryIn], rows: Sequence[PrimaryDiagnosis]
) -> None:
    for p, row in zip(primaries, rows, strict=True):
        pc.keep(p.entry, ImportOutcome.CREATED, "PrimaryDiagnosis", row.pk)


def secondaries_keep(
    pc: PersonContext, secondaries: Sequence[NewSecondary], rows: Sequence[SecondaryDiagnosis]
) -> None:
    for (_, new), dx in zip(secondaries, rows, strict=True):
        for e in new:
            pc.keep(e, ImportOutcome.CREATED, "SecondaryDiagnosis", dx.pk)
