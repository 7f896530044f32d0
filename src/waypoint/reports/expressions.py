"""SQL expressions for the population breakdowns, so that every count is one aggregate query.

The subtype expression is generated from the pure rule (``report_subtype``) over every value a
receptor field may hold, so the database and Python cannot disagree;
tests/reports/test_expressions.py checks every combination anyway.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict

from django.db.models import (
    Case,
    CharField,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import In, LessThan

from waypoint.registry.models import PrimaryDiagnosis, SecondaryDiagnosis
from waypoint.registry.rules.subtype import ER_PR_VALUES, HER2_VALUES, report_subtype
from waypoint.reports.rules.figures import AGE_BANDS, latest_birth_date_for_age

SEPARATOR = "|"


def _receptor_key(er: str, pr: str, her2: str) -> str:
    return SEPARATOR.join((er, pr, her2))


class ReceptorKey(Func):
    """ "er|pr|her2" of a row, for matching against the rule's table. The columns are NOT NULL
    (blank means not recorded), so plain ``||`` (SQLite and PostgreSQL alike) is enough."""

    template = "(%(expressions)s)"
    arg_joiner = " || '|' || "
    output_field = CharField()


def _key_of() -> ReceptorKey:
    return ReceptorKey(F("er"), F("pr"), F("her2"))


def subtype() -> Coalesce:
    """The report subtype of the latest metastatic result, else of the latest primary, else
    "unknown" (the choice ``registry.selectors.current_receptors`` makes for one person).

    Each subquery classifies its own row, so the receptor columns are read once per person,
    not once per WHEN."""
    metastatic = (
        SecondaryDiagnosis.objects.filter(
            patient=OuterRef("pk"), receptors_assessed_on__isnull=False
        )
        .exclude(er="")
        .order_by("-receptors_assessed_on", "diagnosed_on", "id")
        .annotate(classified=subtype_case(_key_of()))
        .values("classified")[:1]
    )
    primary = (
        PrimaryDiagnosis.objects.filter(patient=OuterRef("pk"))
        .order_by("-diagnosed_on", "-id")
        .annotate(classified=subtype_case(_key_of()))
        .values("classified")[:1]
    )
    return Coalesce(
        Subquery(metastatic, output_field=CharField()),
        Subquery(primary, output_field=CharField()),
        Value(report_subtype("", "", "")),
        output_field=CharField(),
    )


def subtype_case(key: Expression | F) -> Case:
    """``report_subtype`` over a receptor key, as one CASE: a WHEN per subtype listing every
    key that gives it."""
    keys: dict[str, list[str]] = defaultdict(list)
    for er, pr, her2 in itertools.product(ER_PR_VALUES, ER_PR_VALUES, HER2_VALUES):
        keys[report_subtype(er, pr, her2)].append(_receptor_key(er, pr, her2))
    return Case(
        *[
            When(In(key, sorted(values)), then=Value(subtype))
            for subtype, values in sorted(keys.items())
            if subtype != "unknown"
        ],
        default=Value("unknown"),
        output_field=CharField(),
    )


def presentation() -> Subquery:
    """De novo or recurrence, from the earliest secondary diagnosis (the one that set T0)."""
    return Subquery(
        SecondaryDiagnosis.objects.filter(patient=OuterRef("pk"))
        .order_by("diagnosed_on", "id")
        .values("presentation")[:1],
        output_field=CharField(),
    )


def age_band_today(today: dt.date) -> Case:
    """The age band today, from birth-date thresholds (someone 40 today was born on or before
    today's date 40 years ago)."""
    whens = [
        When(
            birth_date__gt=latest_birth_date_for_age(today, band.highest + 1),
            then=Value(band.code),
        )
        for band in AGE_BANDS
        if band.highest is not None
    ]
    return Case(*whens, default=Value(AGE_BANDS[-1].code), output_field=CharField())


def age_at_t0() -> Expression:
    """Completed years between birth and T0, in SQL (any database): the difference of the
    years, less one when T0 falls before the birthday in its year."""
    t0_day = ExtractMonth("metastatic_diagnosed_on") * 100 + ExtractDay("metastatic_diagnosed_on")
    birth_day = ExtractMonth("birth_date") * 100 + ExtractDay("birth_date")
    before_birthday = Case(
        When(LessThan(t0_day, birth_day), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return ExtractYear("metastatic_diagnosed_on") - ExtractYear("birth_date") - before_birthday


def age_band_of(age: Expression) -> Case:
    whens = [
        When(LessThan(age, Value(band.highest + 1)), then=Value(band.code))
        for band in AGE_BANDS
        if band.highest is not None
    ]
    return Case(*whens, default=Value(AGE_BANDS[-1].code), output_field=CharField())
