"""A small population built through the registry services, on a frozen day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from tests.world import World, build_world, make_patient

from waypoint.careteam.models import Team
from waypoint.registry.models import Patient
from waypoint.registry.services import (
    SiteInput,
    patient_update,
    primary_diagnosis_record,
    secondary_diagnosis_record,
)

TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db: None, frozen: None) -> World:
    return build_world()


def person(
    world: World,
    *,
    team: Team | None = None,
    born: dt.date = dt.date(1960, 5, 17),
    t0: dt.date = dt.date(2026, 6, 15),
    presentation: str = "recurrence",
    sites: tuple[str, ...] = ("bone",),
    primary: tuple[str, str, str] | None = None,
    metastatic: tuple[str, str, str] | None = None,
    died_on: dt.date | None = None,
    more: tuple[dt.date, str, tuple[str, ...]] | None = None,
) -> Patient:
    """One person with a secondary diagnosis (and optionally a primary, metastatic receptors,
    a later secondary diagnosis and a death), recorded as a clinician would."""
    team = team or world.team_a
    patient = make_patient(team=team, birth_date=born, metastatic_on=None)
    if primary is not None:
        primary_diagnosis_record(
            actor=None,
            patient=patient,
            diagnosed_on=t0 if presentation == "de_novo" else t0 - dt.timedelta(days=900),
            laterality="left",
            er=primary[0],
            pr=primary[1],
            her2=primary[2],
        )
    er, pr, her2 = metastatic or ("", "", "")
    secondary_diagnosis_record(
        actor=None,
        patient=patient,
        diagnosed_on=t0,
        presentation=presentation,
        sites=[SiteInput(s) for s in sites],
        er=er,
        pr=pr,
        her2=her2,
        receptors_assessed_on=t0 + dt.timedelta(days=7) if metastatic else None,
    )
    if more is not None:
        secondary_diagnosis_record(
            actor=None,
            patient=patient,
            diagnosed_on=more[0],
            presentation=more[1],
            sites=[SiteInput(s) for s in more[2]],
        )
    if died_on is not None:
        editor = world.key_worker if team == world.team_a else world.other_team_nurse
        patient = patient_update(actor=editor, patient=patient, changes={"died_on": died_on})
    return patient
