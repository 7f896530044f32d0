"""Ending sessions: "Sign out everywhere", and an account turned off."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.world import PASSWORD, World
from waypoint.accounts.services import api_token_create, user_access_change
from waypoint.audit.models import AuditAction, AuditEvent


def _signed_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_signing_out_everywhere_ends_the_sessions_on_other_devices(world: World) -> None:
    laptop = _signed_in("kw")
    phone = _signed_in("kw")
    assert phone.get(reverse("caseload")).status_code == 200

    response = laptop.post(reverse("sign_out_everywhere"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    after = phone.get(reverse("caseload"))
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("login"))
    assert laptop.get(reverse("caseload")).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.SIGN_OUT)
    assert event.actor_id == world.key_worker.pk
    assert "every session ended" in event.detail


def test_signing_out_everywhere_leaves_other_peoples_sessions(world: World) -> None:
    mine = _signed_in("kw")
    colleague = _signed_in("colleague")

    mine.post(reverse("sign_out_everywhere"))

    assert colleague.get(reverse("caseload")).status_code == 200


def test_signing_in_again_after_signing_out_everywhere_works(world: World) -> None:
    client = _signed_in("kw")
    client.post(reverse("sign_out_everywhere"))

    again = _signed_in("kw")

    assert again.get(reverse("caseload")).status_code == 200


def test_signing_out_everywhere_needs_a_post(world: World) -> None:
    client = _signed_in("kw")

    assert client.get(reverse("sign_out_everywhere")).status_code == 405
    assert client.get(reverse("caseload")).status_code == 200


def test_a_turned_off_account_loses_its_sessions_and_tokens_at_once(world: World) -> None:
    client = _signed_in("kw")
    _, token = api_token_create(user=world.key_worker)
    api = Client(headers={"authorization": f"Bearer {token}"})
    assert api.get("/api/v1/patients").status_code == 200

    user_access_change(
        actor=world.admin, user_id=world.key_worker.pk, role="key_worker", is_active=False
    )

    assert client.get(reverse("caseload")).status_code == 302
    assert api.get("/api/v1/patients").status_code == 401


def test_the_security_page_is_linked_from_the_header(world: World) -> None:
    client = _signed_in("kw")

    page = client.get(reverse("caseload")).content.decode()
    security = client.get(reverse("account_security"))

    assert f'href="{reverse("account_security")}"' in page
    assert security.status_code == 200
    assert "Sign out everywhere" in security.content.decode()


def test_the_security_page_needs_a_signed_in_person(db: None) -> None:
    response = Client().get(reverse("account_security"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
