from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Max, QuerySet
from django.utils import timezone

from waypoint.assessments.models import (
    AssessmentRequest,
    AssessmentStatus,
    NeedsAssessment,
)
from waypoint.assessments.rules.due import DueStatus, Trigger, hna_due
from waypoint.core.clinical_settings import needs_assessment_offer_days
from waypoint.registry.models import Patient
from waypoint.timeline.models import ProgressionEvent
from waypoint.treatment.models import StopReason, TreatmentLine


def triggers_for(patient_ids: Iterable[int]) -> dict[int, list[Trigger]]:
    """Every HNA trigger of each patient, in three queries however many patients there are."""
    ids = list(patient_ids)
    triggers: dict[int, list[Trigger]] = defaultdict(list)
    diagnosed = Patient.objects.filter(pk__in=ids, metastatic_diagnosed_on__isnull=False)
    for pk, t0 in diagnosed.values_list("pk", "metastatic_diagnosed_on"):
        if t0 is not None:
            triggers[pk].append(Trigger(t0, "secondary diagnosis"))
    lines = TreatmentLine.objects.filter(patient_id__in=ids).values_list(
        "patient_id", "line_number", "started_on", "stopped_on", "stop_reason"
    )
    for pk, number, started, stopped, reason in lines:
        if number > 1:
            triggers[pk].append(Trigger(started, "new treatment line"))
        if stopped is not None and reason == StopReason.PROGRESSION:
            triggers[pk].append(Trigger(stopped, "progression"))
    for pk, on in ProgressionEvent.objects.filter(patient_id__in=ids).values_list(
        "patient_id", "on"
    ):
        triggers[pk].append(Trigger(on, "progression"))
    for pk, on in AssessmentRequest.objects.filter(patient_id__in=ids).values_list(
        "patient_id", "requested_on"
    ):
        triggers[pk].append(Trigger(on, "requested"))
    return triggers


def last_done_for(patient_ids: Iterable[int]) -> dict[int, dt.date]:
    rows = (
        NeedsAssessment.objects.filter(
            patient_id__in=list(patient_ids),
            status__in=(AssessmentStatus.COMPLETED, AssessmentStatus.DECLINED),
        )
        .values("patient_id")
        .annotate(last=Max("completed_at"))
        .order_by()
    )
    return {r["patient_id"]: timezone.localtime(r["last"]).date() for r in rows}


def hna_due_for(patient_ids: Iterable[int], *, today: dt.date) -> dict[int, DueStatus]:
    ids = list(patient_ids)
    triggers = triggers_for(ids)
    done = last_done_for(ids)
    return {
        pk: hna_due(
            triggers=triggers.get(pk, []),
            last_done=done.get(pk),
            today=today,
            interval_days=settings.WAYPOINT_HNA_INTERVAL_DAYS,
            offer_within_days=needs_assessment_offer_days(),
        )
        for pk in ids
    }


def assessments_of(patient: Patient) -> QuerySet[NeedsAssessment]:
    return NeedsAssessment.objects.filter(patient=patient).select_related(
        "completed_by", "started_by", "psychosocial_decided_by"
    )


def in_progress(patient: Patient) -> NeedsAssessment | None:
    return NeedsAssessment.objects.filter(
        patient=patient, status=AssessmentStatus.IN_PROGRESS
    ).first()
