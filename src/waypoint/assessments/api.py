from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from waypoint.assessments import selectors, services
from waypoint.assessments.models import NeedsAssessment
from waypoint.assessments.rules import hna
from waypoint.core.http import access_reason, acting_user
from waypoint.registry.services import patient_open

router = Router(tags=["needs assessments"])


class ConcernOut(Schema):
    code: str
    text: str
    rating: int


class AssessmentOut(Schema):
    id: int
    patient_id: int
    questionnaire: str
    status: str
    mode: str
    answers: dict[str, Any]
    due_reason: str
    completed_at: dt.datetime | None
    distress: int | None
    needs_psychosocial_referral: bool
    awaits_psychosocial_decision: bool
    psychosocial_decision: str
    declined_reason: str
    top_concerns: list[ConcernOut]

    @classmethod
    def build(cls, a: NeedsAssessment) -> AssessmentOut:
        result = hna.score(a.answers)
        return cls(
            id=a.pk,
            patient_id=a.patient_id,
            questionnaire=a.questionnaire_version,
            status=a.status,
            mode=a.mode,
            answers=a.answers,
            due_reason=a.due_reason,
            completed_at=a.completed_at,
            distress=a.distress,
            needs_psychosocial_referral=a.status == "completed"
            and result.needs_psychosocial_referral,
            awaits_psychosocial_decision=a.awaits_psychosocial_decision,
            psychosocial_decision=a.psychosocial_decision,
            declined_reason=a.declined_reason,
            top_concerns=[
                ConcernOut(code=c.code, text=c.text, rating=v) for c, v in result.top_concerns
            ],
        )


class DueOut(Schema):
    due: bool
    since: dt.date | None
    reason: str
    overdue: bool
    deadline: dt.date | None
    rules_version: str


class AssessmentListOut(Schema):
    due: DueOut
    items: list[AssessmentOut]


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(default_factory=dict)
    finish: bool = False


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class DecisionIn(Schema):
    decision: str = Field(min_length=1, max_length=4000)


@router.get(
    "/questionnaires/hna",
    response=dict[str, Any],
    summary="The needs-assessment questionnaire as a FHIR R4 Questionnaire",
)
def questionnaire(request: HttpRequest) -> dict[str, Any]:
    return hna.questionnaire_resource()


@router.get(
    "/patients/{patient_id}/needs-assessments",
    response=AssessmentListOut,
    summary="Whether an assessment is due, and every assessment, newest first",
)
def list_assessments(request: HttpRequest, patient_id: int) -> AssessmentListOut:
    patient = patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request)
    )
    status = selectors.hna_due_for([patient.pk], today=timezone.localdate())[patient.pk]
    return AssessmentListOut(
        due=DueOut(**status.__dict__),
        items=[AssessmentOut.build(a) for a in selectors.assessments_of(patient)],
    )


@router.post(
    "/patients/{patient_id}/needs-assessments",
    response={200: AssessmentOut},
    summary="Start an assessment, or resume the one in progress",
)
def open_assessment(request: HttpRequest, patient_id: int) -> AssessmentOut:
    return AssessmentOut.build(services.hna_open(actor=acting_user(request), patient_id=patient_id))


@router.patch(
    "/needs-assessments/{assessment_id}",
    response=AssessmentOut,
    summary="Save answers (any subset); `finish: true` completes it (the distress score is needed)",
)
def save(request: HttpRequest, assessment_id: int, payload: AnswersIn) -> AssessmentOut:
    return AssessmentOut.build(
        services.hna_save(
            actor=acting_user(request),
            assessment_id=assessment_id,
            answers=payload.answers,
            finish=payload.finish,
        )
    )


@router.post(
    "/patients/{patient_id}/needs-assessments/decline",
    response={201: AssessmentOut},
    summary="Record that the person declined an assessment for now",
)
def decline(request: HttpRequest, patient_id: int, payload: ReasonIn) -> Status[AssessmentOut]:
    assessment = services.hna_decline(
        actor=acting_user(request), patient_id=patient_id, reason=payload.reason
    )
    return Status(201, AssessmentOut.build(assessment))


@router.post(
    "/patients/{patient_id}/needs-assessments/request",
    response={201: DueOut},
    summary="Ask for an assessment: it falls due today",
)
def request_assessment(request: HttpRequest, patient_id: int) -> Status[DueOut]:
    services.hna_request(actor=acting_user(request), patient_id=patient_id)
    status = selectors.hna_due_for([patient_id], today=timezone.localdate())[patient_id]
    return Status(201, DueOut(**status.__dict__))


@router.post(
    "/needs-assessments/{assessment_id}/psychosocial-decision",
    response=AssessmentOut,
    summary="After a distress score of 4 or more: the referral made, or why not (NCCN)",
)
def decision(request: HttpRequest, assessment_id: int, payload: DecisionIn) -> AssessmentOut:
    return AssessmentOut.build(
        services.psychosocial_decision_record(
            actor=acting_user(request), assessment_id=assessment_id, decision=payload.decision
        )
    )
