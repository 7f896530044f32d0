"""Peer support sessions: booking, cancelling, a waiting list that promotes by itself,
reminders and a calendar file."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from icalendar import Calendar, Event

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import Conflict, NotFound, ValidationFailed
from waypoint.registry import policies as registry_policies
from waypoint.registry.messaging import message_to_patient
from waypoint.registry.models import Patient
from waypoint.support.models import Booking, BookingStatus, OfferKind, PeerSession, SupportOffer

BOOKING_OBJECT = "session_booking"
REMIND_BEFORE = dt.timedelta(hours=24)


def upcoming_sessions(*, now: dt.datetime) -> QuerySet[PeerSession]:
    """Sessions still to come, each with its count of booked places (one query for the list)."""
    return (
        PeerSession.objects.filter(starts_at__gt=now, cancelled_at__isnull=True)
        .annotate(booked=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)))
        .order_by("starts_at")
    )


def places_left(session: PeerSession) -> int:
    booked = getattr(session, "booked", None)  # annotated by upcoming_sessions
    if booked is None:
        booked = session.bookings.filter(status=BookingStatus.BOOKED).count()
    return max(session.capacity - booked, 0)


def _tell(patient: Patient, *, subject: str, body: str, now: dt.datetime, reference: str) -> None:
    message_to_patient(
        patient=patient,
        subject=subject,
        body=body,
        topic="support.session",
        reference=reference,
        now=now,
    )


@transaction.atomic
def session_book(
    *, actor: User, session_id: int, patient_id: int, now: dt.datetime | None = None
) -> Booking:
    """A place if there is one, otherwise a place on the waiting list."""
    now = now or timezone.now()
    session = PeerSession.objects.select_for_update().filter(pk=session_id).first()
    patient = Patient.objects.filter(pk=patient_id).first()
    if session is None or patient is None or not registry_policies.acts_for_patient(actor, patient):
        raise NotFound()
    if session.cancelled_at is not None or session.starts_at <= now:
        raise ValidationFailed("This session can no longer be booked.")
    status = BookingStatus.BOOKED if places_left(session) > 0 else BookingStatus.WAITING
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                session=session, patient=patient, status=status, created_at=now
            )
    except IntegrityError as exc:
        raise Conflict("You are already booked on this session, or waiting for a place.") from exc
    SupportOffer.objects.create(
        patient=patient,
        kind=OfferKind.PEER_SUPPORT,
        offered_at=now,
        offered_by=actor,
        accepted=True,
        note=f"Booked: {session.title}",
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type=BOOKING_OBJECT,
        object_id=booking.pk,
        detail=status,
    )
    return booking


@transaction.atomic
def booking_cancel(*, actor: User, booking_id: int, now: dt.datetime | None = None) -> Booking:
    """Cancel; a freed place goes at once to the first person waiting, who is told."""
    now = now or timezone.now()
    booking = Booking.objects.select_related("patient").filter(pk=booking_id).first()
    if booking is None or not registry_policies.acts_for_patient(actor, booking.patient):
        raise NotFound()
    session = PeerSession.objects.select_for_update().get(pk=booking.session_id)
    booking.refresh_from_db()
    if booking.status == BookingStatus.CANCELLED:
        raise Conflict("This booking is already cancelled.")
    freed = booking.status == BookingStatus.BOOKED
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=booking.patient,
        object_type=BOOKING_OBJECT,
        object_id=booking.pk,
        detail="cancelled",
    )
    if freed:
        _promote(session, now=now)
    return booking


def _promote(session: PeerSession, *, now: dt.datetime) -> None:
    while places_left(session) > 0:
        waiting = (
            session.bookings.filter(status=BookingStatus.WAITING)
            .select_related("patient")
            .order_by("created_at", "id")
            .first()
        )
        if waiting is None:
            return
        waiting.status = BookingStatus.BOOKED
        waiting.promoted_at = now
        waiting.save(update_fields=["status", "promoted_at"])
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            patient=waiting.patient,
            object_type=BOOKING_OBJECT,
            object_id=waiting.pk,
            detail="promoted from waiting list",
        )
        _tell(
            waiting.patient,
            subject=f"A place for you: {session.title}",
            body=(
                f"Waypoint: a place came free and is now yours: {session.title}, "
                f"{timezone.localtime(session.starts_at):%A %d %B at %H:%M}. "
                f"Details and a calendar file: {settings.WAYPOINT_BASE_URL}/portal/sessions/"
            ),
            now=now,
            reference=str(waiting.pk),
        )


def session_reminders_send(*, now: dt.datetime) -> int:
    """Remind everyone booked on a session starting within a day (claimed once per booking)."""
    due = Booking.objects.filter(
        status=BookingStatus.BOOKED,
        reminded_at__isnull=True,
        session__cancelled_at__isnull=True,
        session__starts_at__gt=now,
        session__starts_at__lte=now + REMIND_BEFORE,
    ).values_list("pk", flat=True)
    sent = 0
    for booking_id in list(due[:500]):
        with transaction.atomic():
            if not Booking.objects.filter(pk=booking_id, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue  # another worker sent it
            booking = Booking.objects.select_related("session", "patient").get(pk=booking_id)
            session = booking.session
            _tell(
                booking.patient,
                subject=f"Tomorrow: {session.title}",
                body=(
                    f"Waypoint reminder: {session.title}, "
                    f"{timezone.localtime(session.starts_at):%A %d %B at %H:%M}, "
                    f"{session.location}."
                ),
                now=now,
                reference=str(booking.pk),
            )
            sent += 1
    return sent


def session_ics(session: PeerSession) -> bytes:
    """The session as an iCalendar file (RFC 5545) to add to a phone's calendar."""
    calendar = Calendar()
    calendar.add("prodid", "-//Waypoint//Peer support//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"peer-session-{session.pk}@waypoint")
    event.add("summary", session.title)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("dtstamp", session.updated_at)
    event.add("location", session.location)
    if session.description:
        event.add("description", session.description)
    if session.cancelled_at is not None:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics
