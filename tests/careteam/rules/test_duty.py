"""waypoint-duty-1: every boundary of a team's opening hours, in London time across the clock
changes, weekends and bank holidays."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest

from waypoint.careteam.rules.duty import DUTY_RULES_VERSION, OpeningHours, team_opening

LONDON = ZoneInfo("Europe/London")
WEEKDAYS_9_TO_5 = [OpeningHours(d, dt.time(9), dt.time(17)) for d in range(5)]
ENGLAND_2026 = frozenset(holidays.country_holidays("GB", subdiv="ENG", years=2026))


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)  # type: ignore[misc]


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Thursday 3 December 2026 (GMT): opening time is in hours, closing time is out.
        (london(2026, 12, 3, 8, 59, 59), False),
        (london(2026, 12, 3, 9, 0), True),
        (london(2026, 12, 3, 10, 0), True),
        (london(2026, 12, 3, 16, 59, 59), True),
        (london(2026, 12, 3, 17, 0), False),
        (london(2026, 12, 3, 18, 40), False),
        (london(2026, 12, 3, 0, 0), False),
        # The weekend.
        (london(2026, 12, 5, 10, 0), False),
        (london(2026, 12, 6, 10, 0), False),
        (london(2026, 12, 7, 9, 0), True),
        # Friday's hours end at 17:00 like any weekday.
        (london(2026, 12, 4, 16, 59), True),
        (london(2026, 12, 4, 17, 0), False),
    ],
)
def test_weekday_hours_at_every_boundary(now: dt.datetime, expected: bool) -> None:
    opening = team_opening(now, hours=WEEKDAYS_9_TO_5, bank_holidays=ENGLAND_2026, tz=LONDON)
    assert opening.is_open is expected
    assert opening.rules_version == DUTY_RULES_VERSION


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Spring forward: Sunday 29 March 2026, 01:00 GMT becomes 02:00 BST.
        (utc(2026, 3, 29, 9, 0), False),  # a Sunday
        # Monday 30 March 2026 is BST: 09:00 local is 08:00 UTC.
        (utc(2026, 3, 30, 7, 59), False),
        (utc(2026, 3, 30, 8, 0), True),
        (utc(2026, 3, 30, 15, 59), True),
        (utc(2026, 3, 30, 16, 0), False),
        # Friday 23 October 2026, still BST.
        (utc(2026, 10, 23, 7, 59), False),
        (utc(2026, 10, 23, 8, 0), True),
        (utc(2026, 10, 23, 16, 0), False),
        # Fall back: Sunday 25 October 2026, 02:00 BST becomes 01:00 GMT.
        (utc(2026, 10, 25, 8, 59), False),
        (utc(2026, 10, 25, 9, 0), False),  # a Sunday
        # Monday 26 October 2026 is GMT: 09:00 local is 09:00 UTC, no longer 08:00.
        (utc(2026, 10, 26, 8, 0), False),
        (utc(2026, 10, 26, 8, 59), False),
        (utc(2026, 10, 26, 9, 0), True),
        (utc(2026, 10, 26, 16, 59), True),
        (utc(2026, 10, 26, 17, 0), False),
    ],
)
def test_hours_are_local_wall_clock_across_the_clock_changes(
    now: dt.datetime, expected: bool
) -> None:
    opening = team_opening(now, hours=WEEKDAYS_9_TO_5, bank_holidays=ENGLAND_2026, tz=LONDON)
    assert opening.is_open is expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # A team open on Sundays too, on the days the clocks change.
        (utc(2026, 3, 29, 7, 59), False),  # 08:59 BST
        (utc(2026, 3, 29, 8, 0), True),  # 09:00 BST
        (utc(2026, 10, 25, 8, 59), False),  # 08:59 GMT
        (utc(2026, 10, 25, 9, 0), True),  # 09:00 GMT
        # 01:30 happens twice on 25 October (BST, then GMT): both are before opening.
        (utc(2026, 10, 25, 0, 30), False),
        (utc(2026, 10, 25, 1, 30), False),
    ],
)
def test_a_team_open_on_sundays_on_the_days_the_clocks_change(
    now: dt.datetime, expected: bool
) -> None:
    every_day = [OpeningHours(d, dt.time(9), dt.time(17)) for d in range(7)]
    assert team_opening(now, hours=every_day, bank_holidays=(), tz=LONDON).is_open is expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (london(2026, 12, 24, 10, 0), True),  # Christmas Eve is a working day
        (london(2026, 12, 25, 10, 0), False),  # Christmas Day, a Friday
        (london(2026, 12, 28, 9, 0), False),  # Monday: substitute day for Boxing Day
        (london(2026, 12, 29, 9, 0), True),
        (london(2026, 4, 3, 10, 0), False),  # Good Friday
        (london(2026, 4, 6, 10, 0), False),  # Easter Monday (England, not Scotland)
        (london(2026, 8, 31, 10, 0), False),  # Late Summer bank holiday (England)
    ],
)
def test_english_bank_holidays_are_out_of_hours(now: dt.datetime, expected: bool) -> None:
    opening = team_opening(now, hours=WEEKDAYS_9_TO_5, bank_holidays=ENGLAND_2026, tz=LONDON)
    assert opening.is_open is expected
    if not expected:
        assert "bank holiday" in opening.why


def test_the_region_decides_which_days_are_bank_holidays() -> None:
    scotland = frozenset(holidays.country_holidays("GB", subdiv="SCT", years=2026))
    easter_monday = london(2026, 4, 6, 10, 0)
    assert team_opening(
        easter_monday, hours=WEEKDAYS_9_TO_5, bank_holidays=scotland, tz=LONDON
    ).is_open
    assert dt.date(2026, 1, 2) in scotland and dt.date(2026, 1, 2) not in ENGLAND_2026


def test_a_team_without_hours_is_always_out_of_hours() -> None:
    opening = team_opening(london(2026, 12, 3, 10, 0), hours=[], bank_holidays=(), tz=LONDON)
    assert not opening.is_open
    assert opening.why == "out of the team's hours (closed on Thursday)"


def test_the_answer_says_why_in_words() -> None:
    opened = team_opening(
        london(2026, 12, 3, 10, 0), hours=WEEKDAYS_9_TO_5, bank_holidays=(), tz=LONDON
    )
    assert opened.why == "within the team's hours (Thursday 09:00–17:00)"
    closed = team_opening(
        london(2026, 12, 3, 18, 40), hours=WEEKDAYS_9_TO_5, bank_holidays=(), tz=LONDON
    )
    assert closed.why == "out of the team's hours (Thursday 09:00–17:00)"
    assert closed.local == london(2026, 12, 3, 18, 40)


def test_a_naive_time_is_refused() -> None:
    naive = dt.datetime(2026, 12, 3, 10)  # noqa: DTZ001
    with pytest.raises(ValueError, match="time-zone aware"):
        team_opening(naive, hours=WEEKDAYS_9_TO_5, bank_holidays=(), tz=LONDON)


@pytest.mark.parametrize(
    ("weekday", "opens", "closes"),
    [
        (7, dt.time(9), dt.time(17)),
        (-1, dt.time(9), dt.time(17)),
        (0, dt.time(17), dt.time(9)),
        (0, dt.time(9), dt.time(9)),
    ],
)
def test_impossible_hours_are_refused(weekday: int, opens: dt.time, closes: dt.time) -> None:
    with pytest.raises(ValueError):
        OpeningHours(weekday, opens, closes)
