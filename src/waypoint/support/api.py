from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission, has_permission
from waypoint.core.bounds import InputDateTime
from waypoint.core.errors import NotFound
from waypoint.core.http import access_reason
from waypoint.core.openapi import ErrorOut
from waypoint.registry.services import patient_open
from waypoint.support import resource_pack, selectors, services, sessions
from waypoint.support.models import (
    PeerSession,
    Referral,
)

router = Router(tags=["support"])


class ServiceOut(Schema):
    id: int
    name: str
    kind: str
    provider: str
    description: str
    area_served: str
    mode: str
    phone: str
    email: str
    website: str
    opening_hours: str
    eligibility: str
    self_referral: bool


class SearchIn(Schema):
    kind: str = ""
    area: str = Field(default="", max_length=100)
    mode: str = ""
    q: str = Field(default="", max_length=100)


class ReferralIn(Schema):
    service_id: int
    reason: str = Field(max_length=4000)


class ReferralMoveIn(Schema):
    status: str
    note: str = Field(default="", max_length=300)
    booked_for: InputDateTime | None = None


class ReferralOut(Schema):
    id: int
    patient_id: int
    service: ServiceOut
    reason: str
    status: str
    self_referral: bool
    requested_at: dt.datetime
    respond_by: dt.date
    overdue: bool
    booked_for: dt.datetime | None
    status_reason: str

    @classmethod
    def build(cls, r: Referral) -> ReferralOut:
        return cls(
            id=r.pk,
            patient_id=r.patient_id,
            service=ServiceOut.from_orm(r.service),
            reason=r.reason,
            status=r.status,
            self_referral=r.self_referral,
            requested_at=r.requested_at,
            respond_by=r.respond_by,
            overdue=selectors.overdue(r, today=timezone.localdate()),
            booked_for=r.booked_for,
            status_reason=r.status_reason,
        )


class OfferIn(Schema):
    kind: str
    accepted: bool | None = None
    note: str = Field(default="", max_length=300)


class OfferOut(Schema):
    id: int
    kind: str
    offered_at: dt.datetime
    accepted: bool | None
    note: str


@router.get("/support-services", response=list[ServiceOut], summary="Search the support directory")
def search(request: HttpRequest, params: Query[SearchIn]) -> list[ServiceOut]:
    return [
        ServiceOut.from_orm(s)
        for s in selectors.services_search(
            kind=params.kind, area=params.area, mode=params.mode, q=params.q
        )
    ]


@router.get("/patients/{patient_id}/referrals", response=list[ReferralOut], summary="Referrals")
def list_referrals(request: HttpRequest, patient_id: int) -> list[ReferralOut]:
    patient = patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request)
    )
    return [ReferralOut.build(r) for r in selectors.referrals_of(patient)]


@router.post(
    "/patients/{patient_id}/referrals",
    response={201: ReferralOut},
    summary="Refer (a person may refer themselves to non-clinical services)",
)
def create_referral(
    request: HttpRequest, patient_id: int, payload: ReferralIn
) -> Status[ReferralOut]:
    referral = services.referral_create(
        actor=acting_user(request),
        patient_id=patient_id,
        service_id=payload.service_id,
        reason=payload.reason,
    )
    return Status(201, ReferralOut.build(referral))


@router.post(
    "/referrals/{referral_id}/status",
    response=ReferralOut,
    summary="Move a referral on: accepted, booked, completed, or declined / cancelled (reason)",
)
def move(request: HttpRequest, referral_id: int, payload: ReferralMoveIn) -> ReferralOut:
    referral = services.referral_move(
        actor=acting_user(request),
        referral_id=referral_id,
        to=payload.status,
        note=payload.note,
        booked_for=payload.booked_for,
    )
    return ReferralOut.build(referral)


@router.get(
    "/patients/{patient_id}/support-offers", response=list[OfferOut], summary="Support offered"
)
def list_offers(request: HttpRequest, patient_id: int) -> list[OfferOut]:
    patient = patient_open(
        actor=acting_user(request), patient_id=patient_id, reason=access_reason(request)
    )
    return [OfferOut.from_orm(o) for o in selectors.offers_of(patient)]


