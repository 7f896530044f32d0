"""Password reset from the sign-in page: the same answer whether or not the address is known, a
link that works once and expires, every session ended, a lockout lifted, and the audit trail."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.world import PASSWORD, World
from waypoint.access import password as reset
from waypoint.accounts.models import User
from waypoint.accounts.services import api_token_create, user_password_set
from waypoint.audit.models import AuditAction, AuditEvent
from waypoint.notifications.models import Channel, OutboundMessage

NEW_PASSWORD = "plum-orchard-lantern-42"  # test-only password
LINK = re.compile(r"^(https?://\S+/password-reset/\S+/)$", re.MULTILINE)


@pytest.fixture(autouse=True)
def _no_answer_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The answer's minimum time is checked once, below; the other tests need not wait for it."""
    monkeypatch.setattr(reset, "_ANSWER_FLOOR_SECONDS", 0.0)


@pytest.fixture
def kate(world: World) -> User:
    world.key_worker.email = "kate.walker@nhs.example"
    world.key_worker.save(update_fields=["email"])
    return world.key_worker


def _ask(email: str, client: Client | None = None, **extra: str):  # type: ignore[no-untyped-def]
    return (client or Client()).post(reverse("password_reset"), {"email": email}, **extra)


def _link(message: OutboundMessage) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1).removeprefix(settings.WAYPOINT_BASE_URL)


def _choose(client: Client, link: str, password: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    opened = client.get(link)
    assert opened.status_code == 302, "a valid link moves to an address without its token"
    return client.post(opened["Location"], {"new_password1": password, "new_password2": password})


def _signs_in(username: str, password: str) -> bool:
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def test_the_sign_in_page_links_to_password_reset(db: None) -> None:
    page = Client().get(reverse("login")).content.decode()

    assert f'href="{reverse("password_reset")}"' in page
    assert "Forgotten your password?" in page


def test_a_known_address_gets_an_email_through_the_outbox(kate: User) -> None:
    response = _ask("kate.walker@nhs.example")

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_sent")
    message = OutboundMessage.objects.get()
    assert message.channel == Channel.EMAIL
    assert message.to == "kate.walker@nhs.example"
    assert message.topic == reset.RESET_TOPIC
    assert message.recipient_id == kate.pk
    assert message.body.count(settings.WAYPOINT_BASE_URL + "/password-reset/") == 1
    assert "kw" in message.body
    assert "only for 1 hour" in message.body
    assert "If you did not ask for this" in message.body


def test_the_address_is_matched_without_regard_to_capitals(kate: User) -> None:
    _ask("Kate.Walker@NHS.example")

    assert OutboundMessage.objects.get().to == "kate.walker@nhs.example"


def test_an_unknown_address_gets_the_same_answer_and_no_email(kate: User) -> None:
    known = _ask("kate.walker@nhs.example")
    unknown = _ask("nobody@nhs.example")

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert OutboundMessage.objects.count() == 1


def test_the_check_your_email_page_does_not_say_whether_the_address_is_known(db: None) -> None:
    page = Client().get(reverse("password_reset_sent")).content.decode()

    assert "If the address you typed belongs to a Waypoint account" in page
    assert "only for 1 hour" in page


def test_an_inactive_account_gets_no_email(kate: User) -> None:
    kate.is_active = False
    kate.save(update_fields=["is_active"])

    response = _ask("kate.walker@nhs.example")

    assert response["Location"] == reverse("password_reset_sent")
    assert not OutboundMessage.objects.exists()


def test_an_account_whose_password_sign_in_was_turned_off_gets_no_email(
    kate: User, world: World
) -> None:
    user_password_set(actor=world.admin, user_id=kate.pk, password=None)

    _ask("kate.walker@nhs.example")

    assert not OutboundMessage.objects.exists()


def test_an_address_that_is_not_an_email_address_is_explained_and_sends_nothing(
    kate: User,
) -> None:
    response = _ask("kate.walker")

    assert response.status_code == 400
    assert "Enter an email address in the correct format" in response.content.decode()
    assert not OutboundMessage.objects.exists()
    assert not AuditEvent.objects.filter(object_type=reset.RESET_REQUEST_OBJECT).exists()


def test_each_account_sharing_an_address_gets_its_own_link(kate: User, world: World) -> None:
    world.patient_user.email = "KATE.walker@nhs.example"
    world.patient_user.save(update_fields=["email"])

    _ask("kate.walker@nhs.example")

    messages = {m.recipient_id: m for m in OutboundMessage.objects.all()}
    assert set(messages) == {kate.pk, world.patient_user.pk}
    assert "account kw." in messages[kate.pk].body
    assert "account patient." in messages[world.patient_user.pk].body
    assert _link(messages[kate.pk]) != _link(messages[world.patient_user.pk])


def test_a_link_sets_a_new_password_and_the_old_one_stops_working(kate: User) -> None:
    _ask("kate.walker@nhs.example")
    client = Client()

    response = _choose(client, _link(OutboundMessage.objects.get()))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "Your password has been changed" in client.get(reverse("login")).content.decode()
    assert _signs_in("kw", NEW_PASSWORD)
    assert not _signs_in("kw", PASSWORD)


def test_a_reset_never_signs_the_person_in(kate: User) -> None:
    _ask("kate.walker@nhs.example")
    client = Client()

    _choose(client, _link(OutboundMessage.objects.get()))

    assert client.get(reverse("caseload")).status_code == 302


def test_a_used_link_cannot_be_used_again(kate: User) -> None:
    _ask("kate.walker@nhs.example")
    link = _link(OutboundMessage.objects.get())
    _choose(Client(), link)

    again = Client().get(link)

    assert again.status_code == 200
    page = again.content.decode()
    assert "This link no longer works" in page
    assert f'href="{reverse("password_reset")}"' in page


def test_a_link_expires(kate: User) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        _ask("kate.walker@nhs.example")
        link = _link(OutboundMessage.objects.get())
        clock.shift(dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1))

        response = Client().get(link)

    assert "This link no longer works" in response.content.decode()


