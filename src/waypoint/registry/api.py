from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from waypoint.accounts.http import acting_user
from waypoint.core.bounds import MAX_PAGE, InputDate
from waypoint.core.errors import NotFound
from waypoint.core.http import access_reason
from waypoint.registry import results, services
from waypoint.registry.models import Biopsy, Patient, PortalInvitation, ReceptorResult
from waypoint.registry.schemas import (
    CarerIn,
    CarerOut,
    PatientCreateIn,
    PatientDetailOut,
    PatientOut,
    PatientPage,
    PatientPatchIn,
    PrimaryDiagnosisIn,
    PrimaryDiagnosisOut,
    SecondaryDiagnosisIn,
    SecondaryDiagnosisOut,
    SiteIn,
)
from waypoint.registry.selectors import (
    biopsies_for,
    patient_with_details,
    receptor_results_for,
    secondary_diagnoses_for,
)
from waypoint.registry.services import invitations

router = Router(tags=["patients"])


class SearchParams(Schema):
    q: str = Field(default="", max_length=100)
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    page_size: int = Field(default=25, ge=1, le=200)
    reason: str = Field(default="", max_length=300)


def _detail(opened: Patient) -> PatientDetailOut:
    patient = patient_with_details(opened)
    base = PatientOut.build(patient)
    return PatientDetailOut(
        **base.dict(),
        primary_diagnoses=[PrimaryDiagnosisOut.from_orm(p) for p in patient.primaries.all()],
        secondary_diagnoses=[SecondaryDiagnosisOut.build(s) for s in patient.secondaries.all()],
        carers=[CarerOut.from_orm(c) for c in patient.carers.all()],
    )


@router.post("/patients", response={201: PatientDetailOut}, summary="Register a person")
def create_patient(request: HttpRequest, payload: PatientCreateIn) -> Status[PatientDetailOut]:
    patient = services.patient_register(
        actor=acting_user(request),
        nhs_number=payload.nhs_number,
        given_name=payload.given_name,
        family_name=payload.family_name,
        birth_date=payload.birth_date,
        sex=payload.sex,
        team_id=payload.team,
        postcode=payload.postcode,
        address=payload.address,
        phone=payload.phone,
        email=payload.email,
        preferred_contact_method=payload.preferred_contact_method,
        identifiers=[services.IdentifierInput(i.system, i.value) for i in payload.identifiers],
        reason=access_reason(request),
    )
    return Status(201, _detail(patient))


@router.get("/patients", response=PatientPage, summary="Search people you may see")
def list_patients(request: HttpRequest, params: Query[SearchParams]) -> PatientPage:
    page = services.patient_search(
        actor=acting_user(request),
        query=params.q,
        reason=access_reason(request, params.reason),
        page=params.page,
        page_size=params.page_size,
    )
    return PatientPage(
        items=[PatientOut.build(p, with_identifiers=False) for p in page.items],
        count=page.count,
        page=page.page,
        pages=page.pages,
    )


@router.get("/patients/{patient_id}", response=PatientDetailOut, summary="One person's record")
def get_patient(request: HttpRequest, patient_id: int, reason: str = "") -> PatientDetailOut:
    patient = services.patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request, reason)
    )
    return _detail(patient)


@router.patch("/patients/{patient_id}", response=PatientDetailOut, summary="Change details")
def patch_patient(
    request: HttpRequest, patient_id: int, payload: PatientPatchIn
) -> PatientDetailOut:
    actor = acting_user(request)
    patient = services.patient_get_for_update(actor=actor, patient_id=patient_id)
    services.patient_update(actor=actor, patient=patient, changes=payload.dict(exclude_unset=True))
    return _detail(patient)


@router.get(
    "/patients/{patient_id}/secondary-diagnoses",
    response=list[SecondaryDiagnosisOut],
    summary="Metastatic diagnoses",
)
def list_secondary(
    request: HttpRequest, patient_id: int, reason: str = ""
) -> list[SecondaryDiagnosisOut]:
    patient = services.patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request, reason)
    )
    return [SecondaryDiagnosisOut.build(s) for s in secondary_diagnoses_for(patient)]


@router.post(
    "/patients/{patient_id}/secondary-diagnoses",
    response={201: SecondaryDiagnosisOut},
    summary="Record a metastatic diagnosis",
)
def create_secondary(
    request: HttpRequest, patient_id: int, payload: SecondaryDiagnosisIn
) -> Status[SecondaryDiagnosisOut]:
    actor = acting_user(request)
    patient = services.patient_get_for_update(actor=actor, patient_id=patient_id)
    sites = [
        services.SiteInput(s) if isinstance(s, str) else services.SiteInput(s.code, s.detail)
        for s in payload.sites
    ]
    diagnosis = services.secondary_diagnosis_record(
        actor=actor,
        patient=patient,
        diagnosed_on=payload.diagnosed_on,
        presentation=payload.presentation,
        sites=sites,
        er=payload.er,
        pr=payload.pr,
        her2=payload.her2,
        receptors_assessed_on=payload.receptors_assessed_on,
        biopsy_decision=payload.biopsy_decision,
        biopsy_not_feasible_reason=payload.biopsy_not_feasible_reason,
    )
    return Status(201, SecondaryDiagnosisOut.build(diagnosis))


