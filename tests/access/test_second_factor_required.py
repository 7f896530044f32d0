"""With WAYPOINT_REQUIRE_STAFF_SECOND_FACTOR on, staff signed in with a password alone reach only
the account security page (and sign out, the health probes); the API with a session answers 403
in its envelope; bearer tokens, single sign-on, patients and carers are not affected."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.access.two_step import (
    FROZEN_AT,
    authenticator_for,
    code_for,
    code_for_key,
    signed_in,
)
from tests.world import PASSWORD, World, make_user
from waypoint.access.mfa.middleware import MESSAGE
from waypoint.access.signin import SIGNED_IN_BY
from waypoint.accounts.models import Role
from waypoint.accounts.services import api_token_create

STAFF = ["kw", "onc", "helpline", "manager", "admin"]


@pytest.fixture(autouse=True)
def _required(settings) -> None:  # type: ignore[no-untyped-def]
    settings.WAYPOINT_REQUIRE_STAFF_SECOND_FACTOR = True


@pytest.mark.parametrize("username", STAFF)
def test_staff_signed_in_with_a_password_alone_are_sent_to_the_security_page(
    world: World, username: str
) -> None:
    client = signed_in(username)

    home = client.get(reverse("home"))
    page = client.get(reverse("account_security"))

    assert home.status_code == 302
    assert home["Location"] == reverse("account_security")
    assert page.status_code == 200
    html = page.content.decode()
    assert MESSAGE in html
    assert "Set up an authenticator app or a passkey to carry on" in html


@pytest.mark.parametrize(
    "path",
    ["caseload/", "account/password/", "admin/", "patients/1/", "fhir/metadata"],
)
def test_every_kind_of_page_is_closed_until_the_second_step(world: World, path: str) -> None:
    client = signed_in("kw")

    response = client.get(f"/{path}")

    if path.startswith("fhir"):
        assert response.status_code == 403
        assert response.json()["resourceType"] == "OperationOutcome"
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse("account_security")


@pytest.mark.parametrize("name", ["health_live", "account_security", "mfa_authenticator_add"])
def test_setting_up_and_the_health_probes_stay_open(world: World, name: str) -> None:
    client = signed_in("kw")

    assert client.get(reverse(name)).status_code == 200


def test_signing_out_stays_open(world: World) -> None:
    client = signed_in("kw")

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] != reverse("account_security")


def test_the_api_with_a_session_answers_403_in_its_envelope(world: World) -> None:
    client = signed_in("kw")

    response = client.get("/api/v1/patients")

    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "second_factor_required"
    assert error["fields"] == {}
    assert "Two-step verification" in error["message"]


def test_bearer_token_calls_are_not_affected(world: World) -> None:
    _, token = api_token_create(user=world.key_worker)

    response = Client(headers={"authorization": f"Bearer {token}"}).get("/api/v1/patients")

    assert response.status_code == 200


def test_a_session_cannot_borrow_a_bad_bearer_header_to_get_past(world: World) -> None:
    client = signed_in("kw")

    response = client.get("/api/v1/patients", headers={"authorization": "Bearer wp_nonsense"})

    assert response.status_code == 401


def test_setting_up_an_authenticator_app_opens_everything_at_once(world: World) -> None:
    with time_machine.travel(FROZEN_AT, tick=False):
        client = signed_in("kw")
        client.get(reverse("mfa_authenticator_add"))
        key = client.session["waypoint_mfa_totp_setup"]
        client.post(reverse("mfa_authenticator_add"), {"code": code_for_key(key)})

        assert client.get(reverse("caseload")).status_code == 200
        assert client.get("/api/v1/patients").status_code == 200


def test_staff_who_take_the_second_step_at_sign_in_are_not_stopped(world: World) -> None:
    with time_machine.travel(FROZEN_AT, tick=False):
        device, _ = authenticator_for(world.key_worker)
        client = Client()
        client.post(reverse("login"), {"username": "kw", "password": PASSWORD})
        client.post(reverse("login_verify"), {"code": code_for(device)})

        assert client.get(reverse("caseload")).status_code == 200


def test_single_sign_on_counts_as_the_second_step(world: World) -> None:
    client = Client()
    client.force_login(world.key_worker)
    session = client.session
    session[SIGNED_IN_BY] = "sso:staff"
    session.save()

    assert client.get(reverse("caseload")).status_code == 200


def test_a_session_with_no_record_of_how_it_signed_in_is_stopped(world: World) -> None:
    client = Client()
    client.force_login(world.key_worker)

    assert client.get(reverse("caseload"))["Location"] == reverse("account_security")


def test_patients_are_never_made_to_use_it(world: World) -> None:
    client = signed_in("patient")

    assert client.get(reverse("home")).status_code in (200, 302)
    assert client.get(reverse("home")).get("Location") != reverse("account_security")
    assert client.get("/api/v1/me").status_code == 200


def test_carers_are_never_made_to_use_it(world: World) -> None:
    make_user("carer", Role.CARER)
    client = signed_in("carer")

    response = client.get(reverse("home"))

    assert response.get("Location") != reverse("account_security")


def test_nothing_is_required_when_the_setting_is_off(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WAYPOINT_REQUIRE_STAFF_SECOND_FACTOR = False
    client = signed_in("kw")

    assert client.get(reverse("caseload")).status_code == 200


def test_the_last_method_cannot_be_removed_where_it_is_required(world: World) -> None:
    with time_machine.travel(FROZEN_AT, tick=False):
        client = signed_in("kw")
        client.get(reverse("mfa_authenticator_add"))
        key = client.session["waypoint_mfa_totp_setup"]
        client.post(reverse("mfa_authenticator_add"), {"code": code_for_key(key)})

        response = client.post(reverse("mfa_authenticator_remove"), follow=True)

    assert "You cannot remove your only way" in response.content.decode()
    assert world.key_worker.totpdevice_set.filter(confirmed=True).count() == 1


def test_a_password_only_session_cannot_change_methods_already_set_up(world: World) -> None:
    """A session older than the method (signed in with the password alone) has not proved it."""
    with time_machine.travel(FROZEN_AT, tick=False):
        client = Client()
        client.force_login(world.patient_user)
        session = client.session
        session[SIGNED_IN_BY] = "password"
        session.save()
        authenticator_for(world.patient_user)

        response = client.post(reverse("mfa_authenticator_remove"), follow=True)

    assert "sign out, then sign in again" in response.content.decode()
    assert world.patient_user.totpdevice_set.count() == 1
