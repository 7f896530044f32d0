"""Survival from secondary diagnosis (Kaplan–Meier) by receptor subtype, with lifelines.

Duration is T0 (the earliest secondary diagnosis) to death, censored at today for the living.
These are observed figures from the registry: they describe the groups, and predict nothing for
any one person. ESO-ESMO ABC 5 (Cardoso et al., Ann Oncol 2020) reports a median overall survival
near 3 years for metastatic breast cancer overall, as context for the figures, never as a value
the code uses.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times

from waypoint.registry.rules.subtype import REPORT_SUBTYPE_LABELS
from waypoint.reports import expressions
from waypoint.reports.selectors import Scope, people_with_t0

DAYS_PER_YEAR = 365.25
SURVIVAL_AT_YEARS = (1, 2, 3, 5)
AT_RISK_YEARS = (0, 1, 2, 3, 4, 5)
ALL = "all"


@dataclass(frozen=True)
class SurvivalGroup:
    key: str
    label: str
    people: int
    deaths: int
    estimated: bool  # enough people for the estimates and the curve to be shown
    median_years: float | None  # None: not reached (or not estimated)
    median_lower: float | None
    median_upper: float | None  # None with a lower bound: the upper limit is not reached
    survival_at: dict[int, float | None]  # None: nobody followed up that long
    at_risk: dict[int, int]
    curve: tuple[tuple[float, float], ...]  # (years, proportion alive) at each step


def _finite(value: float) -> float | None:
    return None if math.isinf(value) or math.isnan(value) else round(float(value), 2)


def at_risk_counts(kmf: KaplanMeierFitter, years: tuple[int, ...]) -> dict[int, int]:
    """lifelines' number at risk at each tick, as its ``add_at_risk_counts`` counts them (and R):
    people whose follow-up lasts beyond the last event time at or before the tick."""
    table = kmf.event_table.assign(at_risk=lambda t: t.at_risk - t.removed)
    counts = {}
    for year in years:
        upto = table.loc[:year]
        counts[year] = int(upto["at_risk"].iloc[-1]) if not upto.empty else 0
    return counts


def fit_group(
    key: str, label: str, durations: list[float], events: list[bool], *, minimum: int
) -> SurvivalGroup:
    people, deaths = len(durations), sum(events)
    if people == 0 or people < minimum:
        return SurvivalGroup(key, label, people, deaths, False, None, None, None, {}, {}, ())
    kmf = KaplanMeierFitter()
    # Arrays, not lists: lifelines converts lists slowly (about 5 × the fit at 5,000 people).
    kmf.fit(np.asarray(durations, dtype=float), event_observed=np.asarray(events, dtype=bool))
    interval = median_survival_times(kmf.confidence_interval_)
    lower, upper = (float(v) for v in interval.iloc[0])
    longest = max(durations)
    at_times = kmf.survival_function_at_times(list(SURVIVAL_AT_YEARS))
    survival_at = {
        year: (round(float(value), 3) if year <= longest else None)
        for year, value in zip(SURVIVAL_AT_YEARS, at_times, strict=True)
    }
    curve = tuple(
        (round(float(t), 4), round(float(s), 4))
        for t, s in kmf.survival_function_["KM_estimate"].items()
    )
    return SurvivalGroup(
        key=key,
        label=label,
        people=people,
        deaths=deaths,
        estimated=True,
        median_years=_finite(float(kmf.median_survival_time_)),
        median_lower=_finite(lower),
        median_upper=_finite(upper),
        survival_at=survival_at,
        at_risk=at_risk_counts(kmf, AT_RISK_YEARS),
        curve=curve,
    )


def survival(scope: Scope, *, minimum: int) -> list[SurvivalGroup]:
    """Every person in scope with a T0, by subtype, and all together. A group of fewer than
    ``minimum`` people gets no estimates and no curve."""
    rows = (
        people_with_t0(scope)
        .annotate(subtype=expressions.subtype())
        .values_list("metastatic_diagnosed_on", "died_on", "subtype")
    )
    durations: dict[str, list[float]] = defaultdict(list)
    events: dict[str, list[bool]] = defaultdict(list)
    for t0, died_on, subtype in rows:
        assert t0 is not None  # noqa: S101  # people_with_t0 filters on it
        end: dt.date = died_on or scope.today
        years = max(0, (end - t0).days) / DAYS_PER_YEAR
        for key in (subtype, ALL):
            durations[key].append(years)
            events[key].append(died_on is not None)
    groups = [
        fit_group(key, label, durations[key], events[key], minimum=minimum)
        for key, label in REPORT_SUBTYPE_LABELS.items()
    ]
    groups.append(fit_group(ALL, "All subtypes", durations[ALL], events[ALL], minimum=minimum))
    return groups
