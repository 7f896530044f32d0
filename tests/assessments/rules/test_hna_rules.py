"""waypoint-hna-1 scoring and the distress rule, and waypoint-hna-due-1, at every boundary."""

from __future__ import annotations

import datetime as dt

import pytest

from waypoint.assessments.rules.due import Trigger, hna_due
from waypoint.assessments.rules.hna import (
    CONCERNS,
    DISTRESS,
    FREE_TEXT,
    AnswersInvalid,
    check_answers,
    questionnaire_resource,
    score,
)

TODAY = dt.date(2026, 11, 24)
T0 = Trigger(dt.date(2026, 10, 1), "secondary diagnosis")


@pytest.mark.parametrize(("distress", "refer"), [(0, False), (3, False), (4, True), (10, True)])
def test_a_distress_score_of_four_or_more_prompts_a_psychosocial_referral(distress, refer):
    assert score({DISTRESS: distress}).needs_psychosocial_referral is refer


def test_no_distress_score_prompts_nothing():
    assert score({}).needs_psychosocial_referral is False


def test_top_concerns_are_those_rated_five_or_more_highest_first():
    result = score(
        {"practical.money": 8, "physical.fatigue": 8, "emotional.worry": 5, "physical.pain": 4}
    )
    assert [(c.code, v) for c, v in result.top_concerns] == [
        ("physical.fatigue", 8),
        ("practical.money", 8),
        ("emotional.worry", 5),
    ]
    assert result.domain_highest["physical"] == 8
    assert result.domain_highest["spiritual"] == 0


@pytest.mark.parametrize(
    ("answers", "key"),
    [
        ({DISTRESS: 11}, DISTRESS),
        ({DISTRESS: -1}, DISTRESS),
        ({DISTRESS: 2.5}, DISTRESS),
        ({DISTRESS: True}, DISTRESS),
        ({"physical.pain": "7"}, "physical.pain"),
        ({"physical.unicorns": 3}, "physical.unicorns"),
        ({FREE_TEXT: "x" * 4001}, FREE_TEXT),
    ],
)
def test_bad_answers_are_named(answers, key):
    with pytest.raises(AnswersInvalid) as caught:
        check_answers(answers, complete=False)
    assert key in caught.value.errors


def test_a_draft_may_be_partial_but_a_finished_one_needs_distress():
    assert check_answers({"physical.pain": 3}, complete=False) == {"physical.pain": 3}
    with pytest.raises(AnswersInvalid) as caught:
        check_answers({"physical.pain": 3}, complete=True)
    assert DISTRESS in caught.value.errors
    assert check_answers({DISTRESS: 0, FREE_TEXT: "  "}, complete=True) == {DISTRESS: 0}


def test_the_questionnaire_has_every_concern_in_fhir_shape():
    resource = questionnaire_resource(canonical="https://waypoint.example/fhir")
    assert resource["resourceType"] == "Questionnaire"
    link_ids = {i["linkId"] for g in resource["item"] for i in g.get("item", [])}
    assert link_ids == set(CONCERNS)
    assert resource["item"][0]["linkId"] == DISTRESS


def due(**kwargs):  # type: ignore[no-untyped-def]
    base = {
        "triggers": [T0],
        "last_done": None,
        "today": TODAY,
        "interval_days": 180,
        "offer_within_days": 31,
    }
    return hna_due(**(base | kwargs))


def test_due_from_the_secondary_diagnosis_and_overdue_after_31_days():
    assert due(today=dt.date(2026, 10, 1)).due is True
    assert due(today=dt.date(2026, 11, 1)).overdue is False  # day 31
    status = due(today=dt.date(2026, 11, 2))  # day 32
    assert (status.overdue, status.reason, status.deadline) == (
        True,
        "secondary diagnosis",
        dt.date(2026, 11, 1),
    )


def test_not_due_once_done_until_the_next_trigger_or_interval():
    assert due(last_done=dt.date(2026, 10, 10)).due is False
    progression = Trigger(dt.date(2026, 11, 20), "progression")
    status = due(triggers=[T0, progression], last_done=dt.date(2026, 10, 10))
    assert (status.due, status.reason, status.since) == (True, "progression", progression.on)


def test_an_assessment_on_the_trigger_day_answers_it():
    progression = Trigger(dt.date(2026, 11, 20), "progression")
    assert due(triggers=[T0, progression], last_done=progression.on).due is False


@pytest.mark.parametrize(("days", "is_due"), [(179, False), (180, True)])
def test_routine_review_after_the_interval(days, is_due):
    last = TODAY - dt.timedelta(days=days)
    status = due(triggers=[], last_done=last)
    assert status.due is is_due
    if is_due:
        assert status.reason == "routine review"


def test_future_triggers_do_not_count_and_no_trigger_means_not_due():
    assert due(triggers=[Trigger(TODAY + dt.timedelta(days=1), "requested")]).due is False
    assert due(triggers=[]).due is False
