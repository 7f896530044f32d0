"""Failed sign-ins are in the audit trail (accounts/sign_in.py), at most once a minute per kind."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client
from django.utils import timezone
from tests.world import PASSWORD, World

from waypoint.audit.models import AuditAction, AuditEvent

WARD = "198.51.100.10"
WRONG = "not-the-password"


def _refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.DENIED).order_by("id"))


def _sign_in(username: str, password: str, address: str = WARD) -> int:
    client = Client(REMOTE_ADDR=address)
    return client.post("/login/", {"username": username, "password": password}).status_code


def test_a_wrong_password_is_recorded_with_the_account_and_address_but_not_the_password(
    world: World,
) -> None:
    _sign_in("kw", WRONG)
    [event] = _refusals()
    assert event.actor == world.key_worker
    assert event.actor_role == "key_worker"
    assert event.patient is None
    assert event.object_type == "sign_in"
    assert event.reason == "Wrong password"
    assert event.detail == f"Sign-in as kw from {WARD} at /login/"
    assert WRONG not in f"{event.reason} {event.detail} {event.object_id}"


def test_an_unknown_username_is_recorded_without_what_was_typed(db: None) -> None:
    _sign_in("correct-horse-typed-in-the-wrong-box", WRONG)
    [event] = _refusals()
    assert event.actor is None
    assert event.actor_role == "anonymous"
    assert event.reason == "Unknown username"
    assert "correct-horse" not in event.detail
    assert WARD in event.detail


def test_the_failure_that_locks_and_the_tries_while_locked_are_told_apart(world: World) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            _sign_in("kw", WRONG)
            clock.shift(dt.timedelta(seconds=61))
        assert _sign_in("kw", PASSWORD) == 429

    events = _refusals()
    assert [e.reason for e in events] == ["Wrong password"] * 5 + ["Sign-in while locked out"]
    assert events[4].detail.endswith("now locked out at this address")
    assert all(e.actor == world.key_worker for e in events)


def test_repeated_refusals_of_one_kind_from_one_address_are_recorded_once_a_minute(
    world: World,
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(3):
            _sign_in("kw", WRONG)
        assert len(_refusals()) == 1
        _sign_in("kw", WRONG, address="203.0.113.77")
        _sign_in("colleague", WRONG)
        assert len(_refusals()) == 3
        clock.shift(dt.timedelta(seconds=61))
        _sign_in("kw", WRONG)
    assert len(_refusals()) == 4


def test_rotating_unknown_usernames_from_one_address_adds_one_row_a_minute(db: None) -> None:
    for n in range(20):
        _sign_in(f"guess-{n}", WRONG)
    assert len(_refusals()) == 1


def test_an_admin_finds_refused_sign_ins_by_username_and_action(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    _sign_in("kw", WRONG)
    found = api_as(world.admin).get("/audit-events", {"username": "kw", "action": "denied"}).json()
    assert found["count"] == 1
    assert found["items"][0]["reason"] == "Wrong password"
    assert found["items"][0]["patient"] is None


def test_the_audit_page_shows_an_unknown_person_as_unknown(world: World) -> None:
    _sign_in("nobody-here", WRONG)
    client = Client()
    client.force_login(world.admin)
    page = client.get("/audit/", {"action": "denied"}).content.decode()
    assert "Unknown username" in page
    assert "Unknown (not signed in)" in page
    assert "Waypoint (automatic)" not in page
