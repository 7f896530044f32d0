"""CSV downloads, one per indicator, always with small numbers suppressed (the file may travel
beyond the team), written through ``core.csv_export`` like every CSV."""

from __future__ import annotations

from waypoint.core.csv_export import CsvWriter
from waypoint.reports.presenters import (
    present_incidence,
    present_prevalence,
    present_response_times,
    present_survival,
)
from waypoint.reports.services import Report


def _blank(value: object) -> object:
    return "" if value is None else value


def _reached(value: float | None, estimated: bool) -> object:
    if not estimated:
        return ""
    return "not reached" if value is None else value


def write_csv(out: CsvWriter, indicator: str, report: Report) -> None:
    scope = report.scope
    n = report.threshold
    if indicator == "prevalence" and report.prevalence is not None:
        out.writerow(["scope", "as_of", "breakdown", "group", "people"])
        view = present_prevalence(report.prevalence, n)
        out.writerow([scope.label, scope.today.isoformat(), "total", "all", view.total])
        for b in view.breakdowns:
            for row in b.rows:
                out.writerow(
                    [scope.label, scope.today.isoformat(), b.dimension, row.label, row.value]
                )
    elif indicator == "incidence" and report.incidence is not None:
        out.writerow(["scope", "month", "breakdown", "group", "people"])
        incidence = present_incidence(report.incidence, n)
        for month, value in incidence.months:
            out.writerow([scope.label, month.strftime("%Y-%m"), "total", "all", value])
        for monthly in incidence.breakdowns:
            for month_row in monthly.rows:
                for (_, label), value in zip(monthly.groups, month_row.values, strict=True):
                    out.writerow(
                        [
                            scope.label,
                            month_row.month.strftime("%Y-%m"),
                            monthly.dimension,
                            label,
                            value,
                        ]
                    )
    elif indicator == "response-times" and report.response_times is not None:
        out.writerow(
            [
                "scope",
                "since",
                "until",
                "level",
                "reports",
                "still_waiting",
                "acknowledged",
                "median_minutes",
                "p90_minutes",
                "within_clock",
                "after_clock",
                "percent_within_clock",
            ]
        )
        for level in present_response_times(report.response_times, n):
            out.writerow(
                [
                    scope.label,
                    scope.since.isoformat(),
                    scope.until.isoformat(),
                    level.level,
                    level.reports,
                    level.waiting,
                    level.acknowledged,
                    _blank(level.median_minutes),
                    _blank(level.p90_minutes),
                    level.within_clock,
                    level.late,
                    _blank(level.percent_within_clock),
                ]
            )
    elif indicator == "survival" and report.survival is not None:
        survival = present_survival(report.survival, n, report.minimum_group)
        out.writerow(
            [
                "scope",
                "as_of",
                "subtype",
                "people",
                "deaths",
                "median_years",
                "median_lower_95",
                "median_upper_95",
                *[f"survival_{y}y" for y, _ in survival.groups[0].survival_at],
                *[f"at_risk_{y}y" for y, _ in survival.groups[0].at_risk],
            ]
        )
        for g in survival.groups:
            out.writerow(
                [
                    scope.label,
                    scope.today.isoformat(),
                    g.label,
                    g.people,
                    g.deaths,
                    _reached(g.median_years, g.estimated),
                    _reached(g.median_lower, g.estimated),
                    _reached(g.median_upper, g.estimated),
                    *[_blank(v) for _, v in g.survival_at],
                    *[v for _, v in g.at_risk],
                ]
            )
    else:
        raise ValueError(indicator)
