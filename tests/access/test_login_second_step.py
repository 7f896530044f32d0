"""The second step at sign-in: nobody is signed in between the password and the code, wrong
codes count towards the lockout, a code works once, the half-finished sign-in expires, and the
address asked for is kept only if it is on this site."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.access.two_step import FROZEN_AT, authenticator_for, code_for, password_step
from tests.world import World
from waypoint.audit.models import AuditAction, AuditEvent


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN_AT, tick=False) as traveller:
        yield traveller


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_an_account_without_a_second_step_signs_in_with_the_password_alone(world: World) -> None:
    client, response = password_step("kw")

    assert response.status_code == 302
    assert response["Location"] != reverse("login_verify")
    assert client.get(reverse("caseload")).status_code == 200


def test_nobody_is_signed_in_between_the_password_and_the_code(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    authenticator_for(world.key_worker)

    client, response = password_step("kw")

    assert response["Location"] == reverse("login_verify")
    assert client.get(reverse("caseload"))["Location"].startswith(reverse("login"))
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()


def test_wrong_codes_count_towards_the_lockout_and_are_audited(
    world: World,
    settings,
    clock,  # type: ignore[no-untyped-def]
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    device, _ = authenticator_for(world.key_worker)
    client, _ = password_step("kw")
    wrong = _wrong(code_for(device))

    # A minute apart: past django-otp's pause between tries and the audit trail's quiet minute
    # for repeated refusals, so that each is counted and kept.
    for _ in range(2):
        clock.shift(dt.timedelta(seconds=61))
        assert client.post(reverse("login_verify"), {"code": wrong}).status_code == 200
    clock.shift(dt.timedelta(seconds=61))
    locked = client.post(reverse("login_verify"), {"code": wrong})

    assert locked.status_code in (403, 429)
    assert "locked" in locked.content.decode().lower()
    refused = AuditEvent.objects.filter(action=AuditAction.DENIED, actor=world.key_worker)
    assert refused.count() == 3
    assert all("/login/verify/" in e.detail for e in refused)


def test_the_right_code_is_refused_once_the_account_is_locked(
    world: World,
    settings,
    clock,  # type: ignore[no-untyped-def]
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    device, _ = authenticator_for(world.key_worker)
    client, _ = password_step("kw")
    for _ in range(2):
        clock.shift(dt.timedelta(seconds=10))
        client.post(reverse("login_verify"), {"code": _wrong(code_for(device))})
    clock.shift(dt.timedelta(seconds=10))

    response = client.post(reverse("login_verify"), {"code": code_for(device)})

    assert response.status_code != 302
    assert client.get(reverse("caseload")).status_code == 302


def test_a_code_cannot_be_used_twice(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    device, _ = authenticator_for(world.key_worker)
    code = code_for(device)
    first, _ = password_step("kw")
    assert first.post(reverse("login_verify"), {"code": code}).status_code == 302

    second, _ = password_step("kw")
    response = second.post(reverse("login_verify"), {"code": code})

    assert response.status_code == 200
    assert "used already" in response.content.decode()
    assert second.get(reverse("caseload")).status_code == 302


def test_a_quick_second_guess_is_asked_to_wait(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    device, _ = authenticator_for(world.key_worker)
    client, _ = password_step("kw")
    client.post(reverse("login_verify"), {"code": _wrong(code_for(device))})

    response = client.post(reverse("login_verify"), {"code": code_for(device)})

    assert "Wait a minute" in response.content.decode()


def test_the_half_finished_sign_in_expires_after_five_minutes(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    device, _ = authenticator_for(world.key_worker)
    client, _ = password_step("kw")

    clock.shift(dt.timedelta(minutes=5, seconds=1))
    response = client.post(reverse("login_verify"), {"code": code_for(device)})

    assert response["Location"] == reverse("login")
    page = client.get(reverse("login")).content.decode()
    assert "within 5 minutes" in page
    assert client.get(reverse("caseload")).status_code == 302


def test_the_second_step_within_five_minutes_works(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    device, _ = authenticator_for(world.key_worker)
    client, _ = password_step("kw")

    clock.shift(dt.timedelta(minutes=4, seconds=50))
    response = client.post(reverse("login_verify"), {"code": code_for(device)})

    assert response.status_code == 302


def test_the_address_asked_for_is_kept_through_the_second_step(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    device, _ = authenticator_for(world.key_worker)
    wanted = reverse("account_security")
    client, _ = password_step("kw", next_url=wanted)

    response = client.post(reverse("login_verify"), {"code": code_for(device)})

    assert response["Location"] == wanted


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)"]
)
def test_an_address_on_another_site_is_not_followed(world: World, clock, next_url: str) -> None:  # type: ignore[no-untyped-def]
    device, _ = authenticator_for(world.key_worker)
    client, _ = password_step("kw", next_url=next_url)

    response = client.post(reverse("login_verify"), {"code": code_for(device)})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_verify_page_without_a_password_first_sends_to_sign_in(db: None) -> None:
    from django.test import Client

    response = Client().get(reverse("login_verify"))

    assert response["Location"] == reverse("login")


def test_a_turned_off_account_cannot_finish_the_second_step(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    device, _ = authenticator_for(world.key_worker)
    client, _ = password_step("kw")
    world.key_worker.is_active = False
    world.key_worker.save(update_fields=["is_active"])

    response = client.post(reverse("login_verify"), {"code": code_for(device)})

    assert response["Location"] == reverse("login")