def test_a_link_for_an_account_turned_off_since_stops_working(kate: User, world: World) -> None:
    _ask("kate.walker@nhs.example")
    link = _link(OutboundMessage.objects.get())
    kate.is_active = False
    kate.save(update_fields=["is_active"])

    assert "This link no longer works" in Client().get(link).content.decode()


def test_a_made_up_link_shows_the_same_clear_page(db: None) -> None:
    response = Client().get("/password-reset/MTIzNDU/not-a-token/")

    assert response.status_code == 200
    assert "This link no longer works" in response.content.decode()


def test_a_weak_password_is_refused_with_the_reasons_and_changes_nothing(kate: User) -> None:
    _ask("kate.walker@nhs.example")
    client = Client()
    link = _link(OutboundMessage.objects.get())

    response = _choose(client, link, password="12345")

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "This password is too short" in page
    assert "nhsuk-error-message" in page
    assert _signs_in("kw", PASSWORD)


def test_passwords_that_do_not_match_are_refused(kate: User) -> None:
    _ask("kate.walker@nhs.example")
    client = Client()
    opened = client.get(_link(OutboundMessage.objects.get()))

    response = client.post(
        opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    )

    assert "didn’t match" in response.content.decode()
    assert _signs_in("kw", PASSWORD)


def test_a_reset_ends_every_session_of_the_account(kate: User) -> None:
    elsewhere = Client()
    elsewhere.post(reverse("login"), {"username": "kw", "password": PASSWORD})
    assert elsewhere.get(reverse("caseload")).status_code == 200
    _ask("kate.walker@nhs.example")

    _choose(Client(), _link(OutboundMessage.objects.get()))

    assert elsewhere.get(reverse("caseload")).status_code == 302
    ended = AuditEvent.objects.get(action=AuditAction.SIGN_OUT, actor=kate)
    assert "every session ended (password reset)" in ended.detail


def test_a_reset_lifts_a_lockout_so_the_person_can_sign_in_and_use_tokens_again(
    kate: User,
) -> None:
    _, token = api_token_create(user=kate)
    api = Client(headers={"authorization": f"Bearer {token}"})
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("login"), {"username": "kw", "password": "not-the-password"})
    assert AccessAttempt.objects.filter(username="kw").exists()
    assert api.get("/api/v1/me").status_code == 403
    _ask("kate.walker@nhs.example")

    _choose(Client(), _link(OutboundMessage.objects.get()))

    assert not AccessAttempt.objects.filter(username="kw").exists()
    assert _signs_in("kw", NEW_PASSWORD)
    assert api.get("/api/v1/me").status_code == 200


def test_requests_and_resets_are_audited_without_the_unknown_address(kate: User) -> None:
    _ask("kate.walker@nhs.example", REMOTE_ADDR="198.51.100.7")
    _ask("stranger@nhs.example", REMOTE_ADDR="198.51.100.7")
    _choose(Client(), _link(OutboundMessage.objects.get()))

    asked = list(AuditEvent.objects.filter(object_type=reset.RESET_REQUEST_OBJECT).order_by("id"))
    assert [event.object_id for event in asked] == ["198.51.100.7", "198.51.100.7"]
    assert asked[0].patient_id is None
    assert "Reset link emailed for kw" in asked[0].detail
    assert "matches no account" in asked[1].detail
    assert all("stranger" not in event.detail for event in AuditEvent.objects.all())
    changed = AuditEvent.objects.get(
        action=AuditAction.UPDATE, object_type="user_account", actor=kate
    )
    assert changed.patient_id is None
    assert "password reset by email link" in changed.detail


def test_an_address_gets_at_most_three_emails_an_hour_and_the_answer_does_not_change(
    kate: User,
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        answers = [_ask("kate.walker@nhs.example")["Location"] for _ in range(5)]
        assert OutboundMessage.objects.count() == reset.RESET_EMAILS_PER_ADDRESS_PER_HOUR
        assert set(answers) == {reverse("password_reset_sent")}
        clock.shift(dt.timedelta(hours=1, seconds=1))
        _ask("kate.walker@nhs.example")

    assert OutboundMessage.objects.count() == reset.RESET_EMAILS_PER_ADDRESS_PER_HOUR + 1


def test_one_client_asking_too_often_is_told_to_wait_whatever_the_address(kate: User) -> None:
    for n in range(reset.RESET_REQUESTS_PER_CLIENT_PER_HOUR):
        assert _ask(f"person{n}@nhs.example", REMOTE_ADDR="198.51.100.9").status_code == 302

    refused = _ask("kate.walker@nhs.example", REMOTE_ADDR="198.51.100.9")
    elsewhere = _ask("kate.walker@nhs.example", REMOTE_ADDR="198.51.100.10")

    assert refused.status_code == 429
    assert "try again in an hour" in refused.content.decode()
    assert elsewhere.status_code == 302
    assert OutboundMessage.objects.count() == 1
    assert AuditEvent.objects.filter(
        action=AuditAction.DENIED, reason="Too many password reset requests"
    ).exists()


def test_known_and_unknown_addresses_take_at_least_the_same_minimum_time(
    kate: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reset, "_ANSWER_FLOOR_SECONDS", 0.2)
    waits: list[float] = []
    monkeypatch.setattr(reset.time, "sleep", waits.append)

    _ask("kate.walker@nhs.example")
    _ask("nobody@nhs.example")

    assert len(waits) == 2
    assert all(0 < wait <= 0.2 for wait in waits)
