"""The SQL subtype expression against the pure rule, for every value the fields may hold."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db.models import Value
from tests.reports.conftest import person

from waypoint.careteam.models import Team
from waypoint.registry.models import Her2Status, Patient, ReceptorStatus
from waypoint.registry.rules.subtype import ER_PR_VALUES, HER2_VALUES, report_subtype
from waypoint.reports import expressions

pytestmark = pytest.mark.django_db


def test_the_value_lists_match_the_registry_choices() -> None:
    assert set(ER_PR_VALUES) == {*ReceptorStatus.values, ""}
    assert set(HER2_VALUES) == {*Her2Status.values, ""}


def test_the_sql_expression_agrees_with_the_rule_for_every_combination(world) -> None:
    combinations = list(itertools.product(ER_PR_VALUES, ER_PR_VALUES, HER2_VALUES))
    assert len(combinations) == 96
    one_row = Team.objects.filter(pk=world.team_a.pk)
    for er, pr, her2 in combinations:
        key = Value(f"{er}|{pr}|{her2}")
        got = one_row.annotate(s=expressions.subtype_case(key)).values_list("s", flat=True).get()
        assert got == report_subtype(er, pr, her2), (er, pr, her2)


def subtype_in_sql(patient: Patient) -> str:
    return (
        Patient.objects.filter(pk=patient.pk)
        .annotate(s=expressions.subtype())
        .values_list("s", flat=True)
        .get()
    )


def test_the_metastatic_result_wins_over_the_primary_and_the_latest_over_older(world) -> None:
    only_primary = person(world, primary=("positive", "positive", "negative"))
    retested = person(
        world,
        primary=("positive", "positive", "negative"),
        metastatic=("negative", "negative", "negative"),
    )
    nothing = person(world)
    assert subtype_in_sql(only_primary) == "hr_positive_her2_negative"
    assert subtype_in_sql(retested) == "triple_negative"
    assert subtype_in_sql(nothing) == "unknown"
    from waypoint.registry.services import SiteInput, secondary_diagnosis_record

    secondary_diagnosis_record(
        actor=None,
        patient=retested,
        diagnosed_on=dt.date(2026, 9, 1),
        presentation="recurrence",
        sites=[SiteInput("liver")],
        er="negative",
        pr="negative",
        her2="positive",
        receptors_assessed_on=dt.date(2026, 9, 5),
    )
    assert subtype_in_sql(retested) == "her2_positive"
