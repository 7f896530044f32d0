"""The import's inference rules (waypoint-fhir-inbound-1): every boundary, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from waypoint.fhir.mapping.drugs import classify, drugs_in_text, line_kind
from waypoint.fhir.mapping.rules import (
    DoseEvent,
    ExistingLine,
    InboundConfig,
    group_lines,
    presentation_for,
    specimen_for,
    stop_reason_from,
)

D = dt.date
CONFIG = InboundConfig()


@pytest.mark.parametrize(
    ("primary_on", "stage_iv", "expected"),
    [
        (D(2020, 1, 1), False, "de_novo"),  # same day
        (D(2019, 10, 3), False, "de_novo"),  # 90 days: the boundary is inside the window
        (D(2019, 10, 2), False, "recurrence"),  # 91 days
        (D(2010, 1, 1), True, "de_novo"),  # stage IV at presentation wins over the gap
        (None, True, "de_novo"),
        (None, False, "recurrence"),  # configured default
    ],
)
def test_presentation_boundaries(primary_on: dt.date | None, stage_iv: bool, expected: str) -> None:
    got, reason = presentation_for(
        secondary_on=D(2020, 1, 1), primary_on=primary_on, primary_stage_iv=stage_iv, config=CONFIG
    )
    assert got == expected
    assert reason


def test_presentation_unknown_can_be_rejected() -> None:
    got, _ = presentation_for(
        secondary_on=D(2020, 1, 1),
        primary_on=None,
        primary_stage_iv=False,
        config=InboundConfig(presentation_unknown="reject"),
    )
    assert got is None


@pytest.mark.parametrize(
    ("focus", "body", "expected"),
    [
        (["primary"], [], "primary"),
        (["metastatic"], [], "metastatic"),
        ([], ["metastatic"], "metastatic"),
        (["primary"], ["metastatic"], "unknown"),  # the data contradicts itself
        ([], [], "unknown"),  # never inferred from a date
    ],
)
def test_specimen_only_from_what_the_data_says(
    focus: list[str], body: list[str], expected: str
) -> None:
    assert specimen_for(focus_kinds=focus, body_site_kinds=body) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Paclitaxel 100 MG Injection", ["paclitaxel"]),
        ("ado-trastuzumab emtansine 100 MG Injection", ["trastuzumab emtansine"]),
        ("Trastuzumab deruxtecan", ["trastuzumab deruxtecan"]),
        ("pertuzumab / trastuzumab", ["pertuzumab", "trastuzumab"]),
        ("Hydrochlorothiazide 25 MG Oral Tablet", []),
        ("taxol", []),  # brand names are not guessed
    ],
)
def test_drug_names_longest_first(text: str, expected: list[str]) -> None:
    assert drugs_in_text(text) == expected


def test_fixture_codes_classify_by_code_before_name() -> None:
    rx = "http://www.nlm.nih.gov/research/umls/rxnorm"
    assert classify([(rx, "1946828", "no name here")], "") == ["abemaciclib"]
    assert classify([(rx, "0000000", "Unknown drug")], "") == []


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (["abemaciclib", "fulvestrant"], "targeted"),
        (["docetaxel", "pertuzumab", "trastuzumab"], "her2_directed"),
        (["paclitaxel", "pembrolizumab"], "immunotherapy"),
        (["trastuzumab deruxtecan"], "adc"),
        (["letrozole"], "endocrine"),
        (["capecitabine"], "chemotherapy"),
    ],
)
def test_line_kind_precedence(names: list[str], kind: str) -> None:
    assert line_kind(names) == kind


def ev(key: int, drug: str, on: dt.date, *, finished: bool = False) -> DoseEvent:
    return DoseEvent(key, (drug,), on, None, finished, False)


def test_drugs_started_within_the_window_form_one_line_and_a_new_drug_starts_the_next() -> None:
    lines = group_lines(
        [
            ev(1, "abemaciclib", D(2019, 4, 1)),
            ev(2, "fulvestrant", D(2019, 4, 29)),  # day 28: still the same regimen
            ev(3, "fulvestrant", D(2019, 6, 1)),
            ev(4, "ribociclib", D(2019, 6, 1)),
        ],
        existing=None,
        progression_dates=[D(2019, 5, 20)],
        config=CONFIG,
    )
    assert [(ln.drugs, ln.started_on) for ln in lines] == [
        (("abemaciclib", "fulvestrant"), D(2019, 4, 1)),
        (("fulvestrant", "ribociclib"), D(2019, 6, 1)),
    ]
    assert (lines[0].stopped_on, lines[0].stop_reason) == (D(2019, 6, 1), "progression")
    assert not lines[0].stop_reason_inferred
    assert lines[1].stopped_on is None


def test_a_drug_on_day_29_starts_a_new_line() -> None:
    lines = group_lines(
        [ev(1, "letrozole", D(2019, 4, 1)), ev(2, "palbociclib", D(2019, 4, 30))],
        existing=None,
        progression_dates=[],
        config=CONFIG,
    )
    assert [ln.drugs for ln in lines] == [("letrozole",), ("palbociclib",)]
    assert lines[0].stop_reason == "completed" and lines[0].stop_reason_inferred


def test_repeated_doses_of_the_same_regimen_are_cycles_of_one_line() -> None:
    days = [D(2020, 1, 21), D(2020, 2, 10), D(2020, 3, 3), D(2020, 3, 25)]
    lines = group_lines(
        [ev(i, "paclitaxel", d, finished=True) for i, d in enumerate(days)],
        existing=None,
        progression_dates=[],
        config=CONFIG,
    )
    assert len(lines) == 1
    assert lines[0].dose_dates == tuple(days)
    assert (lines[0].stopped_on, lines[0].stop_reason) == (D(2020, 3, 25), "completed")


def test_an_existing_active_line_is_continued_by_its_own_drugs() -> None:
    existing = ExistingLine(7, frozenset({"paclitaxel"}), D(2020, 1, 1))
    lines = group_lines(
        [ev(1, "paclitaxel", D(2020, 3, 1))], existing=existing, progression_dates=[], config=CONFIG
    )
    assert [(ln.line_id, ln.dose_dates) for ln in lines] == [(7, (D(2020, 3, 1),))]


@pytest.mark.parametrize(
    ("ended_on", "stopped_on"),
    [
        (D(2026, 11, 10), D(2026, 11, 10)),  # its own end date, before the next line
        (D(2026, 11, 12), D(2026, 11, 12)),  # the same day the next starts
        (D(2026, 11, 20), D(2026, 11, 12)),  # an end after the next start: the next start
        (None, D(2026, 11, 12)),  # no end recorded: the next start
    ],
)
def test_a_line_ends_on_its_recorded_end_at_the_latest_when_the_next_starts(
    ended_on: dt.date | None, stopped_on: dt.date
) -> None:
    lines = group_lines(
        [
            DoseEvent(1, ("ribociclib", "letrozole"), D(2026, 10, 5), ended_on, True, False),
            DoseEvent(2, ("capecitabine",), D(2026, 11, 12), None, False, False),
        ],
        existing=None,
        progression_dates=[],
        config=CONFIG,
    )
    assert lines[0].stopped_on == stopped_on


def test_a_stop_reason_the_resource_gives_wins_over_inference() -> None:
    lines = group_lines(
        [
            DoseEvent(1, ("paclitaxel",), D(2026, 1, 5), D(2026, 3, 1), True, False, "toxicity"),
            DoseEvent(2, ("capecitabine",), D(2026, 3, 20), None, False, False),
        ],
        existing=None,
        progression_dates=[D(2026, 3, 10)],
        config=CONFIG,
    )
    assert (lines[0].stop_reason, lines[0].stop_reason_inferred) == ("toxicity", False)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Progression", "progression"),
        ("Disease progressed", "progression"),
        ("Toxicity", "toxicity"),
        ("Stopped for side effects", "toxicity"),
        ("Completed", "completed"),
        ("Patient's choice", "choice"),
        ("Declined further treatment", "choice"),
        ("Death", "death"),
        ("", ""),
        ("Other", ""),
        ("Progression and toxicity", ""),  # two reasons: say neither rather than guess
    ],
)
def test_stop_reasons_are_read_only_from_clear_words(text: str, reason: str) -> None:
    assert stop_reason_from(text) == reason
