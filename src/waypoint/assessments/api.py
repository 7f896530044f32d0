from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from waypoint.accounts.http import acting_user
from waypoint.assessments import care_plans, selectors, services
from waypoint.assessments.models import CarePlanRevision, NeedsAssessment
from waypoint.assessments.rules import hna
from waypoint.core.bounds import InputDate
from waypoint.core.http import access_reason
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


class AssessmentAnswersIn(Schema):
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
    return hna.questionnaire_resource(canonical=settings.WAYPOINT_FHIR_BASE_URL)


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
def save(request: HttpRequest, assessment_id: int, payload: AssessmentAnswersIn) -> AssessmentOut:
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


class PlanActionIn(Schema):
    action: str = Field(max_length=500)
    owner: str = Field(max_length=120)
    due_on: InputDate | None = None
    status: str = "to_do"
    concern: str = ""


class PlanIn(Schema):
    actions: list[PlanActionIn]
    note: str = Field(default="", max_length=4000)
    agreed_with_person: bool = True


class PlanActionOut(Schema):
    concern: str
    concern_text: str
    action: str
    owner: str
    due_on: dt.date | None
    status: str


class PlanRevisionOut(Schema):
    id: int
    number: int
    created_at: dt.datetime
    created_by: str
    assessment_id: int | None
    agreed_with_person: bool
    note: str
    actions: list[PlanActionOut]

    @classmethod
    def build(cls, r: CarePlanRevision) -> PlanRevisionOut:
        return cls(
            id=r.pk,
            number=r.number,
            created_at=r.created_at,
            created_by=r.created_by.display_name,
            assessment_id=r.assessment_id,
            agreed_with_person=r.agreed_with_person,
            note=r.note,
            actions=[
                PlanActionOut(
                    concern=a.concern,
                    concern_text=a.concern_text,
                    action=a.action,
                    owner=a.owner,
                    due_on=a.due_on,
                    status=a.status,
                )
                for a in r.actions.all()
            ],
        )


@router.get(
    "/patients/{patient_id}/care-plan",
    response=list[PlanRevisionOut],
    summary="The care and support plan: every revision, the current one first",
)
def get_plan(request: HttpRequest, patient_id: int) -> list[PlanRevisionOut]:
    patient = patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request)
    )
    return [PlanRevisionOut.build(r) for r in care_plans.revisions_of(patient)]


@router.post(
    "/patients/{patient_id}/care-plan",
    response={201: PlanRevisionOut},
    summary="Record a new revision of the plan (every action, in order)",
)
def revise_plan(request: HttpRequest, patient_id: int, payload: PlanIn) -> Status[PlanRevisionOut]:
    revision = care_plans.care_plan_revise(
        actor=acting_user(request),
        patient_id=patient_id,
        actions=[care_plans.ActionInput(**a.dict()) for a in payload.actions],
        note=payload.note,
        agreed_with_person=payload.agreed_with_person,
    )
    fresh = next(r for r in care_plans.revisions_of(revision.patient) if r.pk == revision.pk)
    return Status(201, PlanRevisionOut.build(fresh))
