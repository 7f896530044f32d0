"""The triage context the treatment record gives: triage reads the treatment record, never the
other way round."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from waypoint.registry.models import Patient
from waypoint.treatment.models import TreatmentKind, TreatmentLine
from waypoint.triage.rules.grading import Context, on_sact


def sact_context(patient: Patient, *, today: dt.date) -> Context | None:
    """The triage context the treatment record gives (waypoint-triage-1 "Context").

    For each systemic line the latest exposure is today while the line is active (doses continue
    until it is stopped: the safe reading), else the day it stopped. Immunotherapy wins when it is
    the more recent exposure within its longer window; endocrine lines alone give no SACT context.
    """
    lines = TreatmentLine.objects.filter(patient=patient, started_on__lte=today).exclude(
        kind=TreatmentKind.ENDOCRINE
    )
    best: Context | None = None
    for line in lines:
        last = today if line.stopped_on is None else min(line.stopped_on, today)
        kind = TreatmentKind(line.kind).sact_kind
        candidate = Context(last_sact_on=last, sact_kind=kind)
        if best is None or _exposure_rank(candidate, today) > _exposure_rank(best, today):
            best = candidate
    return best


def _exposure_rank(context: Context, today: dt.date) -> tuple[bool, dt.date]:
    assert context.last_sact_on is not None  # noqa: S101  # built above with a date
    config = settings.WAYPOINT_TRIAGE_CONFIG
    return (on_sact(context, today=today, config=config), context.last_sact_on)
