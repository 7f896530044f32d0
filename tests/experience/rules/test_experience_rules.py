"""waypoint-experience-due-1 at every boundary, the answer checks, names, small numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from waypoint.experience.rules.disclosure import count_text, is_small, percent_text
from waypoint.experience.rules.due import (
    Person,
    Schedule,
    closes_on,
    experience_due,
    is_open,
)
from waypoint.experience.rules.questionnaire import (
    QUESTIONS,
    Answers,
    AnswersInvalid,
    check_answers,
    names_match,
    questionnaire_resource,
)

RULES = Schedule(first_days=90, interval_days=180, open_days=30)
T0 = dt.date(2026, 1, 10)
FIRST = T0 + dt.timedelta(days=90)  # 10 April 2026


def person(**overrides: object) -> Person:
    values: dict[str, object] = {
        "t0": T0,
        "died_on": None,
        "reachable": True,
        "last_invited_on": None,
    }
    return Person(**(values | overrides))  # type: ignore[arg-type]  # test overrides


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (T0, False),
        (FIRST - dt.timedelta(days=1), False),
        (FIRST, True),
        (FIRST + dt.timedelta(days=400), True),
    ],
)
def test_the_first_survey_falls_due_at_t0_plus_90_days(today, due):
    status = experience_due(person(), today=today, schedule=RULES)
    assert (status.due, status.due_on, status.reason) == (due, FIRST, "first survey")
    assert status.rules_version == "waypoint-experience-due-1"


@pytest.mark.parametrize(
    ("days_since_last", "due"),
    [(0, False), (1, False), (179, False), (180, True), (181, True)],
)
def test_the_next_survey_falls_due_180_days_after_the_last_invitation(days_since_last, due):
    last = dt.date(2026, 4, 10)
    status = experience_due(
        person(last_invited_on=last),
        today=last + dt.timedelta(days=days_since_last),
        schedule=RULES,
    )
    assert status.due is due
    assert status.due_on == dt.date(2026, 10, 7)
    assert status.reason == "routine survey"


@pytest.mark.parametrize(
    ("died_on", "due"),
    [(FIRST - dt.timedelta(days=1), False), (FIRST, False), (FIRST + dt.timedelta(days=1), True)],
)
def test_no_survey_is_sent_once_the_person_has_died(died_on, due):
    status = experience_due(person(died_on=died_on), today=FIRST, schedule=RULES)
    assert status.due is due


def test_no_survey_without_a_secondary_diagnosis_or_a_way_to_reach_the_person():
    assert not experience_due(person(t0=None), today=FIRST, schedule=RULES).due
    unreachable = experience_due(person(reachable=False), today=FIRST, schedule=RULES)
    assert (unreachable.due, unreachable.due_on) == (False, None)


@pytest.mark.parametrize(("days_after", "open_"), [(0, True), (29, True), (30, False), (31, False)])
def test_an_invitation_is_open_for_30_days_from_the_day_it_was_sent(days_after, open_):
    sent = dt.date(2026, 4, 10)
    closes = closes_on(sent, schedule=RULES)
    assert closes == dt.date(2026, 5, 10)
    assert is_open(closes, today=sent + dt.timedelta(days=days_after)) is open_


def test_answers_may_all_be_skipped():
    assert check_answers({}) == Answers()
    assert check_answers({q.code: "" for q in QUESTIONS}) == Answers()


def test_valid_answers_are_kept_and_text_trimmed():
    answers = check_answers(
        {
            "names_key_worker": "yes",
            "key_worker_name": "  Kate ",
            "offered_helpline": "dont_remember",
            "care_coordinated": "mostly",
            "comment": " Thank you ",
        }
    )
    assert answers.names_key_worker == "yes"
    assert answers.key_worker_name == "Kate"
    assert answers.offered_helpline == "dont_remember"
    assert answers.comment == "Thank you"


def test_every_invalid_value_is_named():
    with pytest.raises(AnswersInvalid) as caught:
        check_answers(
            {
                "names_key_worker": "maybe",
                "offered_helpline": "not_sure",  # not an option of this question
                "care_coordinated": "always",
                "comment": "x" * 2001,
                "favourite_colour": "blue",
            }
        )
    assert set(caught.value.errors) == {
        "names_key_worker",
        "offered_helpline",
        "comment",
        "favourite_colour",
    }


@pytest.mark.parametrize(
    ("written", "match"),
    [
        ("Kate Walker", True),
        ("kate walker", True),
        ("  KATE   WALKER ", True),
        ("Kate", True),
        ("walker", True),
        ("Sister Kate Walker", True),
        ("Kate W.", False),
        ("Katie", False),
        ("Colin Lee", False),
        ("", False),
        ("nurse", False),
    ],
)
def test_a_written_name_matches_the_key_worker_ignoring_case(written, match):
    assert names_match(written, first_name="Kate", last_name="Walker") is match


@pytest.mark.parametrize(
    ("count", "small"), [(0, False), (1, True), (4, True), (5, False), (6, False)]
)
def test_counts_from_1_to_n_minus_1_are_small(count, small):
    assert is_small(count, threshold=5) is small
    assert count_text(count, threshold=5) == ("fewer than 5" if small else str(count))
    assert count_text(count, threshold=None) == str(count)


def test_a_share_built_on_a_small_number_is_withheld():
    assert percent_text(4, 10, threshold=5) == "withheld"
    assert percent_text(5, 4, threshold=5) == "withheld"
    assert percent_text(5, 10, threshold=5) == "50%"
    assert percent_text(0, 10, threshold=5) == "0%"
    assert percent_text(0, 0, threshold=5) == "–"
    assert percent_text(1, 3, threshold=None) == "33.3%"


def test_the_questionnaire_is_a_valid_fhir_r4_questionnaire_with_every_question_optional():
    resource = questionnaire_resource(canonical="https://waypoint.example/fhir")
    parsed = Questionnaire.model_validate(resource)
    assert parsed.version == "waypoint-experience-1"

    def link_ids(items: list[dict[str, object]]) -> list[str]:
        found: list[str] = []
        for item in items:
            found.append(str(item["linkId"]))
            assert item.get("required") in (None, False)
            found += link_ids(item.get("item", []))  # type: ignore[arg-type]  # nested items
        return found

    ids = link_ids(resource["item"])
    for q in QUESTIONS:
        assert q.code in ids
    assert "key_worker_name" in ids and "comment" in ids
