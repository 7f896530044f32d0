from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status

from waypoint.accounts.http import acting_user
from waypoint.core.errors import NotFound
from waypoint.core.http import access_reason
from waypoint.core.openapi import ErrorOut
from waypoint.core.pagination import paginate
from waypoint.registry.selectors import patient_with_team
from waypoint.registry.services import patient_open
from waypoint.triage import helpline, selectors, services
from waypoint.triage import queue as queue_reads
from waypoint.triage.models import HelplineCall
from waypoint.triage.schemas import (
    AcknowledgeIn,
    CloseIn,
    HelplineCallIn,
    HelplineCallOut,
    LinkIn,
    PersonRef,
    PreviewIn,
    ReportEventOut,
    ReportPage,
    SymptomReportDetailOut,
    SymptomReportIn,
    SymptomReportOut,
    TriageOut,
)

router = Router(tags=["triage"])


def _detail(report_id: int, request: HttpRequest, reason: str = "") -> SymptomReportDetailOut:
    report = services.report_open(actor=acting_user(request), report_id=report_id, reason=reason)
    return SymptomReportDetailOut(
        **SymptomReportOut.build(report).dict(),
        history=[ReportEventOut.build(e) for e in selectors.report_history(report)],
    )


@router.post(
    "/patients/{patient_id}/symptom-reports",
    response={201: SymptomReportOut},
    summary="Report symptoms; answers the triage outcome at once",
    description=(
        "Grades the report with waypoint-triage-1 and stores it with its outcome. Send an "
        "`Idempotency-Key` header so that a retried request stores nothing new and answers the "
        "first outcome (header `Idempotent-Replayed: true`). The grade supports, never replaces, "
        "clinical judgement."
    ),
)
def submit_report(
    request: HttpRequest, response: HttpResponse, patient_id: int, payload: SymptomReportIn
) -> Status[SymptomReportOut]:
    actor = acting_user(request)
    reason = access_reason(request)
    patient = patient_with_team(patient_id)
    if patient is None:
        raise NotFound()
    report, created = services.symptom_report_submit(
        actor=actor,
        patient=patient,
        source=payload.source,
        data=services.ReportInput(
            symptoms=payload.symptoms,
            reported_at=payload.reported_at,
            context=payload.context,
            free_text=payload.free_text,
        ),
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        reason=reason,
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201, SymptomReportOut.build(report))


@router.post(
    "/triage/preview",
    response={200: TriageOut, 404: ErrorOut},
    summary="Grade a report without storing it",
    description="For a form that shows the grade as it is filled in. Nothing is stored.",
)
def preview(request: HttpRequest, payload: PreviewIn) -> TriageOut:
    actor = acting_user(request)
    patient = None
    if payload.patient_id is not None:
        patient = patient_open(
            actor=actor, patient_id=payload.patient_id, reason=access_reason(request)
        )
    graded = services.triage_grade(
        data=services.ReportInput(
            symptoms=payload.symptoms,
            reported_at=payload.reported_at,
            context=payload.context,
            free_text=payload.free_text,
        ),
        patient=patient,
        now=timezone.now(),
    )
    return TriageOut.from_outcome(graded.outcome)


@router.get(
    "/patients/{patient_id}/symptom-reports",
    response=ReportPage,
    summary="A person's symptom reports, newest first",
)
def list_reports(
    request: HttpRequest, patient_id: int, page: int = 1, page_size: int = 25
) -> ReportPage:
    actor = acting_user(request)
    patient = patient_open(actor=actor, patient_id=patient_id, reason=access_reason(request))
    result = paginate(
        selectors.reports_for_patient(actor, patient, reason=access_reason(request)),
        page=page,
        page_size=page_size,
    )
    return ReportPage(
        items=[SymptomReportOut.build(r) for r in result.items],
        count=result.count,
        page=result.page,
        pages=result.pages,
    )


@router.get(
    "/symptom-reports/{report_id}",
    response=SymptomReportDetailOut,
    summary="One report with its history (alerts, escalations, acknowledgement)",
)
def get_report(request: HttpRequest, report_id: int) -> SymptomReportDetailOut:
    return _detail(report_id, request, access_reason(request))


@router.post(
    "/symptom-reports/{report_id}/acknowledge",
    response=SymptomReportDetailOut,
    summary="Take the report: stops the clock and the escalation",
)
def acknowledge(
    request: HttpRequest, report_id: int, payload: AcknowledgeIn
) -> SymptomReportDetailOut:
    services.symptom_report_acknowledge(
        actor=acting_user(request), report_id=report_id, action_taken=payload.action_taken
    )
    return _detail(report_id, request, "acknowledged the report")


