"""Peer support sessions: booking a full session, the waiting list promoting itself, reminders
and the calendar file."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar
from tests.world import make_patient

from waypoint.notifications.models import OutboundMessage
from waypoint.support import sessions
from waypoint.support.models import Booking, PeerSession, SupportOffer

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(world):  # type: ignore[no-untyped-def]
    start = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    return PeerSession.objects.create(
        title="Living with Secondary Breast Cancer, Leeds",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        mode="in_person",
        location="Maggie's Leeds, St James's Hospital",
        capacity=1,
    )


def test_booking_a_full_session_joins_the_waiting_list_and_a_cancellation_promotes(
    world, api_as, session
):
    world.patient.email = "ada@example.com"
    world.patient.preferred_contact_method = "email"
    world.patient.save()
    nurse = api_as(world.key_worker)
    first = nurse.post(
        f"/peer-sessions/{session.pk}/bookings", {"patient_id": world.other_patient.pk}
    )
    assert first.json()["status"] == "booked"
    second = api_as(world.patient_user).post(
        f"/peer-sessions/{session.pk}/bookings", {"patient_id": world.patient.pk}
    )
    assert second.json()["status"] == "waiting"
    again = api_as(world.patient_user).post(
        f"/peer-sessions/{session.pk}/bookings", {"patient_id": world.patient.pk}
    )
    assert again.status_code == 409
    listed = nurse.get("/peer-sessions").json()
    assert listed[0]["places_left"] == 0

    nurse.post(f"/bookings/{first.json()['id']}/cancel")
    promoted = Booking.objects.get(pk=second.json()["id"])
    assert promoted.status == "booked"
    assert promoted.promoted_at is not None
    message = OutboundMessage.objects.get(topic="support.session")
    assert message.to == "ada@example.com"
    assert "place came free" in message.body
    assert SupportOffer.objects.filter(kind="peer_support").count() == 2


def test_people_book_only_for_themselves(world, api_as, session):
    response = api_as(world.patient_user).post(
        f"/peer-sessions/{session.pk}/bookings", {"patient_id": world.other_patient.pk}
    )
    assert response.status_code == 404
    outsider = make_patient(team=world.team_b, given="Out", family="Sider")
    assert (
        api_as(world.key_worker)
        .post(f"/peer-sessions/{session.pk}/bookings", {"patient_id": outsider.pk})
        .status_code
        == 404
    )


def test_a_past_or_cancelled_session_cannot_be_booked(world, api_as, session):
    session.cancelled_at = timezone.now()
    session.save()
    response = api_as(world.patient_user).post(
        f"/peer-sessions/{session.pk}/bookings", {"patient_id": world.patient.pk}
    )
    assert response.status_code == 422


def test_reminders_go_once_the_day_before(world, session):
    world.patient.email = "ada@example.com"
    world.patient.preferred_contact_method = "email"
    world.patient.save()
    sessions.session_book(
        actor=world.patient_user, session_id=session.pk, patient_id=world.patient.pk
    )
    assert sessions.session_reminders_send(now=timezone.now()) == 0  # three days ahead
    the_day_before = session.starts_at - dt.timedelta(hours=20)
    assert sessions.session_reminders_send(now=the_day_before) == 1
    assert sessions.session_reminders_send(now=the_day_before) == 0
    assert OutboundMessage.objects.filter(topic="support.session").count() == 1


def test_the_calendar_file_describes_the_session(world, client, session):
    client.force_login(world.patient_user)
    response = client.get(f"/sessions/{session.pk}.ics")
    assert response["Content-Type"] == "text/calendar"
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == session.title
    assert event.decoded("DTSTART") == session.starts_at
    assert "Maggie's Leeds" in str(event["LOCATION"])


def test_the_portal_books_and_cancels(world, client, session):
    client.force_login(world.patient_user)
    page = client.get("/portal/sessions/")
    assert b"1 place left" in page.content
    client.post(f"/portal/sessions/{session.pk}/book/")
    assert b"You have a place" in client.get("/portal/sessions/").content
    booking = Booking.objects.get()
    client.post(f"/portal/bookings/{booking.pk}/cancel/")
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_the_sessions_page_costs_the_same_queries_for_one_or_five_sessions(world, client, session):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.patient_user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/portal/sessions/").status_code == 200
        return len(captured)

    one = queries()
    for day in range(4, 8):
        start = (timezone.now() + dt.timedelta(days=day)).replace(microsecond=0)
        PeerSession.objects.create(
            title="More",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            mode="online",
            location="Online",
            capacity=5,
        )
    assert queries() == one
