from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from waypoint.accounts.http import acting_user
from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.careteam import selectors, services, worklists
from waypoint.careteam.models import Cover
from waypoint.core.bounds import MAX_PAGE, InputDate
from waypoint.core.errors import Forbidden
from waypoint.core.http import access_reason
from waypoint.registry.services import patient_get_for_update, patient_open

router = Router(tags=["key workers"])


class PersonOut(Schema):
    id: int
    name: str
    work_phone: str
    job_title: str

    @staticmethod
    def of(user: User | None) -> PersonOut | None:
        if user is None:
            return None
        return PersonOut(
            id=user.pk, name=user.display_name, work_phone=user.work_phone, job_title=user.job_title
        )


class TeamContactOut(Schema):
    id: int
    name: str
    in_hours_phone: str
    in_hours_description: str
    out_of_hours_phone: str


class AssignmentOut(Schema):
    key_worker: PersonOut
    started_at: dt.datetime
    ended_at: dt.datetime | None
    start_reason: str
    end_reason: str


class SuggestionOut(Schema):
    user: int
    name: str
    caseload: int
    why: str
    rules_version: str


class KeyWorkerOut(Schema):
    key_worker: PersonOut | None
    since: dt.datetime | None
    covering: PersonOut | None
    cover_until: dt.date | None
    contact: PersonOut | None
    team: TeamContactOut
    history: list[AssignmentOut]
    suggestion: SuggestionOut | None


class KeyWorkerPut(Schema):
    user: int
    reason: str = Field(max_length=300)


def _key_worker_out(request: HttpRequest, patient_id: int, reason: str) -> KeyWorkerOut:
    actor = acting_user(request)
    patient = patient_open(
        actor=actor, patient_id=patient_id, reason=access_reason(request, reason)
    )
    today = timezone.localdate()
    contact = selectors.contact_for_patient(patient, day=today)
    history = selectors.assignment_history(patient)
    suggestion = None
    if contact.key_worker is None and has_permission(actor, Permission.ASSIGN_KEY_WORKER):
        found = selectors.key_worker_suggestion(patient, day=today)
        if found is not None:
            suggestion = SuggestionOut(
                user=found.user_id,
                name=found.name,
                caseload=found.caseload,
                why=found.why,
                rules_version=found.rules_version,
            )
    team = patient.team
    return KeyWorkerOut(
        key_worker=PersonOut.of(contact.key_worker),
        since=contact.key_worker_since,
        covering=PersonOut.of(contact.covering),
        cover_until=contact.cover_until,
        contact=PersonOut.of(contact.contact_person),
        team=TeamContactOut(
            id=team.pk,
            name=team.name,
            in_hours_phone=team.in_hours_phone,
            in_hours_description=team.in_hours_description,
            out_of_hours_phone=team.out_of_hours_phone,
        ),
        history=[
            AssignmentOut(
                key_worker=PersonOut.of(a.key_worker),  # type: ignore[arg-type]  # never None
                started_at=a.started_at,
                ended_at=a.ended_at,
                start_reason=a.start_reason,
                end_reason=a.end_reason,
            )
            for a in history
        ],
        suggestion=suggestion,
    )


@router.get(
    "/patients/{patient_id}/key-worker",
    response=KeyWorkerOut,
    summary="Named key worker, cover and whom to contact",
)
def get_key_worker(request: HttpRequest, patient_id: int, reason: str = "") -> KeyWorkerOut:
    return _key_worker_out(request, patient_id, reason)


@router.put(
    "/patients/{patient_id}/key-worker", response=KeyWorkerOut, summary="Assign a key worker"
)
def put_key_worker(request: HttpRequest, patient_id: int, payload: KeyWorkerPut) -> KeyWorkerOut:
    actor = acting_user(request)
    patient = patient_get_for_update(actor=actor, patient_id=patient_id)
    services.keyworker_assign(
        actor=actor, patient=patient, key_worker_id=payload.user, reason=payload.reason
    )
    return _key_worker_out(request, patient_id, "")


class UnassignedItem(Schema):
    patient: int
    name: str
    nhs_number: str | None
    team: str
    metastatic_diagnosed_on: dt.date
    waiting_since: dt.date
    days_waiting: int
    overdue: bool
    suggestion: SuggestionOut | None


