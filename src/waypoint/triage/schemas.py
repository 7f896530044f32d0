from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from ninja import Schema
from pydantic import Field

from waypoint.core.bounds import InputDate, InputDateTime
from waypoint.triage.models import ReportEvent, SymptomReport
from waypoint.triage.rules.config import thresholds_are_default, thresholds_fingerprint
from waypoint.triage.rules.grading import Outcome


class SymptomReportIn(Schema):
    source: Literal["patient", "helpline", "clinician"]
    reported_at: InputDateTime | None = None
    context: dict[str, Any] | None = None
    symptoms: list[Any] = Field(default_factory=list, max_length=60)
    free_text: str = Field(default="", max_length=4000)


class PreviewIn(Schema):
    reported_at: InputDateTime | None = None
    context: dict[str, Any] | None = None
    symptoms: list[Any] = Field(default_factory=list, max_length=60)
    free_text: str = Field(default="", max_length=4000)
    patient_id: int | None = None


class ReasonOut(Schema):
    code: str
    level: str
    why: str


Thresholds = Literal["default", "local_overrides", "not_recorded"]


class TriageOut(Schema):
    level: str
    reasons: list[ReasonOut]
    pathways: list[str]
    advice: str
    respond_within_minutes: int | None
    respond_by: dt.datetime | None
    rules_version: str
    thresholds_fingerprint: str | None = Field(
        description="Names the thresholds that graded the report (a hash of their values and "
        "the rules version); null for reports graded before it was recorded."
    )
    thresholds: Thresholds = Field(
        description="Whether those were the default thresholds of the rules version or this "
        "deployment's WAYPOINT_TRIAGE_CONFIG overrides."
    )
    needs_review: bool
    on_sact: bool

    @classmethod
    def from_report(cls, r: SymptomReport) -> TriageOut:
        fingerprint, thresholds = _thresholds(r.thresholds_fingerprint, r.rules_version)
        return cls(
            level=r.level,
            reasons=[ReasonOut(**reason) for reason in r.reasons],
            pathways=list(r.pathways),
            advice=r.advice,
            respond_within_minutes=r.respond_within_minutes,
            respond_by=r.respond_by,
            rules_version=r.rules_version,
            thresholds_fingerprint=fingerprint,
            thresholds=thresholds,
            needs_review=r.needs_review,
            on_sact=r.on_sact,
        )

    @classmethod
    def from_outcome(cls, o: Outcome) -> TriageOut:
        """A preview: graded just now by triage_grade, with the configuration in force."""
        in_force = thresholds_fingerprint(
            settings.WAYPOINT_TRIAGE_CONFIG, rules_version=o.rules_version
        )
        fingerprint, thresholds = _thresholds(in_force, o.rules_version)
        return cls(
            level=o.level.code,
            reasons=[ReasonOut(code=r.code, level=r.level.code, why=r.why) for r in o.reasons],
            pathways=[p.value for p in o.pathways],
            advice=o.advice,
            respond_within_minutes=o.respond_within_minutes,
            respond_by=o.respond_by,
            rules_version=o.rules_version,
            thresholds_fingerprint=fingerprint,
            thresholds=thresholds,
            needs_review=o.needs_review,
            on_sact=o.on_sact,
        )


def _thresholds(fingerprint: str, rules_version: str) -> tuple[str | None, Thresholds]:
    if not fingerprint:
        return None, "not_recorded"
    if thresholds_are_default(fingerprint, rules_version=rules_version):
        return fingerprint, "default"
    return fingerprint, "local_overrides"


class PersonRef(Schema):
    id: int
    name: str


class ReportEventOut(Schema):
    at: dt.datetime
    kind: str
    actor: PersonRef | None
    recipient: PersonRef | None
    step: int | None
    detail: str

    @classmethod
    def build(cls, e: ReportEvent) -> ReportEventOut:
        return cls(
            at=e.at,
            kind=e.kind,
            actor=_ref(e.actor),
            recipient=_ref(e.recipient),
            step=e.step,
            detail=e.detail,
        )


def _ref(user: Any) -> PersonRef | None:
    return None if user is None else PersonRef(id=user.pk, name=user.display_name)


class SymptomReportOut(Schema):
    id: int
    patient_id: int | None
    team_id: int
    source: str
    is_check_in: bool
    reported_at: dt.datetime
    received_at: dt.datetime
    symptoms: list[dict[str, Any]]
    context: dict[str, Any] | None
    context_source: str
    free_text: str
    triage: TriageOut
    monitoring_alerts: list[dict[str, Any]]
    status: str
    acknowledged_by: PersonRef | None
    acknowledged_at: dt.datetime | None
    action_taken: str
    closed_at: dt.datetime | None
    outcome: str

    @classmethod
    def build(cls, r: SymptomReport) -> SymptomReportOut:
        return cls(
            id=r.pk,
            patient_id=r.patient_id,
            team_id=r.team_id,
            source=r.source,
            is_check_in=r.is_check_in,
            reported_at=r.reported_at,
            received_at=r.received_at,
            symptoms=r.symptoms,
            context=r.context,
            context_source=r.context_source,
            free_text=r.free_text,
            triage=TriageOut.from_report(r),
            monitoring_alerts=r.monitoring_alerts,
            status=r.status,
            acknowledged_by=_ref(r.acknowledged_by),
            acknowledged_at=r.acknowledged_at,
            action_taken=r.action_taken,
            closed_at=r.closed_at,
            outcome=r.outcome,
        )


class SymptomReportDetailOut(SymptomReportOut):
    history: list[ReportEventOut]


class ReportPage(Schema):
    items: list[SymptomReportOut]
    count: int
    page: int
    pages: int


class AcknowledgeIn(Schema):
    action_taken: str = Field(min_length=1, max_length=4000)


class CloseIn(Schema):
    outcome: str = Field(min_length=1, max_length=4000)
    action_taken: str = Field(default="", max_length=4000)


class HelplineCallIn(Schema):
    patient_id: int | None = None
    called_at: InputDateTime | None = None
    caller_name: str = Field(max_length=200)
    caller_relationship: str
    callback_number: str = Field(max_length=32)
    person_given_name: str = Field(default="", max_length=100)
    person_family_name: str = Field(default="", max_length=100)
    person_birth_date: InputDate | None = None
    person_nhs_number: str = Field(default="", max_length=20)
    context: dict[str, Any] | None = None
    symptoms: list[Any] = Field(default_factory=list, max_length=60)
    free_text: str = Field(default="", max_length=4000)
    advice_given: str = Field(max_length=4000)
    disposition: str
    follow_up_due: InputDateTime | None = None
    notes: str = Field(default="", max_length=4000)


class HelplineCallOut(Schema):
    id: int
    called_at: dt.datetime
    caller_name: str
    caller_relationship: str
    callback_number: str
    patient_id: int | None
    person_name: str
    person_birth_date: dt.date | None
    advice_given: str
    disposition: str
    follow_up_due: dt.datetime | None
    clinician: PersonRef
    report: SymptomReportOut


class LinkIn(Schema):
    patient_id: int