@router.post(
    "/patients/{patient_id}/support-offers",
    response={201: OfferOut},
    summary="Record that peer support, the resource pack or the helpline was offered",
)
def create_offer(request: HttpRequest, patient_id: int, payload: OfferIn) -> Status[OfferOut]:
    offer = services.offer_record(
        actor=acting_user(request),
        patient_id=patient_id,
        kind=payload.kind,
        accepted=payload.accepted,
        note=payload.note,
    )
    return Status(201, OfferOut.from_orm(offer))


class SessionOut(Schema):
    id: int
    title: str
    description: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    mode: str
    location: str
    capacity: int
    places_left: int
    facilitator: str

    @classmethod
    def build(cls, s: PeerSession) -> SessionOut:
        return cls(
            id=s.pk,
            title=s.title,
            description=s.description,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            mode=s.mode,
            location=s.location,
            capacity=s.capacity,
            places_left=sessions.places_left(s),
            facilitator=s.facilitator,
        )


class BookingIn(Schema):
    patient_id: int


class BookingOut(Schema):
    id: int
    session_id: int
    patient_id: int
    status: str
    created_at: dt.datetime
    promoted_at: dt.datetime | None


@router.get("/peer-sessions", response=list[SessionOut], summary="Upcoming peer support sessions")
def list_sessions(request: HttpRequest) -> list[SessionOut]:
    return [SessionOut.build(s) for s in sessions.upcoming_sessions(now=timezone.now())[:100]]


@router.post(
    "/peer-sessions/{session_id}/bookings",
    response={201: BookingOut},
    summary="Book a place, or join the waiting list when the session is full",
)
def book(request: HttpRequest, session_id: int, payload: BookingIn) -> Status[BookingOut]:
    booking = sessions.session_book(
        actor=acting_user(request), session_id=session_id, patient_id=payload.patient_id
    )
    return Status(201, BookingOut.from_orm(booking))


@router.post(
    "/bookings/{booking_id}/cancel",
    response=BookingOut,
    summary="Cancel; the first person waiting gets the place",
)
def cancel(request: HttpRequest, booking_id: int) -> BookingOut:
    return BookingOut.from_orm(
        sessions.booking_cancel(actor=acting_user(request), booking_id=booking_id)
    )


class SectionOut(Schema):
    position: int
    title: str
    body: str


class PackOrderIn(Schema):
    name: str = Field(max_length=200)
    address: str = Field(max_length=1000)
    postcode: str = Field(max_length=10)


class PackOrderOut(Schema):
    id: int
    patient_id: int
    name: str
    address: str
    postcode: str
    status: str
    requested_at: dt.datetime
    dispatched_at: dt.datetime | None


@router.get("/resource-pack", response=list[SectionOut], summary="The secondary resource pack")
def pack(request: HttpRequest) -> list[SectionOut]:
    return [
        SectionOut(position=s.position, title=s.title, body=s.body)
        for s in resource_pack.sections()
    ]


@router.post(
    "/patients/{patient_id}/resource-pack-orders",
    response={201: PackOrderOut},
    summary="Order a printed resource pack by post",
)
def order_pack(request: HttpRequest, patient_id: int, payload: PackOrderIn) -> Status[PackOrderOut]:
    order = resource_pack.pack_order(
        actor=acting_user(request),
        patient_id=patient_id,
        name=payload.name,
        address=payload.address,
        postcode=payload.postcode,
    )
    return Status(201, PackOrderOut.from_orm(order))


@router.get(
    "/resource-pack-orders",
    response={200: list[PackOrderOut], 404: ErrorOut},
    summary="Admins: packs waiting to be posted",
)
def orders(request: HttpRequest) -> list[PackOrderOut]:
    if not has_permission(acting_user(request), Permission.MANAGE_OUTBOX):
        raise NotFound()
    return [PackOrderOut.from_orm(o) for o in resource_pack.orders_to_send()[:500]]


@router.post(
    "/resource-pack-orders/{order_id}/dispatch",
    response=PackOrderOut,
    summary="Admins: mark a pack as posted",
)
def dispatch(request: HttpRequest, order_id: int) -> PackOrderOut:
    return PackOrderOut.from_orm(
        resource_pack.order_dispatch(actor=acting_user(request), order_id=order_id)
    )
