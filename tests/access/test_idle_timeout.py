"""How long a sign-in lasts: signed out after a while without use (staff sooner than patients),
and after an absolute lifetime however busy; told why, and audited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from tests.world import PASSWORD, World
from waypoint.audit.models import AuditAction, AuditEvent
from waypoint.core.session import ENDS_KEY, IDLE_ENDS_KEY

START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
# A light page behind sign-in, for the many requests of a long session.
PAGE = reverse_lazy("account_security")


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _signed_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _after(clock: time_machine.Coordinates, **delta: float) -> None:
    clock.move_to(timezone.now() + dt.timedelta(**delta))


def _signed_out_to_login(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_staff_are_signed_out_after_the_idle_time_and_told_why(
    world: World, clock: time_machine.Coordinates
) -> None:
    client = _signed_in("kw")
    _after(clock, minutes=settings.WAYPOINT_STAFF_IDLE_MINUTES, seconds=1)

    response = client.get(PAGE)

    assert _signed_out_to_login(response)
    assert response["Location"] == f"{reverse('login')}?next=%2Faccount%2Fsecurity%2F"
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you had not used Waypoint for 30 minutes" in page
    assert client.get(PAGE).status_code == 302


def test_staff_who_keep_using_waypoint_stay_signed_in(
    world: World, clock: time_machine.Coordinates
) -> None:
    client = _signed_in("kw")
    for _ in range(4):
        _after(clock, minutes=settings.WAYPOINT_STAFF_IDLE_MINUTES - 5)
        assert client.get(PAGE).status_code == 200


def test_staff_are_still_signed_in_just_before_the_idle_time(
    world: World, clock: time_machine.Coordinates
) -> None:
    client = _signed_in("kw")
    _after(clock, minutes=settings.WAYPOINT_STAFF_IDLE_MINUTES, seconds=-1)

    assert client.get(PAGE).status_code == 200


def test_patients_have_their_own_longer_idle_time(
    world: World, clock: time_machine.Coordinates
) -> None:
    assert settings.WAYPOINT_PATIENT_IDLE_MINUTES > settings.WAYPOINT_STAFF_IDLE_MINUTES
    idle = _signed_in("patient")
    _after(clock, minutes=settings.WAYPOINT_STAFF_IDLE_MINUTES + 1)
    assert idle.get("/portal/").status_code == 200
    _after(clock, minutes=settings.WAYPOINT_PATIENT_IDLE_MINUTES, seconds=1)

    response = idle.get("/portal/")

    assert _signed_out_to_login(response)
    page = idle.get(response["Location"]).content.decode()
    assert f"you had not used Waypoint for {settings.WAYPOINT_PATIENT_IDLE_MINUTES} minutes" in page


def test_the_idle_time_is_a_setting(
    world: World,
    clock: time_machine.Coordinates,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.WAYPOINT_STAFF_IDLE_MINUTES = 10
    client = _signed_in("kw")
    _after(clock, minutes=10, seconds=1)

    response = client.get(PAGE)

    assert _signed_out_to_login(response)
    assert "for 10 minutes" in client.get(response["Location"]).content.decode()


def test_a_busy_session_still_ends_at_its_absolute_lifetime(
    world: World, clock: time_machine.Coordinates
) -> None:
    client = _signed_in("kw")
    lifetime = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    while timezone.now() + dt.timedelta(minutes=20) < START + lifetime:
        _after(clock, minutes=20)
        assert client.get(PAGE).status_code == 200
    clock.move_to(START + lifetime + dt.timedelta(seconds=1))

    response = client.get(PAGE)

    assert _signed_out_to_login(response)
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because a sign-in to Waypoint lasts 8 hours" in page


def test_the_idle_end_never_moves_past_the_absolute_end(
    world: World, clock: time_machine.Coordinates
) -> None:
    client = _signed_in("kw")
    absolute = START + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    while timezone.now() + dt.timedelta(minutes=20) < absolute:
        _after(clock, minutes=20)
        client.get(PAGE)
    clock.move_to(absolute - dt.timedelta(minutes=2))

    assert client.get(PAGE).status_code == 200
    assert client.session[IDLE_ENDS_KEY] == absolute.timestamp()
    assert client.session[ENDS_KEY] == absolute.timestamp()


def test_signing_out_is_audited_with_the_reason(
    world: World, clock: time_machine.Coordinates
) -> None:
    idle = _signed_in("kw")
    busy = _signed_in("colleague")
    _after(clock, minutes=settings.WAYPOINT_STAFF_IDLE_MINUTES + 1)
    idle.get(PAGE)
    clock.move_to(START)
    while timezone.now() < START + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE):
        busy.get(PAGE)
        _after(clock, minutes=20)
    busy.get(PAGE)

    events = {
        event.actor_id: event
        for event in AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, object_type="sign_in")
    }

    assert events[world.key_worker.pk].reason == "idle"
    assert "no use for 30 minutes" in events[world.key_worker.pk].detail
    assert events[world.colleague.pk].reason == "lifetime"
    assert events[world.colleague.pk].patient_id is None


def test_requests_within_a_minute_do_not_write_the_session(
    world: World, clock: time_machine.Coordinates
) -> None:
    client = _signed_in("kw")
    client.get(PAGE)
    _after(clock, seconds=30)

    with CaptureQueriesContext(connection) as soon:
        client.get(PAGE)
    _after(clock, minutes=2)
    with CaptureQueriesContext(connection) as later:
        client.get(PAGE)

    def session_writes(queries: CaptureQueriesContext) -> list[str]:
        return [
            q["sql"]
            for q in queries.captured_queries
            if re.match(r'\s*UPDATE\s+"?django_session', q["sql"], re.IGNORECASE)
        ]

    assert session_writes(soon) == []
    assert len(session_writes(later)) == 1


def test_staying_signed_in_moves_the_idle_end_on(
    world: World, clock: time_machine.Coordinates
) -> None:
    client = _signed_in("kw")
    _after(clock, minutes=settings.WAYPOINT_STAFF_IDLE_MINUTES - 1)

    response = client.post(reverse("session_extend"))

    assert response.status_code == 200
    assert response.json()["expires_in"] == settings.WAYPOINT_STAFF_IDLE_MINUTES * 60
    _after(clock, minutes=settings.WAYPOINT_STAFF_IDLE_MINUTES - 1)
    assert client.get(PAGE).status_code == 200


def test_staying_signed_in_near_the_absolute_end_reaches_only_to_it(
    world: World, clock: time_machine.Coordinates
) -> None:
    client = _signed_in("kw")
    absolute = START + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    while timezone.now() + dt.timedelta(minutes=20) < absolute - dt.timedelta(minutes=5):
        _after(clock, minutes=20)
        client.get(PAGE)
    clock.move_to(absolute - dt.timedelta(minutes=5))

    response = client.post(reverse("session_extend"))

    assert response.json()["expires_in"] == 5 * 60


def test_the_warning_knows_both_ends(world: World, clock: time_machine.Coordinates) -> None:
    client = _signed_in("kw")
    _after(clock, minutes=10)

    page = client.get(PAGE).content.decode()

    expires = int(re.search(r'data-expires-in="(\d+)"', page).group(1))  # type: ignore[union-attr]
    lifetime = int(re.search(r'data-lifetime-left="(\d+)"', page).group(1))  # type: ignore[union-attr]
    assert expires == settings.WAYPOINT_STAFF_IDLE_MINUTES * 60
    assert lifetime == settings.SESSION_COOKIE_AGE - 10 * 60


def test_the_api_answers_its_own_401_envelope_not_a_redirect(
    world: World, clock: time_machine.Coordinates
) -> None:
    client = _signed_in("kw")
    assert client.get("/api/v1/me").status_code == 200
    _after(clock, minutes=settings.WAYPOINT_STAFF_IDLE_MINUTES + 1)

    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, reason="idle").count() == 1


def test_a_json_request_gets_a_401_envelope_saying_why(
    world: World, clock: time_machine.Coordinates
) -> None:
    client = _signed_in("kw")
    _after(clock, minutes=settings.WAYPOINT_STAFF_IDLE_MINUTES + 1)

    response = client.post(reverse("session_extend"), headers={"accept": "application/json"})

    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "signed_out"
    assert "had not used Waypoint for 30 minutes" in error["message"]


def test_a_form_sent_after_the_end_is_not_acted_on(
    world: World, clock: time_machine.Coordinates
) -> None:
    client = _signed_in("kw")
    _after(clock, minutes=settings.WAYPOINT_STAFF_IDLE_MINUTES + 1)

    response = client.post(reverse("sign_out_everywhere"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not AuditEvent.objects.filter(detail__contains="every session ended").exists()


def test_opening_the_sign_in_page_after_the_end_shows_why_without_a_loop(
    world: World, clock: time_machine.Coordinates
) -> None:
    client = _signed_in("kw")
    _after(clock, minutes=settings.WAYPOINT_STAFF_IDLE_MINUTES + 1)

    response = client.get(f"{reverse('login')}?next=/caseload/")

    assert response.status_code == 200
    assert "had not used Waypoint for 30 minutes" in response.content.decode()


def test_a_session_from_before_the_ends_were_kept_carries_on_and_gets_them(
    world: World, clock: time_machine.Coordinates
) -> None:
    client = _signed_in("kw")
    session = client.session
    del session[IDLE_ENDS_KEY]
    del session[ENDS_KEY]
    session.save()

    assert client.get(PAGE).status_code == 200
    assert IDLE_ENDS_KEY in client.session
    assert ENDS_KEY in client.session


def test_people_not_signed_in_are_left_alone(db: None) -> None:
    assert Client().get(reverse("login")).status_code == 200


def test_the_middleware_runs_after_the_second_factor_and_messages() -> None:
    order = settings.MIDDLEWARE
    idle = order.index("waypoint.access.idle.IdleTimeoutMiddleware")

    assert order.index("django_otp.middleware.OTPMiddleware") < idle
    assert order.index("django.contrib.messages.middleware.MessageMiddleware") < idle
