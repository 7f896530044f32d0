"""The caseload's "care standards due" column: a short plain name for each item, overdue ones
first and marked in words, at most two a row and a link to the rest."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
import time_machine
from django.test import Client
from tests.world import World, make_patient

from waypoint.careteam.services import keyworker_assign
from waypoint.standards.rules.standards import TITLES, Result, Status
from waypoint.workspace.caseload_presenters import SHORT_NAMES, due_summary, short_date

T0 = dt.date(2026, 6, 1)
# 25 June: the introduction (KW2, by T0 + 21 days) is overdue; the MDT discussion (MDT1, by
# T0 + 28) and the offer of support (SUP1, by T0 + 31) are still due.
MOMENT = dt.datetime(2026, 6, 25, 10, tzinfo=dt.UTC)


class _DueCells(HTMLParser):
    """The visible text of each due item in the caseload, row by row (attributes such as a
    tooltip's title are not text a person scans)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self._cell = False
        self._item: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "td" and "wp-due" in classes:
            self._cell = True
            self.rows.append([])
        elif self._cell and tag == "li":
            self._item = []
        elif self._cell and tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._item is not None:
            self.rows[-1].append(" ".join("".join(self._item).split()))
            self._item = None
        elif tag == "td":
            self._cell = False

    def handle_data(self, data: str) -> None:
        if self._item is not None:
            self._item.append(data)


def _caseload(world: World) -> _DueCells:
    client = Client()
    client.force_login(world.key_worker)
    response = client.get("/caseload/", {"q": "Newly"})
    assert response.status_code == 200
    cells = _DueCells()
    cells.feed(response.content.decode())
    return cells


@pytest.fixture
def newly_diagnosed(world: World) -> int:
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False):
        person = make_patient(team=world.team_a, given="Nell", family="Newly", metastatic_on=T0)
        keyworker_assign(
            actor=None, patient=person, key_worker_id=world.key_worker.pk, reason="New diagnosis"
        )
    return person.pk


def test_the_caseload_names_what_is_due_in_plain_words_with_the_overdue_first(
    world: World, newly_diagnosed: int
) -> None:
    with time_machine.travel(MOMENT, tick=False):
        cells = _caseload(world)
    assert len(cells.rows) == 1
    items = cells.rows[0]
    assert items == ["Overdue Introduce key worker since 22 Jun", "MDT discussion by 29 Jun"]
    for item in items:
        assert not any(code in item.split() for code in TITLES)  # no bare codes
    # The rest are on the person's standards page.
    assert cells.links == [f"/patients/{newly_diagnosed}/standards/"]


def test_an_item_becomes_overdue_in_words_once_its_deadline_has_passed(
    world: World, newly_diagnosed: int
) -> None:
    with time_machine.travel(dt.datetime(2026, 6, 22, 10, tzinfo=dt.UTC), tick=False):
        before = _caseload(world).rows[0]
    with time_machine.travel(dt.datetime(2026, 6, 23, 10, tzinfo=dt.UTC), tick=False):
        after = _caseload(world).rows[0]
    assert before[0] == "Introduce key worker by 22 Jun"
    assert after[0] == "Overdue Introduce key worker since 22 Jun"


def _result(code: str, status: Status, deadline: dt.date | None) -> Result:
    return Result(code, status, deadline, "", open=True)


TODAY = dt.date(2026, 6, 25)


def test_overdue_items_come_first_whatever_order_they_arrive_in() -> None:
    summary = due_summary(
        [
            _result("SUP1", Status.PENDING, dt.date(2026, 7, 2)),
            _result("RESP1", Status.PENDING, None),
            _result("KW2", Status.NOT_MET, dt.date(2026, 6, 22)),
            _result("CON1", Status.NOT_MET, dt.date(2026, 6, 1)),
        ],
        today=TODAY,
    )
    assert [(i.code, i.overdue) for i in summary.shown] == [("KW2", True), ("CON1", True)]
    assert (summary.more, summary.more_overdue) == (2, 0)
    assert summary.shown[0].name == "Introduce key worker"
    assert summary.shown[0].title == "Told who their key worker is and how to reach them (KW2)"


def test_the_link_to_the_rest_counts_the_overdue_ones_it_hides() -> None:
    results = [_result(f"X{i}", Status.NOT_MET, dt.date(2026, 6, i + 1)) for i in range(5)]
    summary = due_summary(results, today=TODAY)
    assert (len(summary.shown), summary.more, summary.more_overdue) == (2, 3, 3)
    assert summary.shown[0].name == "X0"  # an unknown code is shown as it is, not hidden


def test_every_standard_has_a_short_name_that_fits_one_line_of_the_column() -> None:
    assert set(SHORT_NAMES) == set(TITLES)
    assert max(len(name) for name in SHORT_NAMES.values()) <= 24


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 6, 22), "22 Jun"),
        (dt.date(2025, 12, 25), "25 Dec"),  # 182 days before: the year goes without saying
        (dt.date(2025, 12, 24), "Dec 2025"),  # 183 days before
        (dt.date(2026, 12, 24), "24 Dec"),  # 182 days after
        (dt.date(2026, 12, 25), "Dec 2026"),
    ],
)
def test_short_dates_name_the_year_only_when_it_is_more_than_six_months_away(
    day: dt.date, expected: str
) -> None:
    assert short_date(day, today=TODAY) == expected