@router.post(
    "/patients/{patient_id}/primary-diagnoses",
    response={201: PrimaryDiagnosisOut},
    summary="Record the primary breast cancer",
)
def create_primary(
    request: HttpRequest, patient_id: int, payload: PrimaryDiagnosisIn
) -> Status[PrimaryDiagnosisOut]:
    actor = acting_user(request)
    patient = services.patient_get_for_update(actor=actor, patient_id=patient_id)
    primary = services.primary_diagnosis_record(actor=actor, patient=patient, **payload.dict())
    return Status(201, PrimaryDiagnosisOut.from_orm(primary))


@router.post(
    "/patients/{patient_id}/carers", response={201: CarerOut}, summary="Add a consented carer"
)
def create_carer(request: HttpRequest, patient_id: int, payload: CarerIn) -> Status[CarerOut]:
    actor = acting_user(request)
    patient = services.patient_get_for_update(actor=actor, patient_id=patient_id)
    carer = services.carer_contact_add(actor=actor, patient=patient, **payload.dict())
    return Status(201, CarerOut.from_orm(carer))


class ReceptorResultIn(Schema):
    marker: str
    value: str
    observed_on: InputDate
    specimen: str
    loinc_code: str = Field(default="", max_length=12)
    note: str = Field(default="", max_length=300)


class ReceptorResultOut(Schema):
    id: int
    marker: str
    value: str
    observed_on: dt.date
    specimen: str
    loinc_code: str
    note: str


class BiopsyIn(Schema):
    performed_on: InputDate
    site: str = ""
    body_site: str = Field(default="", max_length=200)
    snomed_code: str = Field(default="", max_length=18)
    note: str = Field(default="", max_length=500)


class BiopsyOut(BiopsyIn):
    id: int


@router.get(
    "/patients/{patient_id}/receptor-results",
    response=list[ReceptorResultOut],
    summary="Every tumour-marker result, oldest first, with its tissue",
)
def list_receptor_results(request: HttpRequest, patient_id: int) -> list[ReceptorResult]:
    patient = services.patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request)
    )
    return list(receptor_results_for(patient))


@router.post(
    "/patients/{patient_id}/receptor-results",
    response={201: ReceptorResultOut},
    summary="Record a receptor result (a metastatic one updates the current status)",
)
def create_receptor_result(
    request: HttpRequest, patient_id: int, payload: ReceptorResultIn
) -> Status[ReceptorResultOut]:
    actor = acting_user(request)
    patient = services.patient_get_for_update(actor=actor, patient_id=patient_id)
    result = results.receptor_result_record(actor=actor, patient=patient, **payload.dict())
    return Status(201, ReceptorResultOut.from_orm(result))


@router.get(
    "/patients/{patient_id}/biopsies", response=list[BiopsyOut], summary="Biopsies, oldest first"
)
def list_biopsies(request: HttpRequest, patient_id: int) -> list[Biopsy]:
    patient = services.patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request)
    )
    return list(biopsies_for(patient))


@router.post(
    "/patients/{patient_id}/biopsies",
    response={201: BiopsyOut},
    summary="Record a biopsy (a metastatic site records BX1's biopsy as done)",
)
def create_biopsy(request: HttpRequest, patient_id: int, payload: BiopsyIn) -> Status[BiopsyOut]:
    actor = acting_user(request)
    patient = services.patient_get_for_update(actor=actor, patient_id=patient_id)
    biopsy = results.biopsy_record(actor=actor, patient=patient, **payload.dict())
    return Status(201, BiopsyOut.from_orm(biopsy))


class PortalInvitationOut(Schema):
    sent_to: str = Field(description="Where it went, masked; or that a letter is to be printed.")
    channel: str = Field(description="email, sms or letter")
    expires_at: dt.datetime
    status: str = Field(description="pending, used, expired or withdrawn")


def _invitation_out(invitation: PortalInvitation) -> PortalInvitationOut:
    return PortalInvitationOut(
        sent_to=invitation.sent_to,
        channel=invitation.channel,
        expires_at=invitation.expires_at,
        status=invitation.status_on(timezone.now()),
    )


@router.post(
    "/patients/{patient_id}/portal-invitation",
    response={201: PortalInvitationOut},
    summary="Invite the person to the patient portal (409 when they have an account)",
)
def send_portal_invitation(request: HttpRequest, patient_id: int) -> Status[PortalInvitationOut]:
    sent = invitations.portal_invitation_send(
        actor=acting_user(request), patient_id=patient_id, now=timezone.now()
    )
    return Status(201, _invitation_out(sent.invitation))


@router.get(
    "/patients/{patient_id}/portal-invitation",
    response=PortalInvitationOut,
    summary="The latest portal invitation and whether it is pending, used or expired",
)
def get_portal_invitation(request: HttpRequest, patient_id: int) -> PortalInvitationOut:
    actor = acting_user(request)
    patient = services.patient_get_for_update(actor=actor, patient_id=patient_id)
    services.require_edit(actor, patient)
    invitation = invitations.latest_portal_invitation(patient)
    if invitation is None:
        raise NotFound("No invitation has been sent to this person.")
    return _invitation_out(invitation)


__all__ = ["SiteIn", "router"]
