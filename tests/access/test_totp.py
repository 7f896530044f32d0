"""An authenticator app (TOTP, django-otp): set up on the account security page, then asked for
after the password. The clock is frozen and codes are computed with django-otp's TOTP."""

from __future__ import annotations

from base64 import b32decode

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.access.two_step import (
    FROZEN_AT,
    authenticator_for,
    code_for,
    password_step,
    secret_on_page,
    signed_in,
)
from tests.world import World
from waypoint.access.signin import SIGNED_IN_BY
from waypoint.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.usefixtures("_frozen")


@pytest.fixture
def _frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN_AT, tick=False) as traveller:
        yield traveller


def _code_from_page(client: Client) -> str:
    page = client.get(reverse("mfa_authenticator_add"))
    secret = secret_on_page(page.content.decode())
    return f"{TOTP(b32decode(secret)).token():06d}"


def test_the_setup_page_shows_a_qr_code_and_the_secret_in_groups(world: World) -> None:
    client = signed_in("kw")

    html = client.get(reverse("mfa_authenticator_add")).content.decode()

    assert 'src="data:image/svg+xml' in html
    assert "QR code for your authenticator app" in html
    groups = secret_on_page(html.replace("\n", ""))
    assert len(groups) == 32


def test_the_same_secret_is_offered_until_it_is_confirmed(world: World) -> None:
    client = signed_in("kw")

    first = secret_on_page(client.get(reverse("mfa_authenticator_add")).content.decode())
    again = secret_on_page(client.get(reverse("mfa_authenticator_add")).content.decode())

    assert first == again


def test_a_wrong_code_saves_nothing_and_says_what_to_do(world: World) -> None:
    client = signed_in("kw")
    right = _code_from_page(client)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_authenticator_add"), {"code": wrong})

    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.key_worker).exists()


def test_letters_in_the_code_are_refused_beside_the_box(world: World) -> None:
    client = signed_in("kw")
    client.get(reverse("mfa_authenticator_add"))

    response = client.post(reverse("mfa_authenticator_add"), {"code": "12ab56"})

    assert "Type the 6 digits" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.key_worker).exists()


def test_the_right_code_saves_the_app_confirmed_and_shows_ten_recovery_codes_once(
    world: World,
) -> None:
    client = signed_in("kw")
    code = _code_from_page(client)

    response = client.post(reverse("mfa_authenticator_add"), {"code": code})

    assert response["Location"] == reverse("mfa_recovery_codes")
    device = TOTPDevice.objects.get(user=world.key_worker)
    assert device.confirmed
    shown = client.get(reverse("mfa_recovery_codes")).content.decode()
    assert shown.count("<li><code>") == 10
    assert StaticToken.objects.filter(device__user=world.key_worker).count() == 10
    assert client.get(reverse("mfa_recovery_codes"))["Location"] == reverse("account_security")


def test_setting_up_counts_as_taking_the_second_step_in_this_session(world: World) -> None:
    client = signed_in("kw")
    assert client.session[SIGNED_IN_BY] == "password"

    client.post(reverse("mfa_authenticator_add"), {"code": _code_from_page(client)})

    assert client.session[SIGNED_IN_BY] == "password+totp"


def test_adding_and_removing_the_app_are_audited_without_a_patient(world: World) -> None:
    client = signed_in("kw")
    client.post(reverse("mfa_authenticator_add"), {"code": _code_from_page(client)})

    client.post(reverse("mfa_authenticator_remove"))

    events = AuditEvent.objects.filter(object_type="user_account", actor=world.key_worker)
    added = events.get(action=AuditAction.CREATE)
    removed = events.get(action=AuditAction.UPDATE)
    assert "authenticator app added" in added.detail
    assert "authenticator app removed" in removed.detail
    assert added.patient_id is None and removed.patient_id is None
    assert not TOTPDevice.objects.filter(user=world.key_worker).exists()


def test_a_second_authenticator_app_is_refused_until_the_first_is_removed(
    world: World,
) -> None:
    authenticator_for(world.key_worker)
    client = signed_in_with_code(world)

    response = client.get(reverse("mfa_authenticator_add"))

    assert response["Location"] == reverse("account_security")
    assert TOTPDevice.objects.filter(user=world.key_worker).count() == 1


def signed_in_with_code(world: World) -> Client:
    device = TOTPDevice.objects.get(user=world.key_worker)
    client, _ = password_step("kw")
    response = client.post(reverse("login_verify"), {"code": code_for(device)})
    assert response.status_code == 302
    return client


def test_signing_in_asks_for_the_code_after_the_right_password(world: World) -> None:
    device, _ = authenticator_for(world.key_worker)
    client, response = password_step("kw")

    assert response["Location"] == reverse("login_verify")
    assert client.get(reverse("caseload"))["Location"].startswith(reverse("login"))

    done = client.post(reverse("login_verify"), {"code": code_for(device)})

    assert done.status_code == 302
    assert client.get(reverse("caseload")).status_code == 200
    assert client.session[SIGNED_IN_BY] == "password+totp"
    sign_in = AuditEvent.objects.get(action=AuditAction.SIGN_IN, actor=world.key_worker)
    assert "password+totp" in sign_in.detail


def test_the_session_is_verified_for_django_otp(world: World) -> None:
    device, _ = authenticator_for(world.key_worker)
    client, _ = password_step("kw")

    client.post(reverse("login_verify"), {"code": code_for(device)})

    assert client.session["otp_device_id"] == device.persistent_id


def test_a_code_from_the_step_before_is_still_accepted(world: World) -> None:
    device, _ = authenticator_for(world.key_worker)
    client, _ = password_step("kw")

    response = client.post(reverse("login_verify"), {"code": code_for(device, offset_steps=-1)})

    assert response.status_code == 302


def test_a_code_from_two_minutes_ago_is_refused(world: World) -> None:
    device, _ = authenticator_for(world.key_worker)
    client, _ = password_step("kw")

    response = client.post(reverse("login_verify"), {"code": code_for(device, offset_steps=-4)})

    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert client.get(reverse("caseload")).status_code == 302


def test_the_code_typed_to_set_up_the_app_cannot_then_sign_in(world: World) -> None:
    client = signed_in("kw")
    code = _code_from_page(client)
    client.post(reverse("mfa_authenticator_add"), {"code": code})
    other, _ = password_step("kw")

    response = other.post(reverse("login_verify"), {"code": code})

    assert response.status_code == 200
    assert "used already" in response.content.decode()
