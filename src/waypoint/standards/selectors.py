"""Gathering each person's facts for the standards, in a fixed number of queries for any number
of people, and evaluating them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from waypoint.assessments.models import AssessmentStatus, CarePlanRevision, NeedsAssessment
from waypoint.assessments.rules.hna import DISTRESS_REFERRAL_THRESHOLD
from waypoint.careteam.models import KeyWorkerAssignment
from waypoint.registry.models import BiopsyDecision, Patient, SecondaryDiagnosis
from waypoint.standards.rules.standards import (
    Clocked,
    Deadlines,
    Facts,
    Result,
    due_items,
    evaluate,
)
from waypoint.support.models import Referral, ServiceKind, SupportOffer
from waypoint.timeline.models import (
    Contact,
    MdtDiscussion,
    ProgressionEvent,
    ResponseAssessment,
    SupportReview,
)
from waypoint.treatment.models import TreatmentLine
from waypoint.triage.models import HelplineCall, Source, SymptomReport


def deadlines() -> Deadlines:
    return Deadlines(**settings.WAYPOINT_STANDARDS_DEADLINES)


def _local(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def facts_for(patients: Iterable[int] | QuerySet[Patient], *, today: dt.date) -> dict[int, Facts]:
    """Facts for a few people by id (a page), or for a queryset of people (the nightly
    snapshot), which each query then uses as a subquery rather than thousands of parameters."""
    columns = ("pk", "metastatic_diagnosed_on", "died_on")
    data: dict[int, dict[str, Any]] = defaultdict(lambda: defaultdict(list))
    # A values("pk") subquery or a list of ids; django-stubs types ``__in`` as ids only.
    ids_filter: Any
    if isinstance(patients, QuerySet):
        ids_filter = patients.values("pk")
        ids = []
        for pk, t0, died in patients.values_list(*columns):
            ids.append(pk)
            data[pk].update(t0=t0, died_on=died)
    else:
        ids = ids_filter = list(patients)
        for pk, t0, died in Patient.objects.filter(pk__in=ids).values_list(*columns):
            data[pk].update(t0=t0, died_on=died)
    for kw_row in (
        KeyWorkerAssignment.objects.filter(patient_id__in=ids_filter)
        .values("patient_id")
        .annotate(first=Min("started_at"), current=Count("id", filter=Q(ended_at__isnull=True)))
    ):
        d = data[kw_row["patient_id"]]
        d["first_key_worker_on"] = _local(kw_row["first"])
        d["has_key_worker"] = kw_row["current"] > 0
    for contact_row in (
        Contact.objects.filter(patient_id__in=ids_filter)
        .values("patient_id")
        .annotate(last=Max("on"), told=Min("on", filter=Q(key_worker_introduced=True)))
    ):
        d = data[contact_row["patient_id"]]
        d["last_contact_on"] = contact_row["last"]
        if contact_row["told"] is not None:
            d["key_worker_told_on"] = contact_row["told"]
    for model, key in (
        (MdtDiscussion, "mdt_dates"),
        (ProgressionEvent, "progression_dates"),
        (ResponseAssessment, "response_dates"),
        (SupportReview, "support_review_dates"),
    ):
        for pk, on in model.objects.filter(patient_id__in=ids_filter).values_list(
            "patient_id", "on"
        ):
            data[pk][key].append(on)
    for line in TreatmentLine.objects.filter(patient_id__in=ids_filter).values(
        "patient_id", "line_number", "started_on", "stopped_on", "stop_reason"
    ):
        d = data[line["patient_id"]]
        if line["line_number"] > 1:
            d["line_change_dates"].append(line["started_on"])
        first = d.get("first_line_started_on")
        d["first_line_started_on"] = (
            line["started_on"] if first is None else min(first, line["started_on"])
        )
        if line["stopped_on"] is None:
            d["active_line_since"] = line["started_on"]
        elif line["stop_reason"] == "progression":
            d["progression_dates"].append(line["stopped_on"])
    for s in SecondaryDiagnosis.objects.filter(patient_id__in=ids_filter).values(
        "patient_id", "biopsy_decision", "er", "receptors_assessed_on", "biopsy_not_feasible_reason"
    ):
        d = data[s["patient_id"]]
        if s["biopsy_decision"] in (BiopsyDecision.DONE, BiopsyDecision.NOT_FEASIBLE):
            d["biopsy_resolved"] = True
        assessed = s["receptors_assessed_on"]
        if s["er"] and assessed is not None:
            earlier = d.get("receptors_on")
            d["receptors_on"] = assessed if earlier is None else min(earlier, assessed)
    for a in (
        NeedsAssessment.objects.filter(patient_id__in=ids_filter)
        .exclude(status=AssessmentStatus.IN_PROGRESS)
        .values("patient_id", "status", "completed_at", "distress", "psychosocial_decided_at")
    ):
        d = data[a["patient_id"]]
        if a["completed_at"] is None:  # finished assessments have a time (constraint)
            continue
        done = _local(a["completed_at"])
        d["hna_done_dates"].append(done)
        if a["status"] == AssessmentStatus.COMPLETED:
            d["hna_completed_dates"].append(done)
            if a["distress"] is not None and a["distress"] >= DISTRESS_REFERRAL_THRESHOLD:
                decided = a["psychosocial_decided_at"]
                d["distress"].append((done, _local(decided) if decided else None))
    for pk, at in CarePlanRevision.objects.filter(patient_id__in=ids_filter).values_list(
        "patient_id", "created_at"
    ):
        data[pk]["care_plan_dates"].append(_local(at))
    for offer_row in (
        SupportOffer.objects.filter(patient_id__in=ids_filter)
        .values("patient_id", "kind")
        .annotate(first=Min("offered_at"))
    ):
        data[offer_row["patient_id"]].setdefault("offers", {})[offer_row["kind"]] = _local(
            offer_row["first"]
        )
    for pal_row in (
        Referral.objects.filter(
            patient_id__in=ids_filter, service__kind=ServiceKind.PALLIATIVE, self_referral=False
        )
        .values("patient_id")
        .annotate(first=Min("requested_at"))
    ):
        data[pal_row["patient_id"]]["palliative_on"] = _local(pal_row["first"])
    for r in SymptomReport.objects.filter(
        patient_id__in=ids_filter, respond_by__isnull=False
    ).values("patient_id", "level", "respond_by", "acknowledged_at"):
        key = "amber_reports" if r["level"] == "amber" else "red_reports"
        if r["respond_by"] is not None:
            data[r["patient_id"]][key].append(Clocked(r["respond_by"], r["acknowledged_at"]))
    for report_row in (
        SymptomReport.objects.filter(patient_id__in=ids_filter, source=Source.PATIENT)
        .values("patient_id")
        .annotate(last=Max("reported_at"))
    ):
        data[report_row["patient_id"]]["last_report_on"] = _local(report_row["last"])
    for call_row in (
        HelplineCall.objects.filter(patient_id__in=ids_filter)
        .values("patient_id")
        .annotate(last=Max("called_at"))
    ):
        d = data[call_row["patient_id"]]
        on = _local(call_row["last"])
        d["last_contact_on"] = max(d.get("last_contact_on") or on, on)
    result: dict[int, Facts] = {}
    for pk in ids:
        d = data[pk]
        result[pk] = Facts(
            t0=d.get("t0"),
            died_on=d.get("died_on"),
            has_key_worker=bool(d.get("has_key_worker")),
            first_key_worker_on=d.get("first_key_worker_on"),
            key_worker_told_on=d.get("key_worker_told_on"),
            mdt_dates=tuple(sorted(d["mdt_dates"])),
            progression_dates=tuple(sorted(d["progression_dates"])),
            line_change_dates=tuple(sorted(d["line_change_dates"])),
            first_line_started_on=d.get("first_line_started_on"),
            active_line_since=d.get("active_line_since"),
            biopsy_resolved=bool(d.get("biopsy_resolved")),
            receptors_on=d.get("receptors_on"),
            hna_done_dates=tuple(sorted(d["hna_done_dates"])),
            hna_completed_dates=tuple(sorted(d["hna_completed_dates"])),
            care_plan_dates=tuple(sorted(d["care_plan_dates"])),
            distress=tuple(d["distress"]),
            offers=dict(d.get("offers", {})),
            palliative_on=d.get("palliative_on"),
            red_reports=tuple(d["red_reports"]),
            amber_reports=tuple(d["amber_reports"]),
            last_report_on=d.get("last_report_on"),
            response_dates=tuple(sorted(d["response_dates"])),
            last_contact_on=d.get("last_contact_on"),
            support_review_dates=tuple(sorted(d["support_review_dates"])),
        )
    return result


def due_for(patient_ids: Iterable[int], *, now: dt.datetime) -> dict[int, list[Result]]:
    """What is due or overdue for each person (the caseload's column), in the same fixed
    number of queries for any number of people."""
    today = timezone.localdate(now)
    limits = deadlines()
    return {
        pk: due_items(facts, now=now, today=today, deadlines=limits)
        for pk, facts in facts_for(patient_ids, today=today).items()
    }


def standards_and_due(patient_id: int, *, now: dt.datetime) -> tuple[list[Result], list[Result]]:
    """One person's standards and what is still to do, from one gathering of their facts."""
    today = timezone.localdate(now)
    limits = deadlines()
    facts = facts_for([patient_id], today=today)[patient_id]
    return (
        evaluate(facts, now=now, today=today, deadlines=limits),
        due_items(facts, now=now, today=today, deadlines=limits),
    )
