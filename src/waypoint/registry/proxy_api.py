"""Proxy access over the API: who may act for the person, and in which ways.

The person (their own portal session or token) and the clinicians of their team list, grant,
change and end it; a clinician's grant must say how the person gave consent. Outsiders: 404.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from waypoint.accounts.http import acting_user
from waypoint.core.errors import NotFound
from waypoint.registry import policies
from waypoint.registry.models import Patient, ProxyAccess
from waypoint.registry.services.proxies import (
    ProxyScopes,
    proxies_for_patient,
    proxy_change,
    proxy_end,
    proxy_grant,
)

router = Router(tags=["carers"])


class ScopesIn(Schema):
    appointments: bool = Field(default=True, description="Support meetings and referrals")
    resource_pack: bool = True
    report_symptoms: bool = Field(default=False, description="The symptom check for the person")
    timeline: bool = False

    def scopes(self) -> ProxyScopes:
        return ProxyScopes(
            appointments=self.appointments,
            resource_pack=self.resource_pack,
            report_symptoms=self.report_symptoms,
            timeline=self.timeline,
        )


class ProxyIn(ScopesIn):
    name: str = Field(max_length=200)
    relationship: str = Field(max_length=100, description="e.g. daughter, partner, friend")
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=32, description="A UK mobile, for a text")
    consent_note: str = Field(
        default="",
        max_length=300,
        description="Required from a clinician: how and when the person agreed.",
    )


class ProxyOut(Schema):
    id: int
    name: str
    relationship: str
    status: str = Field(description="invited, active or ended")
    scopes: dict[str, bool]
    granted_at: dt.datetime
    ended_at: dt.datetime | None
    ended_reason: str
    invitation_status: str | None = Field(
        description="The latest invitation: pending, used, expired or withdrawn"
    )

    @staticmethod
    def build(proxy: ProxyAccess) -> ProxyOut:
        invitations = sorted(proxy.invitations.all(), key=lambda i: (i.created_at, i.pk))
        latest = invitations[-1] if invitations else None
        status = "ended" if proxy.ended_at else ("active" if proxy.carer_id else "invited")
        scopes = ProxyScopes.of(proxy)
        return ProxyOut(
            id=proxy.pk,
            name=proxy.name,
            relationship=proxy.relationship,
            status=status,
            scopes={
                "appointments": scopes.appointments,
                "resource_pack": scopes.resource_pack,
                "report_symptoms": scopes.report_symptoms,
                "timeline": scopes.timeline,
            },
            granted_at=proxy.created_at,
            ended_at=proxy.ended_at,
            ended_reason=proxy.ended_reason,
            invitation_status=latest.status_on(timezone.now()) if latest else None,
        )


def _patient_managed_by(request: HttpRequest, patient_id: int) -> Patient:
    actor = acting_user(request)
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None or not (
        policies.is_own_record(actor, patient) or policies.can_edit_patient(actor, patient)
    ):
        raise NotFound()
    return patient


def _proxy_of(patient_id: int, proxy_id: int) -> ProxyAccess:
    proxy = ProxyAccess.objects.filter(pk=proxy_id, patient_id=patient_id).first()
    if proxy is None:
        raise NotFound()
    return proxy


def _fresh(proxy_id: int) -> ProxyOut:
    return ProxyOut.build(ProxyAccess.objects.prefetch_related("invitations").get(pk=proxy_id))


@router.get(
    "/patients/{patient_id}/proxies",
    response=list[ProxyOut],
    summary="People who may act for the person (carers), with what each may see and do",
)
def list_proxies(request: HttpRequest, patient_id: int) -> list[ProxyOut]:
    patient = _patient_managed_by(request, patient_id)
    return [ProxyOut.build(p) for p in proxies_for_patient(patient)]


@router.post(
    "/patients/{patient_id}/proxies",
    response={201: ProxyOut},
    summary="Give someone access to act for the person; their invitation is sent",
)
def grant_proxy(request: HttpRequest, patient_id: int, payload: ProxyIn) -> Status[ProxyOut]:
    granted = proxy_grant(
        actor=acting_user(request),
        patient_id=patient_id,
        name=payload.name,
        relationship=payload.relationship,
        email=payload.email,
        phone=payload.phone,
        consent_note=payload.consent_note,
        scopes=payload.scopes(),
        now=timezone.now(),
    )
    return Status(201, _fresh(granted.proxy.pk))


@router.patch(
    "/patients/{patient_id}/proxies/{proxy_id}",
    response=ProxyOut,
    summary="Change what a carer may see and do",
)
def change_proxy(
    request: HttpRequest, patient_id: int, proxy_id: int, payload: ScopesIn
) -> ProxyOut:
    _patient_managed_by(request, patient_id)
    proxy = _proxy_of(patient_id, proxy_id)
    proxy_change(actor=acting_user(request), proxy_id=proxy.pk, scopes=payload.scopes())
    return _fresh(proxy.pk)


@router.delete(
    "/patients/{patient_id}/proxies/{proxy_id}",
    response=ProxyOut,
    summary="End a carer's access (the person withdraws it, or the team ends it)",
)
def end_proxy(request: HttpRequest, patient_id: int, proxy_id: int) -> ProxyOut:
    _patient_managed_by(request, patient_id)
    proxy = _proxy_of(patient_id, proxy_id)
    proxy_end(actor=acting_user(request), proxy_id=proxy.pk, now=timezone.now())
    return _fresh(proxy.pk)


__all__ = ["router"]
