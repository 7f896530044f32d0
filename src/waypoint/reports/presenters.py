"""The figures as a viewer may see them: the one place small numbers are suppressed, used by
the page, the CSV downloads and the API alike.

With a threshold N > 0, every count of people or reports from 1 to N − 1 becomes "fewer than N",
and a median, percentile or share resting on fewer than N reports is not shown; survival
estimates and curves need N people in the group (``survival.fit_group``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from waypoint.core.small_numbers import shown
from waypoint.reports import charts
from waypoint.reports.response_times import LevelTimes
from waypoint.reports.selectors import Population
from waypoint.reports.survival import AT_RISK_YEARS, SURVIVAL_AT_YEARS, SurvivalGroup

Shown = int | str


@dataclass(frozen=True)
class GroupCount:
    code: str
    label: str
    value: Shown


@dataclass(frozen=True)
class BreakdownView:
    dimension: str
    title: str
    note: str
    rows: list[GroupCount]
    bars: list[charts.Bar]

    @property
    def chart_height(self) -> int:
        return charts.BAR_STEP * len(self.bars)


@dataclass(frozen=True)
class PrevalenceView:
    total: Shown
    breakdowns: list[BreakdownView]


def present_prevalence(population: Population, threshold: int) -> PrevalenceView:
    return PrevalenceView(
        total=shown(population.total, threshold),
        breakdowns=[
            BreakdownView(
                dimension=b.dimension,
                title=b.title,
                note=b.note,
                rows=[
                    GroupCount(code, label, shown(b.counts.get(code, 0), threshold))
                    for code, label in b.groups
                ],
                bars=charts.bars(b.groups, b.counts, threshold),
            )
            for b in population.breakdowns
        ],
    )


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    total: Shown
    values: list[Shown]  # in the order of the breakdown's groups


@dataclass(frozen=True)
class MonthlyBreakdownView:
    dimension: str
    title: str
    note: str
    groups: list[tuple[str, str]]
    rows: list[MonthRow]
    totals: list[Shown]  # over the period, per group


@dataclass(frozen=True)
class IncidenceView:
    total: Shown
    months: list[tuple[dt.date, Shown]]
    columns: list[charts.Column]
    breakdowns: list[MonthlyBreakdownView]

    @property
    def chart_width(self) -> int:
        return charts.columns_width(len(self.columns))


def present_incidence(population: Population, threshold: int) -> IncidenceView:
    return IncidenceView(
        total=shown(population.total, threshold),
        months=[(m, shown(n, threshold)) for m, n in population.totals_by_month.items()],
        columns=charts.columns(population.totals_by_month, threshold),
        breakdowns=[
            MonthlyBreakdownView(
                dimension=b.dimension,
                title=b.title,
                note=b.note,
                groups=list(b.groups),
                rows=[
                    MonthRow(
                        month,
                        shown(population.totals_by_month.get(month, 0), threshold),
                        [
                            shown(b.by_month.get(month, {}).get(code, 0), threshold)
                            for code, _ in b.groups
                        ],
                    )
                    for month in population.months
                ],
                totals=[shown(b.counts.get(code, 0), threshold) for code, _ in b.groups],
            )
            for b in population.breakdowns
        ],
    )


@dataclass(frozen=True)
class LevelView:
    level: str
    label: str
    reports: Shown
    waiting: Shown
    acknowledged: Shown
    median_minutes: float | None
    p90_minutes: float | None
    within_clock: Shown
    late: Shown
    percent_within_clock: float | None
    withheld: bool  # figures left out because they rest on too few reports


def present_response_times(levels: list[LevelTimes], threshold: int) -> list[LevelView]:
    views = []
    for row in levels:
        few_acknowledged = 0 < row.acknowledged < threshold
        few_judged = 0 < row.judged < threshold
        views.append(
            LevelView(
                level=row.level,
                label=row.label,
                reports=shown(row.reports, threshold),
                waiting=shown(row.waiting, threshold),
                acknowledged=shown(row.acknowledged, threshold),
                median_minutes=None if few_acknowledged else row.median_minutes,
                p90_minutes=None if few_acknowledged else row.p90_minutes,
                within_clock=shown(row.within_clock, threshold),
                late=shown(row.late, threshold),
                percent_within_clock=None if few_judged else row.percent_within_clock,
                withheld=few_acknowledged or few_judged,
            )
        )
    return views


@dataclass(frozen=True)
class SurvivalGroupView:
    key: str
    label: str
    people: Shown
    deaths: Shown
    estimated: bool
    median_years: float | None
    median_lower: float | None
    median_upper: float | None
    survival_at: list[tuple[int, float | None]]
    at_risk: list[tuple[int, Shown]]


@dataclass(frozen=True)
class SurvivalView:
    groups: list[SurvivalGroupView]
    lines: list[charts.Line]
    minimum_group: int


def present_survival(groups: list[SurvivalGroup], threshold: int, minimum: int) -> SurvivalView:
    return SurvivalView(
        groups=[
            SurvivalGroupView(
                key=g.key,
                label=g.label,
                people=shown(g.people, threshold),
                deaths=shown(g.deaths, threshold),
                estimated=g.estimated,
                median_years=g.median_years,
                median_lower=g.median_lower,
                median_upper=g.median_upper,
                survival_at=[(y, g.survival_at.get(y)) for y in SURVIVAL_AT_YEARS],
                at_risk=[
                    (y, shown(g.at_risk[y], threshold) if y in g.at_risk else "")
                    for y in AT_RISK_YEARS
                ],
            )
            for g in groups
        ],
        lines=charts.step_lines(groups),
        minimum_group=minimum,
    )
