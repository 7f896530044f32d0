"""The caseload's due list with the clock frozen either side of a deadline: the record's facts,
gathered from the database, reach the rules with the local date of each moment."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests.world import World, make_patient

from waypoint.timeline.services import timeline_record
from waypoint.workspace.caseload import CaseloadFilters, caseload_open

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
T0 = dt.date(2026, 6, 1)


def _due(world: World, patient_id: int, moment: dt.datetime) -> dict[str, str]:
    page = caseload_open(
        actor=world.key_worker,
        day=moment.astimezone(LONDON).date(),
        filters=CaseloadFilters(scope="team"),
        now=moment,
    )
    row = next(r for r in page.rows if r.patient.pk == patient_id)
    return {r.code: r.status.value for r in row.due}


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # KW2: told who the key worker is by T0 + 21 days (22 June); London is on BST (UTC+1).
        (dt.datetime(2026, 6, 22, 22, 59, tzinfo=dt.UTC), "pending"),  # 23:59 on the 22nd
        (dt.datetime(2026, 6, 22, 23, 0, tzinfo=dt.UTC), "not_met"),  # 00:00 on the 23rd
    ],
)
def test_the_introduction_turns_overdue_at_local_midnight_after_day_21(world, moment, expected):
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False):
        person = make_patient(team=world.team_a, metastatic_on=T0)
    with time_machine.travel(moment, tick=False):
        assert _due(world, person.pk, moment)["KW2"] == expected


def test_an_introduction_recorded_on_the_last_day_clears_it(world):
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False):
        person = make_patient(team=world.team_a, metastatic_on=T0)
    last_day = dt.datetime(2026, 6, 22, 15, tzinfo=dt.UTC)
    with time_machine.travel(last_day, tick=False):
        timeline_record(
            actor=world.key_worker,
            patient_id=person.pk,
            kind="contact",
            on=dt.date(2026, 6, 22),
            contact_kind="call",
            key_worker_introduced=True,
        )
    later = dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(later, tick=False):
        assert "KW2" not in _due(world, person.pk, later)
