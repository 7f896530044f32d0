from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from waypoint.accounts.http import acting_user
from waypoint.core.bounds import InputDate
from waypoint.core.errors import NotFound
from waypoint.core.openapi import ErrorOut
from waypoint.experience import results, selectors, services
from waypoint.experience.models import ExperienceResponse
from waypoint.experience.rules import questionnaire
from waypoint.experience.rules.disclosure import is_small
from waypoint.registry.models import Patient
from waypoint.registry.services import patient_open

router = Router(tags=["patient experience"])


class ExperienceAnswersIn(Schema):
    """Answer codes by linkId (see the questionnaire); leave out or send "" to skip."""

    answers: dict[str, str | None] = Field(default_factory=dict)


class SavedOut(Schema):
    """Only that it was saved: answers are not echoed back."""

    id: int
    invitation_id: int
    mode: str
    submitted_at: dt.datetime

    @classmethod
    def build(cls, r: ExperienceResponse) -> SavedOut:
        return cls(id=r.pk, invitation_id=r.invitation_id, mode=r.mode, submitted_at=r.submitted_at)


class InvitationOut(Schema):
    id: int
    questionnaire: str
    last_day: dt.date


class ShareOut(Schema):
    code: str
    indicator: str
    positive: int | None
    answered: int | None
    percent: float | None


class FiguresOut(Schema):
    invitations: int | None
    responses: int | None
    response_rate: float | None
    shares: list[ShareOut]


class ExperienceMonthOut(FiguresOut):
    month: str  # YYYY-MM


class CommentOut(Schema):
    month: str
    team: str
    text: str


class ResultsOut(Schema):
    scope: str
    team_ids: list[int]
    since: dt.date
    until: dt.date
    questionnaire: str
    small_number_threshold: int | None = Field(
        description="Counts from 1 to this minus 1 are null, and shares built on them too; "
        "null when the viewer sees exact counts (a clinician, for their own teams)."
    )
    total: FiguresOut
    months: list[ExperienceMonthOut]
    comments: list[CommentOut]


def _count(n: int, threshold: int | None) -> int | None:
    return None if threshold is not None and is_small(n, threshold=threshold) else n


def _figures(f: selectors.Figures, threshold: int | None) -> dict[str, Any]:
    def share(part: int, whole: int, value: float | None) -> float | None:
        if threshold is not None and (
            is_small(part, threshold=threshold) or is_small(whole, threshold=threshold)
        ):
            return None
        return value

    return {
        "invitations": _count(f.invitations, threshold),
        "responses": _count(f.responses, threshold),
        "response_rate": share(f.responses, f.invitations, f.response_rate),
        "shares": [
            ShareOut(
                code=s.code,
                indicator=s.indicator,
                positive=_count(s.positive, threshold),
                answered=_count(s.answered, threshold),
                percent=share(s.positive, s.answered, s.percent),
            )
            for s in f.shares
        ],
    }


@router.get(
    "/questionnaires/experience",
    response=dict[str, Any],
    summary="The patient-experience survey as a FHIR R4 Questionnaire",
)
def questionnaire_get(request: HttpRequest) -> dict[str, Any]:
    return questionnaire.questionnaire_resource(canonical=settings.WAYPOINT_FHIR_BASE_URL)


@router.get(
    "/experience/invitation",
    response={200: InvitationOut, 404: ErrorOut},
    summary="The person's own open survey (404 when there is none)",
)
def own_invitation(request: HttpRequest) -> InvitationOut:
    actor = acting_user(request)
    own = Patient.objects.filter(user=actor).values_list("pk", flat=True).first()
    if own is None:
        raise NotFound()
    patient = patient_open(actor=actor, patient_id=own)
    invitation = selectors.open_invitation(patient, today=timezone.localdate())
    if invitation is None:
        raise NotFound("There is no survey to answer now.")
    return InvitationOut(
        id=invitation.pk,
        questionnaire=questionnaire.RULES_VERSION,
        last_day=invitation.closes_on - dt.timedelta(days=1),
    )


@router.post(
    "/experience/invitations/{invitation_id}/response",
    response={201: SavedOut},
    summary="The person answers their own survey, once (409 if already answered or closed)",
)
def respond(
    request: HttpRequest, invitation_id: int, payload: ExperienceAnswersIn
) -> Status[SavedOut]:
    saved = services.experience_response_submit(
        actor=acting_user(request), invitation_id=invitation_id, answers=payload.answers
    )
    return Status(201, SavedOut.build(saved))


@router.post(
    "/patients/{patient_id}/experience/paper",
    response={201: SavedOut},
    summary="A key worker or oncologist of the team enters a survey answered on paper",
)
def paper(request: HttpRequest, patient_id: int, payload: ExperienceAnswersIn) -> Status[SavedOut]:
    saved = services.experience_paper_record(
        actor=acting_user(request), patient_id=patient_id, answers=payload.answers
    )
    return Status(201, SavedOut.build(saved))


@router.get(
    "/experience/results",
    response={200: ResultsOut, 404: ErrorOut},
    summary="Survey figures for one team, one organisation or all you may see (counts only)",
)
def results_get(
    request: HttpRequest,
    team: int | None = None,
    organisation: int | None = None,
    since: InputDate | None = None,
    until: InputDate | None = None,
) -> ResultsOut:
    found = results.experience_results_open(
        actor=acting_user(request),
        team_id=team,
        organisation_id=organisation,
        since=since,
        until=until,
    )
    threshold = found.threshold
    return ResultsOut(
        scope=found.scope.label,
        team_ids=found.scope.team_ids,
        since=found.summary.since,
        until=found.summary.until,
        questionnaire=found.summary.questionnaire_version,
        small_number_threshold=threshold,
        total=FiguresOut(**_figures(found.summary.total, threshold)),
        months=[
            ExperienceMonthOut(month=m.month.strftime("%Y-%m"), **_figures(m.figures, threshold))
            for m in found.summary.months
        ],
        comments=[
            CommentOut(month=c.month.strftime("%Y-%m"), team=c.team, text=c.text)
            for c in found.comments
        ],
    )
