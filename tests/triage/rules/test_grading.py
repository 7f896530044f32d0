"""waypoint-triage-1, table by table, at every boundary (docs/design/triage-rules.md)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from waypoint.triage.rules.config import (
    DEFAULT_CONFIG,
    TriageConfigError,
    config_with_overrides,
)
from waypoint.triage.rules.grading import (
    Context,
    Report,
    ReportInvalid,
    on_sact,
    parse_context,
    parse_items,
    triage,
)
from waypoint.triage.rules.vocabulary import SYMPTOMS, Level, Pathway

TODAY = date(2026, 11, 23)
AT = datetime(2026, 11, 23, 2, 10, tzinfo=UTC)
ON_SACT = Context(last_sact_on=TODAY - timedelta(days=3), sact_kind="chemotherapy")
OFF_SACT = Context()


def grade(*symptoms: dict[str, object], context: Context = OFF_SACT, free_text: str = ""):
    report = Report(
        reported_at=AT, items=parse_items(symptoms), context=context, free_text=free_text
    )
    return triage(report, today=TODAY)


def level_of(symptom: dict[str, object], context: Context = OFF_SACT) -> str:
    return grade(symptom, context=context).level.code


# --- Levels and clocks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("symptom", "level", "minutes"),
    [
        ({"code": "chest_pain", "present": True}, "emergency", 0),
        ({"code": "limb_weakness", "present": True}, "red", 60),
        ({"code": "spinal_pain", "present": True}, "amber", 1440),
        ({"code": "fatigue", "grade": 1}, "green", None),
    ],
)
def test_each_level_carries_its_response_clock(symptom, level, minutes):
    outcome = grade(symptom)
    assert outcome.level.code == level
    assert outcome.respond_within_minutes == minutes
    if minutes is None:
        assert outcome.respond_by is None
    else:
        assert outcome.respond_by == AT + timedelta(minutes=minutes)
    assert outcome.rules_version == "waypoint-triage-1"


def test_a_report_with_no_symptom_is_green():
    outcome = grade()
    assert outcome.level is Level.GREEN
    assert outcome.reasons == ()
    assert outcome.respond_by is None


def test_items_reported_absent_do_not_count():
    outcome = grade(
        {"code": "chest_pain", "present": False},
        {"code": "vomiting", "episodes_24h": 0},
        {"code": "fatigue", "grade": 0},
    )
    assert outcome.level is Level.GREEN
    assert outcome.reasons == ()


# --- Aggregation --------------------------------------------------------------------------------


def test_the_highest_item_sets_the_level():
    outcome = grade({"code": "fatigue", "grade": 1}, {"code": "pain", "grade": 3})
    assert outcome.level is Level.RED
    assert [r.code for r in outcome.reasons] == ["fatigue", "pain"]


def test_one_amber_stays_amber():
    assert grade({"code": "nausea", "grade": 2}).level is Level.AMBER


def test_two_ambers_make_the_report_red():
    outcome = grade({"code": "nausea", "grade": 2}, {"code": "fatigue", "grade": 2})
    assert outcome.level is Level.RED
    assert outcome.reasons[-1].code == "multiple_amber"
    assert outcome.respond_within_minutes == 60


def test_two_ambers_with_a_red_add_no_multiple_amber_reason():
    outcome = grade(
        {"code": "nausea", "grade": 2},
        {"code": "fatigue", "grade": 2},
        {"code": "pain", "grade": 3},
    )
    assert outcome.level is Level.RED
    assert "multiple_amber" not in [r.code for r in outcome.reasons]


def test_multiple_amber_count_is_configuration():
    config = dataclasses.replace(DEFAULT_CONFIG, multiple_amber_count=3)
    report = Report(
        reported_at=AT,
        items=parse_items([{"code": "nausea", "grade": 2}, {"code": "fatigue", "grade": 2}]),
    )
    assert triage(report, today=TODAY, config=config).level is Level.AMBER


# --- Graded items -------------------------------------------------------------------------------

DEFAULT_GRADED = [
    code
    for code, s in SYMPTOMS.items()
    if s.kind.value == "grade" and code not in {"bleeding", "limb_swelling", "vision", "confusion"}
]


@pytest.mark.parametrize("code", DEFAULT_GRADED)
@pytest.mark.parametrize(
    ("value", "level"), [(1, "green"), (2, "amber"), (3, "red"), (4, "emergency")]
)
def test_graded_items_follow_the_default_mapping(code, value, level):
    assert level_of({"code": code, "grade": value}) == level


@pytest.mark.parametrize(
    ("code", "levels"),
    [
        ("bleeding", ["amber", "red", "emergency", "emergency"]),
        ("limb_swelling", ["amber", "red", "red", "red"]),
        ("vision", ["amber", "red", "red", "red"]),
        ("confusion", ["red", "red", "red", "red"]),
    ],
)
def test_graded_exceptions(code, levels):
    assert [level_of({"code": code, "grade": g}) for g in (1, 2, 3, 4)] == levels


@pytest.mark.parametrize(
    ("symptom", "pathways"),
    [
        ({"code": "headache", "grade": 2}, []),
        ({"code": "headache", "grade": 3}, ["brain_metastases"]),
        ({"code": "vision", "grade": 1}, ["brain_metastases"]),
        ({"code": "confusion", "grade": 1}, ["hypercalcaemia", "brain_metastases"]),
    ],
)
def test_graded_pathways(symptom, pathways):
    assert [p.value for p in grade(symptom).pathways] == pathways


# --- Counted items (CTCAE v5 bands) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "field", "value", "level"),
    [
        ("vomiting", "episodes_24h", 1, "green"),
        ("vomiting", "episodes_24h", 2, "green"),
        ("vomiting", "episodes_24h", 3, "amber"),
        ("vomiting", "episodes_24h", 5, "amber"),
        ("vomiting", "episodes_24h", 6, "red"),
        ("diarrhoea", "stools_above_baseline_24h", 1, "green"),
        ("diarrhoea", "stools_above_baseline_24h", 3, "green"),
        ("diarrhoea", "stools_above_baseline_24h", 4, "amber"),
        ("diarrhoea", "stools_above_baseline_24h", 6, "amber"),
        ("diarrhoea", "stools_above_baseline_24h", 7, "red"),
        ("constipation", "hours_since_bowels_opened", 1, "green"),
        ("constipation", "hours_since_bowels_opened", 47, "green"),
        ("constipation", "hours_since_bowels_opened", 48, "amber"),
        ("constipation", "hours_since_bowels_opened", 71, "amber"),
        ("constipation", "hours_since_bowels_opened", 72, "red"),
    ],
)
def test_counted_items_at_every_band_edge(code, field, value, level):
    assert level_of({"code": code, field: value}) == level


@pytest.mark.parametrize(
    ("code", "field"),
    [
        ("vomiting", "episodes_24h"),
        ("diarrhoea", "stools_above_baseline_24h"),
        ("constipation", "hours_since_bowels_opened"),
    ],
)
def test_a_count_of_zero_means_absent(code, field):
    assert grade({"code": code, field: 0}).reasons == ()


# --- Temperature --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("celsius", "level", "pathways"),
    [
        (35.9, "red", ["neutropenic_sepsis"]),
        (36.0, "green", []),
        (37.4, "green", []),
        (37.5, "red", ["neutropenic_sepsis"]),
        (38.0, "red", ["neutropenic_sepsis"]),
    ],
)
def test_temperature_on_sact(celsius, level, pathways):
    outcome = grade({"code": "temperature", "celsius": celsius}, context=ON_SACT)
    assert outcome.level.code == level
    assert [p.value for p in outcome.pathways] == pathways


@pytest.mark.parametrize(
    ("celsius", "level"),
    [(35.9, "amber"), (36.0, "green"), (37.5, "green"), (37.9, "green"), (38.0, "amber")],
)
def test_temperature_off_sact(celsius, level):
    outcome = grade({"code": "temperature", "celsius": celsius})
    assert outcome.level.code == level
    assert outcome.pathways == ()


# --- Corrected calcium --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mmol", "level", "pathways"),
    [
        (2.6, "green", []),
        (2.61, "amber", ["hypercalcaemia"]),
        (3.0, "amber", ["hypercalcaemia"]),
        (3.01, "red", ["hypercalcaemia"]),
    ],
)
def test_corrected_calcium(mmol, level, pathways):
    outcome = grade({"code": "corrected_calcium", "mmol_per_l": mmol})
    assert outcome.level.code == level
    assert [p.value for p in outcome.pathways] == pathways


# --- Red-flag features --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "level", "pathways"),
    [
        ("chest_pain", "emergency", []),
        ("collapse", "emergency", []),
        ("airway_compromise", "emergency", []),
        ("seizure", "emergency", ["brain_metastases"]),
        ("limb_weakness", "red", ["mscc"]),
        ("difficulty_walking", "red", ["mscc"]),
        ("sensory_loss", "red", ["mscc"]),
        ("bladder_bowel_dysfunction", "red", ["mscc"]),
        ("spinal_pain", "amber", ["mscc"]),
        ("facial_swelling", "amber", ["svco"]),
        ("rigors", "amber", []),
        ("thirst_polyuria", "amber", ["hypercalcaemia"]),
    ],
)
def test_red_flag_features_alone(code, level, pathways):
    outcome = grade({"code": code, "present": True})
    assert outcome.level.code == level
    assert [p.value for p in outcome.pathways] == pathways


def test_spinal_pain_with_weak_legs_is_red_through_the_weakness():
    outcome = grade(
        {"code": "spinal_pain", "present": True}, {"code": "limb_weakness", "present": True}
    )
    assert outcome.level is Level.RED
    assert outcome.pathways == (Pathway.MSCC,)


@pytest.mark.parametrize(("breathless", "level"), [(0, "amber"), (1, "red"), (3, "red")])
def test_facial_swelling_is_red_with_any_breathlessness(breathless, level):
    outcome = grade(
        {"code": "facial_swelling", "present": True},
        {"code": "breathlessness", "grade": breathless},
    )
    assert next(r for r in outcome.reasons if r.code == "facial_swelling").level.code == level


def test_airway_compromise_with_facial_swelling_triggers_svco():
    outcome = grade(
        {"code": "airway_compromise", "present": True}, {"code": "facial_swelling", "present": True}
    )
    assert outcome.level is Level.EMERGENCY
    assert Pathway.SVCO in outcome.pathways


def test_rigors_on_sact_are_red_with_the_sepsis_pathway():
    outcome = grade({"code": "rigors", "present": True}, context=ON_SACT)
    assert outcome.level is Level.RED
    assert outcome.pathways == (Pathway.NEUTROPENIC_SEPSIS,)


# --- Context ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "days_ago", "expected"),
    [
        ("chemotherapy", 0, True),
        ("chemotherapy", 42, True),
        ("chemotherapy", 43, False),
        ("targeted", 42, True),
        ("targeted", 43, False),
        ("immunotherapy", 43, True),
        ("immunotherapy", 365, True),
        ("immunotherapy", 366, False),
        ("endocrine", 0, False),
    ],
)
def test_on_sact_windows(kind, days_ago, expected):
    context = Context(last_sact_on=TODAY - timedelta(days=days_ago), sact_kind=kind)
    assert on_sact(context, today=TODAY) is expected


def test_no_context_is_not_on_sact():
    assert on_sact(Context(), today=TODAY) is False


def test_context_is_parsed_and_checked():
    assert parse_context(
        {"last_sact_on": "2026-11-20", "sact_kind": "chemotherapy"}, today=TODAY
    ) == (Context(last_sact_on=date(2026, 11, 20), sact_kind="chemotherapy"))
    with pytest.raises(ReportInvalid) as caught:
        parse_context({"last_sact_on": "2026-11-30", "sact_kind": "radiotherapy"}, today=TODAY)
    locations = {e.location for e in caught.value.errors}
    assert locations == {"context.sact_kind", "context.last_sact_on"}
    with pytest.raises(ReportInvalid):
        parse_context({"last_sact_on": "2026-11-20"}, today=TODAY)


# --- Advice -------------------------------------------------------------------------------------


def test_emergency_advice_says_call_999():
    assert "Call 999 now" in grade({"code": "collapse", "present": True}).advice


def test_sepsis_advice_does_not_wait():
    outcome = grade({"code": "temperature", "celsius": 38.1}, context=ON_SACT)
    assert "within 1 hour" in outcome.advice
    assert "antibiotics" in outcome.advice


# --- Unknown input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("symptoms", "location", "fragment"),
    [
        ([{"code": "hiccups", "grade": 1}], "symptoms[0].code", "unknown symptom"),
        ([{"code": "pain"}], "symptoms[0].grade", "needs grade"),
        ([{"code": "pain", "grade": 5}], "symptoms[0].grade", "0 to 4"),
        ([{"code": "pain", "grade": -1}], "symptoms[0].grade", "0 to 4"),
        ([{"code": "pain", "grade": 2.5}], "symptoms[0].grade", "whole number"),
        ([{"code": "pain", "grade": True}], "symptoms[0].grade", "number"),
        (
            [{"code": "pain", "grade": 1}, {"code": "pain", "grade": 2}],
            "symptoms[1].code",
            "more than once",
        ),
        ([{"code": "chest_pain", "present": "yes"}], "symptoms[0].present", "true or false"),
        ([{"code": "vomiting", "episodes_24h": -1}], "symptoms[0].episodes_24h", "0 or more"),
        ([{"code": "temperature", "celsius": 29.9}], "symptoms[0].celsius", "between 30 and 45"),
        ([{"code": "temperature", "celsius": 45.1}], "symptoms[0].celsius", "between 30 and 45"),
        (
            [{"code": "corrected_calcium", "mmol_per_l": 0.9}],
            "symptoms[0].mmol_per_l",
            "between 1 and 6",
        ),
        (
            [{"code": "corrected_calcium", "mmol_per_l": 6.1}],
            "symptoms[0].mmol_per_l",
            "between 1 and 6",
        ),
        ([{"code": "pain", "grade": 1, "celsius": 37}], "symptoms[0]", "does not take celsius"),
        (["pain"], "symptoms[0]", "object"),
    ],
)
def test_bad_items_are_rejected_naming_the_item(symptoms, location, fragment):
    with pytest.raises(ReportInvalid) as caught:
        parse_items(symptoms)
    error = caught.value.errors[0]
    assert error.location == location
    assert fragment in error.message


@pytest.mark.parametrize(
    "symptom",
    [
        {"code": "temperature", "celsius": 30.0},
        {"code": "temperature", "celsius": 45.0},
        {"code": "corrected_calcium", "mmol_per_l": 1.0},
        {"code": "corrected_calcium", "mmol_per_l": 6.0},
    ],
)
def test_physical_range_limits_are_inclusive(symptom):
    assert parse_items([symptom])


def test_every_error_is_reported_at_once():
    with pytest.raises(ReportInvalid) as caught:
        parse_items([{"code": "nope"}, {"code": "pain", "grade": 9}])
    assert len(caught.value.errors) == 2


# --- Free text ----------------------------------------------------------------------------------


def test_free_text_red_flag_raises_green_to_amber_and_asks_for_review():
    outcome = grade({"code": "fatigue", "grade": 1}, free_text="and my legs went weak last night")
    assert outcome.level is Level.AMBER
    assert outcome.needs_review is True
    assert "free_text_limb_weakness" in [r.code for r in outcome.reasons]
    assert outcome.respond_within_minutes == 1440


def test_free_text_already_captured_by_an_item_adds_nothing():
    outcome = grade({"code": "limb_weakness", "present": True}, free_text="my legs went weak")
    assert outcome.needs_review is False
    assert [r.code for r in outcome.reasons] == ["limb_weakness"]


def test_fever_in_words_is_captured_by_a_temperature_reading():
    outcome = grade({"code": "temperature", "celsius": 36.8}, free_text="I feel feverish")
    assert outcome.needs_review is False


def test_negated_words_raise_nothing():
    outcome = grade(free_text="no chest pain and I'm not breathless")
    assert outcome.level is Level.GREEN
    assert outcome.needs_review is False


def test_free_text_does_not_lower_a_red_report():
    outcome = grade({"code": "limb_weakness", "present": True}, free_text="I had a fit")
    assert outcome.level is Level.RED
    assert outcome.needs_review is True


# --- Configuration ------------------------------------------------------------------------------


def test_overrides_change_a_threshold():
    config = config_with_overrides({"sact_window_days": 21})
    context = Context(last_sact_on=TODAY - timedelta(days=22), sact_kind="chemotherapy")
    assert on_sact(context, today=TODAY, config=config) is False


@pytest.mark.parametrize(
    "overrides",
    [
        {"no_such_setting": 1},
        {"sact_window_days": "42"},
        {"sact_window_days": -1},
        {"vomiting_amber_from_episodes": 9},
        {"multiple_amber_count": 1},
    ],
)
def test_bad_overrides_fail_loudly(overrides):
    with pytest.raises(TriageConfigError):
        config_with_overrides(overrides)
