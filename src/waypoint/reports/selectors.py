"""Who may see which figures, and the population counts: each breakdown is one aggregate query
over the people in scope, however many there are."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet
from django.db.models.functions import TruncMonth

from waypoint.accounts.models import User
from waypoint.careteam.models import Organisation, Team
from waypoint.careteam.selectors import aggregate_scope_for
from waypoint.core.errors import ValidationFailed
from waypoint.registry.models import MetastaticSiteCode, Patient, Presentation
from waypoint.registry.rules.subtype import REPORT_SUBTYPE_LABELS
from waypoint.reports import expressions
from waypoint.reports.rules.figures import AGE_BANDS

MAX_PERIOD_DAYS = 10 * 366


@dataclass(frozen=True)
class Scope:
    """The teams a report counts, and how the viewer may see the counts."""

    team_ids: tuple[int, ...]
    label: str
    exact: bool  # a clinician of these teams: exact counts on the page
    team_id: int | None
    organisation_id: int | None
    teams: tuple[Team, ...]  # every team the viewer may choose
    organisations: tuple[Organisation, ...]
    since: dt.date
    until: dt.date
    today: dt.date


def default_since(today: dt.date) -> dt.date:
    """The first day of the month eleven months ago: twelve calendar months with this one."""
    month_index = today.year * 12 + today.month - 1 - 11
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


def report_scope_for(
    actor: User,
    *,
    team_id: int | None,
    organisation_id: int | None,
    since: dt.date | None,
    until: dt.date | None,
    today: dt.date,
) -> Scope:
    """The viewer's choice of one team, one organisation or all they may see (the standards
    dashboard's scoping). Nothing to see, or a team or organisation outside it, is 404."""
    choice = aggregate_scope_for(actor, team_id=team_id, organisation_id=organisation_id)
    until = until or today
    since = since or default_since(until)
    errors: dict[str, str] = {}
    if until > today:
        errors["until"] = "cannot be in the future"
    if since > until:
        errors["since"] = "must be on or before the end of the period"
    elif (until - since).days > MAX_PERIOD_DAYS:
        errors["since"] = "the period can be at most 10 years"
    if errors:
        raise ValidationFailed("The period is not valid.", fields=errors)
    return Scope(
        team_ids=tuple(choice.team_ids),
        label=choice.label,
        exact=choice.exact,
        team_id=team_id,
        organisation_id=organisation_id,
        teams=choice.teams,
        organisations=choice.organisations,
        since=since,
        until=until,
        today=today,
    )


@dataclass(frozen=True)
class Breakdown:
    """Counts of people by one dimension; the groups in the order they are shown."""

    dimension: str
    title: str
    groups: tuple[tuple[str, str], ...]
    counts: dict[str, int]
    by_month: dict[dt.date, dict[str, int]] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Population:
    total: int
    breakdowns: tuple[Breakdown, ...]
    months: tuple[dt.date, ...] = ()
    totals_by_month: dict[dt.date, int] = field(default_factory=dict)


def people_with_t0(scope: Scope) -> QuerySet[Patient]:
    return Patient.objects.filter(team_id__in=scope.team_ids, metastatic_diagnosed_on__isnull=False)


def _dimensions(scope: Scope, *, age: str) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    return [
        ("presentation", "Presentation", tuple(Presentation.choices)),
        ("subtype", "Receptor subtype", tuple(REPORT_SUBTYPE_LABELS.items())),
        ("site", "Metastatic site", tuple(MetastaticSiteCode.choices)),
        ("age_band", age, tuple((b.code, b.label) for b in AGE_BANDS)),
        ("team", "Team", tuple((str(t.pk), t.name) for t in scope.teams if t.pk in scope.team_ids)),
        (
            "organisation",
            "Organisation",
            tuple(
                (str(o.pk), o.name)
                for o in scope.organisations
                if any(t.organisation_id == o.pk for t in scope.teams if t.pk in scope.team_ids)
            ),
        ),
    ]


def _keyed(
    people: QuerySet[Patient], dimension: str, *, today: dt.date, incidence: bool
) -> QuerySet[Patient]:
    if dimension == "presentation":
        return people.annotate(key=expressions.presentation())
    if dimension == "subtype":
        return people.annotate(key=expressions.subtype())
    if dimension == "site":
        return people.annotate(key=F("secondaries__sites__site"))
    if dimension == "age_band":
        if incidence:
            return people.annotate(key=expressions.age_band_of(expressions.age_at_t0()))
        return people.annotate(key=expressions.age_band_today(today))
    if dimension == "team":
        return people.annotate(key=F("team_id"))
    if dimension == "organisation":
        return people.annotate(key=F("team__organisation_id"))
    raise ValueError(dimension)


def prevalence(scope: Scope) -> Population:
    """People living with secondary breast cancer now: alive, with a T0."""
    living = people_with_t0(scope).filter(died_on__isnull=True)
    breakdowns = []
    total = 0
    for dimension, title, groups in _dimensions(scope, age="Age today"):
        counts = {
            str(row["key"]): row["n"]
            for row in _keyed(living, dimension, today=scope.today, incidence=False)
            .values("key")  # type: ignore[misc]  # "key" is the annotation _keyed adds
            .annotate(n=Count("id", distinct=True))
            .order_by()
        }
        if dimension == "team":
            total = sum(counts.values())
        breakdowns.append(
            Breakdown(
                dimension,
                title,
                groups,
                counts,
                note="A person with more than one site counts once in each."
                if dimension == "site"
                else "",
            )
        )
    return Population(total=total, breakdowns=tuple(breakdowns))


def month_starts(since: dt.date, until: dt.date) -> tuple[dt.date, ...]:
    months = []
    day = since.replace(day=1)
    while day <= until:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return tuple(months)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def incidence(scope: Scope) -> Population:
    """New secondary diagnoses per month, by T0's month, living or not."""
    new = people_with_t0(scope).filter(
        metastatic_diagnosed_on__gte=scope.since, metastatic_diagnosed_on__lte=scope.until
    )
    months = month_starts(scope.since, scope.until)
    breakdowns = []
    totals_by_month: dict[dt.date, int] = defaultdict(int)
    for dimension, title, groups in _dimensions(scope, age="Age at diagnosis"):
        by_month: dict[dt.date, dict[str, int]] = {m: {} for m in months}
        counts: dict[str, int] = defaultdict(int)
        for row in (
            _keyed(new, dimension, today=scope.today, incidence=True)
            .annotate(month=TruncMonth("metastatic_diagnosed_on"))
            .values("month", "key")
            .annotate(n=Count("id", distinct=True))
            .order_by()
        ):
            month = _as_date(row["month"])
            by_month.setdefault(month, {})[str(row["key"])] = row["n"]
            counts[str(row["key"])] += row["n"]
            if dimension == "team":
                totals_by_month[month] += row["n"]
        breakdowns.append(
            Breakdown(
                dimension,
                title,
                groups,
                dict(counts),
                by_month,
                note="A person with more than one site counts once in each."
                if dimension == "site"
                else "",
            )
        )
    return Population(
        total=sum(totals_by_month.values()),
        breakdowns=tuple(breakdowns),
        months=months,
        totals_by_month={m: totals_by_month.get(m, 0) for m in months},
    )


def report_choices_for(actor: User) -> tuple[list[Team], list[Organisation]]:
    """The teams and organisations the viewer may choose between; 404 when there are none."""
    scope = aggregate_scope_for(actor)
    return list(scope.teams), list(scope.organisations)