@router.post(
    "/symptom-reports/{report_id}/close",
    response=SymptomReportDetailOut,
    summary="Record the outcome (acknowledging first if nobody has)",
)
def close(request: HttpRequest, report_id: int, payload: CloseIn) -> SymptomReportDetailOut:
    services.symptom_report_close(
        actor=acting_user(request),
        report_id=report_id,
        outcome=payload.outcome,
        action_taken=payload.action_taken,
    )
    return _detail(report_id, request, "closed the report")


@router.get(
    "/teams/{team_id}/triage-queue",
    response=ReportPage,
    summary="A team's triage queue: waiting reports first, by level and time left",
)
def queue(request: HttpRequest, team_id: int, page: int = 1, page_size: int = 50) -> ReportPage:
    actor = acting_user(request)
    if not selectors.queue_teams(actor).filter(pk=team_id).exists():
        raise NotFound()
    result = queue_reads.triage_queue_page(actor, team_id=team_id, page=page, page_size=page_size)
    return ReportPage(
        items=[SymptomReportOut.build(r) for r in result.items],
        count=result.count,
        page=result.page,
        pages=result.pages,
    )


def _call_out(call: HelplineCall) -> HelplineCallOut:
    return HelplineCallOut(
        id=call.pk,
        called_at=call.called_at,
        caller_name=call.caller_name,
        caller_relationship=call.caller_relationship,
        callback_number=call.callback_number,
        patient_id=call.patient_id,
        person_name=call.person_name,
        person_birth_date=call.person_birth_date,
        advice_given=call.advice_given,
        disposition=call.disposition,
        follow_up_due=call.follow_up_due,
        clinician=PersonRef(id=call.clinician.pk, name=call.clinician.display_name),
        report=SymptomReportOut.build(call.report),
    )


@router.post(
    "/helpline-calls",
    response={201: HelplineCallOut, 404: ErrorOut},
    summary="Log a helpline call with its triage (UKONS log sheet)",
)
def log_call(request: HttpRequest, payload: HelplineCallIn) -> Status[HelplineCallOut]:
    call = helpline.helpline_call_log(
        actor=acting_user(request),
        patient_id=payload.patient_id,
        call=helpline.CallInput(
            caller_name=payload.caller_name,
            caller_relationship=payload.caller_relationship,
            callback_number=payload.callback_number,
            advice_given=payload.advice_given,
            disposition=payload.disposition,
            called_at=payload.called_at,
            follow_up_due=payload.follow_up_due,
            notes=payload.notes,
            person_given_name=payload.person_given_name,
            person_family_name=payload.person_family_name,
            person_birth_date=payload.person_birth_date,
            person_nhs_number=payload.person_nhs_number,
        ),
        report=services.ReportInput(
            symptoms=payload.symptoms,
            reported_at=payload.called_at,
            context=payload.context,
            free_text=payload.free_text,
        ),
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    return Status(201, _call_out(call))


@router.get(
    "/helpline-calls/unregistered",
    response=list[HelplineCallOut],
    summary="Calls from people not yet registered",
)
def unregistered(request: HttpRequest) -> list[HelplineCallOut]:
    return [_call_out(c) for c in selectors.unregistered_calls(acting_user(request))[:200]]


@router.post(
    "/helpline-calls/{call_id}/link",
    response=HelplineCallOut,
    summary="Link an unregistered caller's call to their new record",
)
def link(request: HttpRequest, call_id: int, payload: LinkIn) -> HelplineCallOut:
    call = helpline.helpline_call_link_patient(
        actor=acting_user(request), call_id=call_id, patient_id=payload.patient_id
    )
    call = HelplineCall.objects.select_related("report", "clinician").get(pk=call.pk)
    return _call_out(call)


class OutreachOut(Schema):
    patient_id: int
    name: str
    phone: str
    missed_in_a_row: int


@router.get(
    "/teams/{team_id}/check-in-outreach",
    response=list[OutreachOut],
    summary="People who missed two or more weekly check-ins in a row",
)
def outreach(request: HttpRequest, team_id: int) -> list[OutreachOut]:
    actor = acting_user(request)
    if not selectors.queue_teams(actor).filter(pk=team_id).exists():
        raise NotFound()
    return [
        OutreachOut(
            patient_id=p.pk,
            name=f"{p.given_name} {p.family_name}",
            phone=p.phone,
            missed_in_a_row=p.missed_in_a_row,  # type: ignore[attr-defined]  # annotated
        )
        for p in queue_reads.outreach_for_team(actor, team_id=team_id)
    ]
