"""Changing a password while signed in: the current password is asked for, the new one is
checked, this session carries on and every other one ends, and it is audited."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.world import PASSWORD, World
from waypoint.access.password import CHANGE_FAILURES_BEFORE_SIGN_OUT
from waypoint.audit.models import AuditAction, AuditEvent

NEW_PASSWORD = "plum-orchard-lantern-42"  # test-only password


def _signed_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _change(client: Client, current: str = PASSWORD, new: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("password_change"),
        {"old_password": current, "new_password1": new, "new_password2": new},
    )


def _signs_in(username: str, password: str) -> bool:
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def test_the_security_page_links_to_changing_the_password(world: World) -> None:
    page = _signed_in("kw").get(reverse("account_security")).content.decode()

    assert f'href="{reverse("password_change")}"' in page


def test_the_page_needs_a_signed_in_person(db: None) -> None:
    response = Client().get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_new_password_replaces_the_old_one(world: World) -> None:
    client = _signed_in("kw")

    response = _change(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_security")
    assert "Your password has been changed" in client.get(response["Location"]).content.decode()
    assert _signs_in("kw", NEW_PASSWORD)
    assert not _signs_in("kw", PASSWORD)


def test_this_session_is_kept_and_every_other_one_ends(world: World) -> None:
    here = _signed_in("kw")
    phone = _signed_in("kw")

    _change(here)

    assert here.get(reverse("caseload")).status_code == 200
    assert phone.get(reverse("caseload")).status_code == 302


def test_other_peoples_sessions_carry_on(world: World) -> None:
    mine = _signed_in("kw")
    colleague = _signed_in("colleague")

    _change(mine)

    assert colleague.get(reverse("caseload")).status_code == 200


def test_a_patient_changes_their_password_too(world: World) -> None:
    client = _signed_in("patient")

    assert _change(client).status_code == 302
    assert _signs_in("patient", NEW_PASSWORD)


def test_a_wrong_current_password_is_refused_and_changes_nothing(world: World) -> None:
    client = _signed_in("kw")

    response = _change(client, current="not-the-password")

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Your old password was entered incorrectly" in page
    assert _signs_in("kw", PASSWORD)


def test_a_weak_new_password_is_refused_with_the_reasons(world: World) -> None:
    client = _signed_in("kw")

    response = _change(client, new="kate12")

    page = response.content.decode()
    assert response.status_code == 400
    assert "This password is too short" in page
    assert 'class="nhsuk-error-message"' in page
    assert _signs_in("kw", PASSWORD)


def test_the_change_is_audited(world: World) -> None:
    client = _signed_in("kw")

    _change(client)

    changed = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="user_account")
    assert changed.actor_id == world.key_worker.pk
    assert changed.patient_id is None
    assert "password changed by the person" in changed.detail
    ended = AuditEvent.objects.get(action=AuditAction.SIGN_OUT, actor=world.key_worker)
    assert "this session kept" in ended.detail


def test_repeated_wrong_current_passwords_sign_the_session_out(world: World) -> None:
    client = _signed_in("kw")
    for _ in range(CHANGE_FAILURES_BEFORE_SIGN_OUT - 1):
        assert _change(client, current="not-the-password").status_code == 400

    response = _change(client, current="not-the-password")

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("caseload")).status_code == 302
    assert AuditEvent.objects.filter(
        action=AuditAction.DENIED, reason="Wrong current password", actor=world.key_worker
    ).exists()
    assert _signs_in("kw", PASSWORD)


def test_a_right_current_password_starts_the_count_again(world: World) -> None:
    client = _signed_in("kw")
    for _ in range(CHANGE_FAILURES_BEFORE_SIGN_OUT - 1):
        _change(client, current="not-the-password")

    assert _change(client).status_code == 302
    assert (
        _change(client, current="not-the-password", new="another-good-password-9").status_code
        == 400
    )
    assert client.get(reverse("caseload")).status_code == 200
