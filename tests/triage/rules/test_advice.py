"""The advice source (waypoint-advice-1): every sign listed agrees with the grading rules."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from waypoint.triage.rules import advice
from waypoint.triage.rules.advice import EMERGENCY_SIGNS, LEVELS, PATHWAYS, URGENT_SIGNS, Sign
from waypoint.triage.rules.grading import Context, Report, make_item, triage
from waypoint.triage.rules.vocabulary import Level, Pathway

NOW = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)


def graded(sign: Sign):  # type: ignore[no-untyped-def]
    context = (
        Context(last_sact_on=NOW.date() - dt.timedelta(days=7), sact_kind="chemotherapy")
        if sign.on_sact
        else Context()
    )
    items = tuple(make_item(code, value) for code, value in sign.example)
    return triage(Report(reported_at=NOW, items=items, context=context), today=NOW.date())


@pytest.mark.parametrize("sign", EMERGENCY_SIGNS, ids=lambda s: s.words)
def test_every_sign_listed_under_call_999_grades_as_an_emergency(sign: Sign) -> None:
    assert graded(sign).level is Level.EMERGENCY


@pytest.mark.parametrize("sign", URGENT_SIGNS, ids=lambda s: s.words)
def test_every_sign_listed_under_call_your_team_now_grades_red(sign: Sign) -> None:
    outcome = graded(sign)
    assert outcome.level is Level.RED
    if sign.pathway is not None:
        assert sign.pathway in outcome.pathways


def test_every_pathway_has_advice_in_both_registers_with_a_source() -> None:
    assert set(PATHWAYS) == set(Pathway)
    for item in PATHWAYS.values():
        assert item.person and item.read_out and item.action and item.source


def test_every_level_has_a_care_card_and_both_registers() -> None:
    assert set(LEVELS) == set(Level)
    assert {LEVELS[level].card for level in Level} == {"emergency", "urgent", "non-urgent"}
    assert LEVELS[Level.EMERGENCY].card == "emergency"
    assert LEVELS[Level.RED].card == "urgent"


@pytest.mark.parametrize(
    ("level", "pathways", "on_sact"),
    [
        (level, pathways, on_sact)
        for level in Level
        for pathways in itertools.chain([()], ((p,) for p in Pathway))
        for on_sact in (False, True)
    ],
)
def test_what_a_nurse_reads_out_never_sends_the_caller_to_another_phone_line(
    level: Level, pathways: tuple[Pathway, ...], on_sact: bool
) -> None:
    """The caller is already speaking to the helpline: sending them to "the 24-hour line" or to
    "call your team" wastes minutes that matter in sepsis and MSCC."""
    text = advice.read_out_for(level, pathways, on_sact=on_sact).lower()
    for phrase in ("24-hour", "helpline", "out-of-hours number", "call your team"):
        assert phrase not in text


def test_the_person_is_never_told_both_to_call_999_and_that_it_can_wait() -> None:
    assert "999 now" in advice.advice_for(Level.EMERGENCY, (), on_sact=False)
    red = advice.advice_for(Level.RED, (Pathway.MSCC,), on_sact=False)
    assert red.startswith("Call your team now")
    assert "Lie flat" in red
    assert "within 24 hours" in advice.advice_for(Level.AMBER, (), on_sact=False)


def test_green_advice_adds_no_pathway_words() -> None:
    text = advice.advice_for(Level.GREEN, (Pathway.MSCC,), on_sact=False)
    assert text == LEVELS[Level.GREEN].person


def test_emergency_advice_says_the_person_is_on_treatment_when_they_are() -> None:
    assert "and are having treatment" in advice.advice_for(Level.EMERGENCY, (), on_sact=True)
    assert "and are having treatment" not in advice.advice_for(Level.EMERGENCY, (), on_sact=False)
    assert "and are having treatment" in advice.read_out_for(Level.EMERGENCY, (), on_sact=True)