class UnassignedPage(Schema):
    items: list[UnassignedItem]
    count: int
    page: int
    pages: int


class PageParams(Schema):
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    page_size: int = Field(default=50, ge=1, le=200)


@router.get(
    "/worklists/unassigned",
    response=UnassignedPage,
    summary="People without a named key worker, longest waiting first",
)
def unassigned(request: HttpRequest, params: Query[PageParams]) -> UnassignedPage:
    actor = acting_user(request)
    if not has_permission(actor, Permission.VIEW_TEAM_PATIENTS):
        raise Forbidden("The unassigned worklist is for the care team.")
    today = timezone.localdate()
    page = worklists.unassigned_worklist_open(
        actor=actor, day=today, page=params.page, page_size=params.page_size
    )
    return UnassignedPage(
        items=[
            UnassignedItem(
                patient=row.patient.pk,
                name=row.patient.full_name,
                nhs_number=row.patient.nhs_number,
                team=row.patient.team.name,
                metastatic_diagnosed_on=row.patient.metastatic_diagnosed_on,  # type: ignore[arg-type]  # filtered non-null
                waiting_since=row.waiting_since,
                days_waiting=row.days_waiting,
                overdue=row.overdue,
                suggestion=(
                    SuggestionOut(
                        user=row.suggestion.user_id,
                        name=row.suggestion.name,
                        caseload=row.suggestion.caseload,
                        why=row.suggestion.why,
                        rules_version=row.suggestion.rules_version,
                    )
                    if row.suggestion
                    else None
                ),
            )
            for row in page.rows
        ],
        count=page.count,
        page=page.page,
        pages=page.pages,
    )


class BulkReassignIn(Schema):
    to_user: int | None = None
    reason: str = Field(max_length=300)
    team: int | None = Field(
        default=None,
        description="Only this team's patients (what a team's lead may move when a member leaves).",
    )


class BulkReassignOut(Schema):
    moved: int


@router.post(
    "/key-workers/{user_id}/reassign",
    response=BulkReassignOut,
    summary="Move a key worker's whole caseload (a manager, when a nurse leaves)",
)
def bulk_reassign(request: HttpRequest, user_id: int, payload: BulkReassignIn) -> BulkReassignOut:
    moved = services.keyworker_bulk_reassign(
        actor=acting_user(request),
        from_user_id=user_id,
        to_user_id=payload.to_user,
        reason=payload.reason,
        day=timezone.localdate(),
        team_id=payload.team,
    )
    return BulkReassignOut(moved=moved)


class CoverIn(Schema):
    absent_user: int
    cover_user: int
    starts_on: InputDate
    ends_on: InputDate
    reason: str = Field(default="Annual leave", max_length=200)


class CoverOut(Schema):
    id: int
    absent_user: PersonOut
    cover_user: PersonOut
    starts_on: dt.date
    ends_on: dt.date
    reason: str

    @staticmethod
    def of(cover: Cover) -> CoverOut:
        return CoverOut(
            id=cover.pk,
            absent_user=PersonOut.of(cover.absent_user),  # type: ignore[arg-type]  # never None
            cover_user=PersonOut.of(cover.cover_user),  # type: ignore[arg-type]  # never None
            starts_on=cover.starts_on,
            ends_on=cover.ends_on,
            reason=cover.reason,
        )


@router.get("/covers", response=list[CoverOut], summary="Current and future cover")
def list_covers(request: HttpRequest) -> list[CoverOut]:
    actor = acting_user(request)
    return [CoverOut.of(c) for c in selectors.covers_for_actor(actor, day=timezone.localdate())]


@router.post("/covers", response={201: CoverOut}, summary="Arrange cover for leave")
def create_cover(request: HttpRequest, payload: CoverIn) -> Status[CoverOut]:
    cover = services.cover_arrange(
        actor=acting_user(request),
        absent_user_id=payload.absent_user,
        cover_user_id=payload.cover_user,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        reason=payload.reason,
    )
    return Status(201, CoverOut.of(cover))


@router.delete("/covers/{cover_id}", response={204: None}, summary="Cancel cover")
def delete_cover(request: HttpRequest, cover_id: int) -> Status[None]:
    services.cover_cancel(actor=acting_user(request), cover_id=cover_id)
    return Status(204, None)
