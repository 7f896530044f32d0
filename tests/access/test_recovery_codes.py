"""Recovery codes: ten, each working once, shown once, void when new ones are made, and gone
with the last authenticator app or passkey (they are no second step on their own)."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from tests.access.two_step import FROZEN_AT, authenticator_for, code_for, password_step
from tests.world import World
from waypoint.access.signin import SIGNED_IN_BY
from waypoint.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.usefixtures("_frozen")


@pytest.fixture
def _frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN_AT, tick=False) as traveller:
        yield traveller


def _use(code: str) -> tuple[Client, object]:
    client, _ = password_step("kw")
    return client, client.post(reverse("login_verify_recovery"), {"code": code})


def test_ten_codes_are_made_with_the_first_method(world: World) -> None:
    _, codes = authenticator_for(world.key_worker)

    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert all(len(c) == 9 and c[4] == "-" for c in codes)


def test_a_recovery_code_signs_in_and_says_how_many_are_left(world: World) -> None:
    _, codes = authenticator_for(world.key_worker)

    client, response = _use(codes[0])

    assert response.status_code == 302  # type: ignore[attr-defined]
    assert client.session[SIGNED_IN_BY] == "password+recovery"
    page = client.get(response["Location"], follow=True).content.decode()  # type: ignore[index]
    assert "You have 9 left" in page


def test_a_used_recovery_code_cannot_be_used_again(world: World) -> None:
    _, codes = authenticator_for(world.key_worker)
    _use(codes[0])

    client, response = _use(codes[0])

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "used already" in response.content.decode()  # type: ignore[attr-defined]
    assert client.get(reverse("caseload")).status_code == 302


def test_codes_are_read_with_spaces_and_capitals(world: World) -> None:
    _, codes = authenticator_for(world.key_worker)

    _, response = _use(f"  {codes[1].upper().replace('-', ' ')} ")

    assert response.status_code == 302  # type: ignore[attr-defined]


def test_making_new_codes_voids_the_old_and_shows_the_new_once(world: World) -> None:
    device, old = authenticator_for(world.key_worker)
    client, _ = password_step("kw")
    client.post(reverse("login_verify"), {"code": code_for(device)})

    response = client.post(reverse("mfa_recovery_codes_regenerate"))

    assert response["Location"] == reverse("mfa_recovery_codes")
    page = client.get(reverse("mfa_recovery_codes")).content.decode()
    assert page.count("<li><code>") == 10
    assert not any(code in page for code in old)
    _, refused = _use(old[2])
    assert refused.status_code == 200  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, actor=world.key_worker)
    assert "new recovery codes" in event.detail


def test_making_new_codes_needs_a_session_that_took_the_second_step(world: World) -> None:
    _, _old = authenticator_for(world.key_worker)
    client = Client()
    client.force_login(world.key_worker)
    session = client.session
    session[SIGNED_IN_BY] = "password"
    session.save()

    client.post(reverse("mfa_recovery_codes_regenerate"))

    assert StaticToken.objects.filter(device__user=world.key_worker).count() == 10
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_recovery_codes_go_with_the_last_method(world: World) -> None:
    device, _codes = authenticator_for(world.key_worker)
    client, _ = password_step("kw")
    client.post(reverse("login_verify"), {"code": code_for(device)})

    client.post(reverse("mfa_authenticator_remove"))

    assert not StaticToken.objects.filter(device__user=world.key_worker).exists()
    _again, response = password_step("kw")
    assert response["Location"] != reverse("login_verify")  # type: ignore[index]
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, actor=world.key_worker)
    assert "recovery codes are void" in event.detail


def test_the_codes_page_without_new_codes_goes_back_to_security(world: World) -> None:
    client, _ = password_step("kw")

    assert client.get(reverse("mfa_recovery_codes"))["Location"] == reverse("account_security")


def test_an_administrator_can_reset_someone_who_lost_everything(world: World) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    authenticator_for(world.key_worker)

    with pytest.raises(CommandError):
        call_command("mfa_reset", "kw", reason="  ")
    call_command("mfa_reset", "kw", reason="phone lost, identity checked in person")

    _, response = password_step("kw")
    assert response["Location"] != reverse("login_verify")  # type: ignore[index]
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="user_account")
    assert event.actor_id is None
    assert event.reason == "phone lost, identity checked in person"
    assert "two-step verification reset" in event.detail
