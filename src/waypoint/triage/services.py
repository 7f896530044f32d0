"""Receiving, grading and answering symptom reports.

``symptom_report_submit`` is the one way in, whether the person reports on the portal, a nurse logs
a helpline call or a clinician enters a report. It grades with waypoint-triage-1, stores what was
submitted with the outcome, writes the audit event, alerts the first step of the escalation chain
(through the outbox) and starts the response clock — all in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.careteam.models import Team
from waypoint.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from waypoint.registry.models import Patient
from waypoint.triage import escalation, monitoring, policies
from waypoint.triage.models import (
    LEVEL_RANK,
    ContextSource,
    EventKind,
    ReportEvent,
    ReportStatus,
    Source,
    SymptomReport,
)
from waypoint.triage.rules import grading
from waypoint.triage.rules.config import thresholds_fingerprint
from waypoint.triage.rules.grading import Context, Outcome, ReportInvalid
from waypoint.triage.sact import sact_context

REPORT_OBJECT = "symptom_report"
MAX_FREE_TEXT = 4000
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
MAX_IDEMPOTENCY_KEY = 100  # SymptomReport.idempotency_key's max_length


@dataclass(frozen=True)
class ReportInput:
    """A report as received (API body or form), before it is checked."""

    symptoms: Sequence[Mapping[str, Any]]
    reported_at: dt.datetime | None = None
    context: Mapping[str, Any] | None = None
    free_text: str = ""

    def fingerprint(self, *, source: str, patient_id: int | None) -> str:
        body = {
            "source": source,
            "patient": patient_id,
            "reported_at": self.reported_at.isoformat() if self.reported_at else None,
            "context": self.context,
            "symptoms": list(self.symptoms),
            "free_text": self.free_text,
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class Graded:
    report: grading.Report
    outcome: Outcome
    context_source: str
    thresholds_fingerprint: str  # of the configuration that graded it (triage.rules.config)


def invalid(error: ReportInvalid) -> ValidationFailed:
    fields = {e.location: e.message for e in error.errors}
    first = error.errors[0]
    return ValidationFailed(
        f"The report was not accepted: {first.location} {first.message}.", fields=fields
    )


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def triage_grade(*, data: ReportInput, patient: Patient | None, now: dt.datetime) -> Graded:
    """Check and grade without storing: the preview the helpline form shows as it is filled in."""
    reported_at = data.reported_at or now
    if timezone.is_naive(reported_at):
        raise ValidationFailed(
            "reported_at needs a time zone.", fields={"reported_at": "Give a time zone, e.g. Z."}
        )
    if reported_at > now + FUTURE_TOLERANCE:
        raise ValidationFailed(
            "reported_at is in the future.", fields={"reported_at": "Must not be in the future."}
        )
    oldest = now - dt.timedelta(hours=settings.WAYPOINT_REPORT_MAX_AGE_HOURS)
    if reported_at < oldest:
        # A report dated long ago would start its response clock already overdue and escalate at
        # once; one that old belongs in the record as a note, not in the triage queue.
        raise ValidationFailed(
            "reported_at is too long ago.",
            fields={
                "reported_at": (
                    f"Must be within the last {settings.WAYPOINT_REPORT_MAX_AGE_HOURS} hours."
                )
            },
        )
    if len(data.free_text) > MAX_FREE_TEXT:
        raise ValidationFailed(
            "The description is too long.",
            fields={"free_text": f"Use at most {MAX_FREE_TEXT} characters."},
        )
    config = settings.WAYPOINT_TRIAGE_CONFIG
    today = local_date(reported_at)
    try:
        items = grading.parse_items(data.symptoms, config=config)
        context = grading.parse_context(data.context, today=today)
    except ReportInvalid as exc:
        raise invalid(exc) from exc
    context_source = ContextSource.REPORTED if data.context is not None else ContextSource.NONE
    if data.context is None and patient is not None:
        recorded = sact_context(patient, today=today)
        if recorded is not None:
            context, context_source = recorded, ContextSource.TREATMENT_RECORD
    report = grading.Report(
        reported_at=reported_at, items=items, context=context, free_text=data.free_text
    )
    outcome = grading.triage(report, today=today, config=config)
    return Graded(
        report=report,
        outcome=outcome,
        context_source=context_source,
        thresholds_fingerprint=thresholds_fingerprint(config, rules_version=outcome.rules_version),
    )


def symptom_report_submit(
    *,
    actor: User,
    patient: Patient | None,
    source: str,
    data: ReportInput,
    idempotency_key: str = "",
    reason: str = "",
    team: Team | None = None,
    acknowledge_with: str = "",
    is_check_in: bool = False,
    now: dt.datetime | None = None,
) -> tuple[SymptomReport, bool]:
    """Store a graded report; answer it and whether it is new.

    ``patient`` is None only for a helpline caller not yet registered (``team`` then says whose
    queue it joins). ``acknowledge_with`` records that the submitting clinician has already acted
    (a helpline nurse on the phone to the person): the report starts acknowledged.
    """
    now = now or timezone.now()
    if source not in policies.sources_allowed(actor):
        raise Forbidden(f"You cannot submit a report with source {source!r}.")
    if patient is not None and not policies.can_report_for(actor, patient, reason=reason):
        raise NotFound()
    if patient is None and (team is None or not acknowledge_with):
        raise ValidationFailed("A report needs the person it is about.")
    key = idempotency_key.strip()
    if len(key) > MAX_IDEMPOTENCY_KEY:
        # Cutting a long key short would make two keys that share a prefix collide.
        raise ValidationFailed(
            "The Idempotency-Key is too long.",
            fields={"Idempotency-Key": f"Use at most {MAX_IDEMPOTENCY_KEY} characters."},
        )
    fingerprint = data.fingerprint(source=source, patient_id=patient.pk if patient else None)
    if key:
        earlier = _replayed(actor=actor, key=key, fingerprint=fingerprint)
        if earlier is not None:
            return earlier, False
    graded = triage_grade(data=data, patient=patient, now=now)
    try:
        with transaction.atomic():
            report = _store(
                actor=actor,
                patient=patient,
                team=team or _team_of(patient),
                source=source,
                data=data,
                graded=graded,
                key=key,
                fingerprint=fingerprint,
                acknowledge_with=acknowledge_with,
                is_check_in=is_check_in,
                reason=reason,
                now=now,
            )
    except IntegrityError:
        # The same key, sent twice at once: the first one stored wins.
        earlier = _replayed(actor=actor, key=key, fingerprint=fingerprint) if key else None
        if earlier is None:
            raise
        return earlier, False
    return report, True


def _team_of(patient: Patient | None) -> Team:
    assert patient is not None  # noqa: S101  # checked by the caller
    return patient.team


def _replayed(*, actor: User, key: str, fingerprint: str) -> SymptomReport | None:
    earlier = SymptomReport.objects.filter(submitted_by=actor, idempotency_key=key).first()
    if earlier is None:
        return None
    if earlier.fingerprint != fingerprint:
        raise Conflict(
            "This Idempotency-Key was already used for a different report.",
            fields={"Idempotency-Key": "Use a new key for a new report."},
            code="idempotency_key_reused",
        )
    return earlier


def _store(
    *,
    actor: User,
    patient: Patient | None,
    team: Team,
    source: str,
    data: ReportInput,
    graded: Graded,
    key: str,
    fingerprint: str,
    acknowledge_with: str,
    is_check_in: bool,
    reason: str,
    now: dt.datetime,
) -> SymptomReport:
    outcome = graded.outcome
    context = graded.report.context
    acknowledged = bool(acknowledge_with)
    relationship = ""
    if source == Source.CARER and patient is not None:
        # Taken from the grant, not from the page: who the carer is to the person stays with the
        # report, as the grant said when the report was made.
        grant = policies.carer_grant_for(actor, patient)
        relationship = grant.relationship if grant is not None else ""
    clocked = outcome.respond_by is not None
    report = SymptomReport.objects.create(
        patient=patient,
        team=team,
        source=source,
        is_check_in=is_check_in,
        reported_at=graded.report.reported_at,
        received_at=now,
        submitted_by=actor,
        reported_by_relationship=relationship,
        idempotency_key=key,
        fingerprint=fingerprint,
        symptoms=[dict(item) for item in data.symptoms],
        context=_context_json(context) if graded.context_source != ContextSource.NONE else None,
        context_source=graded.context_source,
        free_text=data.free_text,
        level=outcome.level.code,
        level_rank=LEVEL_RANK[outcome.level.code],
        reasons=[{"code": r.code, "level": r.level.code, "why": r.why} for r in outcome.reasons],
        pathways=[p.value for p in outcome.pathways],
        advice=outcome.advice,
        on_sact=outcome.on_sact,
        respond_within_minutes=outcome.respond_within_minutes,
        respond_by=outcome.respond_by,
        rules_version=outcome.rules_version,
        thresholds_fingerprint=graded.thresholds_fingerprint,
        needs_review=outcome.needs_review,
        status=ReportStatus.ACKNOWLEDGED if acknowledged else ReportStatus.OPEN,
        acknowledged_by=actor if acknowledged else None,
        acknowledged_at=now if acknowledged else None,
        action_taken=acknowledge_with,
        next_escalation_at=outcome.respond_by if clocked and not acknowledged else None,
    )
    ReportEvent.objects.create(
        report=report,
        at=now,
        kind=EventKind.RECEIVED,
        actor=actor,
        detail=f"Graded {outcome.level.code} by {outcome.rules_version} "
        f"(thresholds {graded.thresholds_fingerprint})",
    )
    if acknowledged:
        ReportEvent.objects.create(
            report=report,
            at=now,
            kind=EventKind.ACKNOWLEDGED,
            actor=actor,
            detail=acknowledge_with[:300],
        )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type=REPORT_OBJECT,
        object_id=report.pk,
        reason=reason,
        detail=f"{source} report"
        + (f" (by their {relationship})" if relationship else "")
        + f", {outcome.level.code}",
    )
    if clocked and not acknowledged:
        escalation.alert_first_step(report=report, now=now)
    if patient is not None and source == "patient":
        monitoring.check_in_record(report=report, now=now)
    return report


def _context_json(context: Context) -> dict[str, str | None]:
    return {
        "last_sact_on": context.last_sact_on.isoformat() if context.last_sact_on else None,
        "sact_kind": context.sact_kind,
    }


def report_open(*, actor: User, report_id: int, reason: str = "") -> SymptomReport:
    """One report the actor may see, with the read audited. Out of scope is 404."""
    report = (
        policies.reports_for_actor(actor, reason=reason)
        .select_related("patient", "team", "submitted_by", "acknowledged_by", "closed_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise NotFound()
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        patient=report.patient,
        object_type=REPORT_OBJECT,
        object_id=report.pk,
        reason=reason,
    )
    return report


def _for_action(actor: User, report_id: int) -> SymptomReport:
    report = SymptomReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None or not policies.can_act_on_report(actor, report):
        raise NotFound()
    return report


@transaction.atomic
def symptom_report_acknowledge(
    *, actor: User, report_id: int, action_taken: str, now: dt.datetime | None = None
) -> SymptomReport:
    """A named clinician takes the report: the clock and the escalation stop."""
    now = now or timezone.now()
    action_taken = action_taken.strip()
    if not action_taken:
        raise ValidationFailed(
            "Say what you did.", fields={"action_taken": "Record the action you took."}
        )
    report = _for_action(actor, report_id)
    if report.status != ReportStatus.OPEN:
        who = report.acknowledged_by.display_name if report.acknowledged_by else "someone"
        raise Conflict(f"This report was already acknowledged by {who}.")
    report.status = ReportStatus.ACKNOWLEDGED
    report.acknowledged_by = actor
    report.acknowledged_at = now
    report.action_taken = action_taken[:4000]
    report.next_escalation_at = None
    report.save(
        update_fields=[
            "status",
            "acknowledged_by",
            "acknowledged_at",
            "action_taken",
            "next_escalation_at",
        ]
    )
    late = report.respond_by is not None and now > report.respond_by
    ReportEvent.objects.create(
        report=report,
        at=now,
        kind=EventKind.ACKNOWLEDGED,
        actor=actor,
        detail=("after its clock: " if late else "") + action_taken[:280],
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=report.patient,
        object_type=REPORT_OBJECT,
        object_id=report.pk,
        detail="acknowledged",
    )
    return report


@transaction.atomic
def symptom_report_close(
    *,
    actor: User,
    report_id: int,
    outcome: str,
    action_taken: str = "",
    now: dt.datetime | None = None,
) -> SymptomReport:
    """Record the outcome. An open report is acknowledged in the same step (``action_taken``)."""
    now = now or timezone.now()
    outcome = outcome.strip()
    if not outcome:
        raise ValidationFailed("Record the outcome.", fields={"outcome": "Record the outcome."})
    report = _for_action(actor, report_id)
    if report.status == ReportStatus.CLOSED:
        raise Conflict("This report is already closed.")
    if report.status == ReportStatus.OPEN:
        report = symptom_report_acknowledge(
            actor=actor, report_id=report.pk, action_taken=action_taken, now=now
        )
    report.status = ReportStatus.CLOSED
    report.closed_by = actor
    report.closed_at = now
    report.outcome = outcome[:4000]
    report.save(update_fields=["status", "closed_by", "closed_at", "outcome"])
    ReportEvent.objects.create(
        report=report, at=now, kind=EventKind.CLOSED, actor=actor, detail=outcome[:300]
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=report.patient,
        object_type=REPORT_OBJECT,
        object_id=report.pk,
        detail="closed",
    )
    return report
