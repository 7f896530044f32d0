"""The reports API's shapes. A count is a number, or the string "fewer than N" where small
numbers are suppressed (aggregate-only viewers)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from waypoint.core.bounds import InputDate
from waypoint.reports.presenters import (
    IncidenceView,
    LevelView,
    PrevalenceView,
    SurvivalView,
)
from waypoint.reports.services import Report

Shown = int | str


class ReportQuery(Schema):
    team: int | None = None
    organisation: int | None = None
    since: InputDate | None = None
    until: InputDate | None = None


class ScopeOut(Schema):
    label: str
    teams: list[int]
    team: int | None
    organisation: int | None
    as_of: dt.date
    since: dt.date
    until: dt.date
    small_number: int  # 0: counts are exact

    @staticmethod
    def build(report: Report) -> ScopeOut:
        s = report.scope
        return ScopeOut(
            label=s.label,
            teams=list(s.team_ids),
            team=s.team_id,
            organisation=s.organisation_id,
            as_of=s.today,
            since=s.since,
            until=s.until,
            small_number=report.threshold,
        )


class GroupOut(Schema):
    code: str
    label: str
    people: Shown


class BreakdownOut(Schema):
    dimension: str
    title: str
    groups: list[GroupOut]


class PrevalenceOut(Schema):
    scope: ScopeOut
    people: Shown
    breakdowns: list[BreakdownOut]

    @staticmethod
    def build(report: Report, view: PrevalenceView) -> PrevalenceOut:
        return PrevalenceOut(
            scope=ScopeOut.build(report),
            people=view.total,
            breakdowns=[
                BreakdownOut(
                    dimension=b.dimension,
                    title=b.title,
                    groups=[GroupOut(code=r.code, label=r.label, people=r.value) for r in b.rows],
                )
                for b in view.breakdowns
            ],
        )


class MonthGroupOut(Schema):
    code: str
    label: str
    people: Shown  # over the whole period
    by_month: list[Shown]  # in the order of ``months``


class MonthlyBreakdownOut(Schema):
    dimension: str
    title: str
    groups: list[MonthGroupOut]


class IncidenceMonthOut(Schema):
    month: dt.date  # its first day
    people: Shown


class IncidenceOut(Schema):
    scope: ScopeOut
    people: Shown
    months: list[IncidenceMonthOut]
    breakdowns: list[MonthlyBreakdownOut]

    @staticmethod
    def build(report: Report, view: IncidenceView) -> IncidenceOut:
        return IncidenceOut(
            scope=ScopeOut.build(report),
            people=view.total,
            months=[IncidenceMonthOut(month=m, people=n) for m, n in view.months],
            breakdowns=[
                MonthlyBreakdownOut(
                    dimension=b.dimension,
                    title=b.title,
                    groups=[
                        MonthGroupOut(
                            code=code,
                            label=label,
                            people=b.totals[i],
                            by_month=[row.values[i] for row in b.rows],
                        )
                        for i, (code, label) in enumerate(b.groups)
                    ],
                )
                for b in view.breakdowns
            ],
        )


class LevelOut(Schema):
    level: str
    reports: Shown
    still_waiting: Shown
    acknowledged: Shown
    median_minutes: float | None
    p90_minutes: float | None
    within_clock: Shown
    after_clock: Shown
    percent_within_clock: float | None
    withheld: bool  # figures left out because they rest on too few reports


class ResponseTimesOut(Schema):
    scope: ScopeOut
    levels: list[LevelOut]

    @staticmethod
    def build(report: Report, levels: list[LevelView]) -> ResponseTimesOut:
        return ResponseTimesOut(
            scope=ScopeOut.build(report),
            levels=[
                LevelOut(
                    level=r.level,
                    reports=r.reports,
                    still_waiting=r.waiting,
                    acknowledged=r.acknowledged,
                    median_minutes=r.median_minutes,
                    p90_minutes=r.p90_minutes,
                    within_clock=r.within_clock,
                    after_clock=r.late,
                    percent_within_clock=r.percent_within_clock,
                    withheld=r.withheld,
                )
                for r in levels
            ],
        )


class SurvivalGroupOut(Schema):
    subtype: str
    label: str
    people: Shown
    deaths: Shown
    estimated: bool  # False: fewer people than the small number, no estimates
    median_years: float | None  # None when estimated: not reached
    median_lower_95: float | None
    median_upper_95: float | None  # None when estimated: not reached
    survival: dict[str, float | None]  # "1", "2", "3", "5" years; None: nobody followed so long
    at_risk: dict[str, Shown]  # "0" to "5" years


class SurvivalOut(Schema):
    scope: ScopeOut
    note: str
    groups: list[SurvivalGroupOut]

    @staticmethod
    def build(report: Report, view: SurvivalView) -> SurvivalOut:
        return SurvivalOut(
            scope=ScopeOut.build(report),
            note=(
                "Observed Kaplan–Meier figures from the registry, from the first secondary "
                "diagnosis to death, censored today for the living. Not a prediction for any "
                "one person; Waypoint supports clinicians and does not replace their judgement."
            ),
            groups=[
                SurvivalGroupOut(
                    subtype=g.key,
                    label=g.label,
                    people=g.people,
                    deaths=g.deaths,
                    estimated=g.estimated,
                    median_years=g.median_years,
                    median_lower_95=g.median_lower,
                    median_upper_95=g.median_upper,
                    survival={str(y): v for y, v in g.survival_at} if g.estimated else {},
                    at_risk={str(y): n for y, n in g.at_risk} if g.estimated else {},
                )
                for g in view.groups
            ],
        )
