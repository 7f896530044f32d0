"""Using a portal invitation: the link or the letter's code, the date of birth, the account."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.world import PASSWORD, World, make_patient

from waypoint.accounts.models import Role, User
from waypoint.audit.models import AuditEvent
from waypoint.notifications.models import OutboundMessage
from waypoint.registry.models import Patient, PortalInvitation
from waypoint.registry.services import patient_update
from waypoint.registry.services.invitations import portal_invitation_send

BORN = dt.date(1958, 3, 9)
GOOD_PASSWORD = "lantern-orchard-pebble-42"


def _invited(world: World, *, email: str = "iris@example.org") -> tuple[Patient, str]:
    patient = make_patient(team=world.team_a, given="Iris", family="Nokes", birth_date=BORN)
    patient_update(actor=None, patient=patient, changes={"email": email, "phone": ""})
    sent = portal_invitation_send(actor=world.key_worker, patient_id=patient.pk, now=timezone.now())
    return patient, sent.token


def _link_from_outbox() -> str:
    body = OutboundMessage.objects.get(topic="registry.portal_invitation").body
    found = re.search(r"https?://\S+/portal/join/\S+/", body)
    assert found, body
    return urlsplit(found.group(0)).path


def _confirm(client: Client, token: str, born: dt.date = BORN):  # type: ignore[no-untyped-def]
    return client.post(reverse("portal_join", args=[token]), {"birth_date": born.isoformat()})


def test_the_link_in_the_message_makes_an_account_and_signs_the_person_in(world: World) -> None:
    patient, _ = _invited(world)
    client = Client()
    link = _link_from_outbox()

    page = client.get(link)
    confirmed = client.post(link, {"birth_date": BORN.isoformat()})
    made = client.post(
        reverse("portal_join_account"),
        {"username": "iris", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )

    assert page.status_code == 200
    assert "Confirm your date of birth" in page.content.decode()
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("portal_join_account")
    assert made.status_code == 302
    assert made["Location"] == reverse("portal_home")
    patient.refresh_from_db()
    assert patient.user is not None
    assert patient.user.username == "iris"
    assert patient.user.role == Role.PATIENT
    assert patient.user.check_password(GOOD_PASSWORD)
    home = client.get(reverse("portal_home"))
    assert home.status_code == 200
    assert "Hello Iris" in home.content.decode()
    assert AuditEvent.objects.filter(
        object_type="portal_invitation", patient_id=patient.pk, action="update"
    ).exists()
    assert AuditEvent.objects.filter(action="sign_in", actor_id=patient.user.pk).exists()


def test_a_wrong_date_of_birth_is_refused_and_counted(world: World) -> None:
    _, token = _invited(world)
    client = Client()

    response = _confirm(client, token, dt.date(1958, 3, 10))

    assert response.status_code == 200
    assert "does not match" in response.content.decode()
    assert PortalInvitation.objects.get().failed_checks == 1
    assert client.get(reverse("portal_join_account")).status_code == 410


def test_five_wrong_dates_of_birth_end_the_invitation(world: World) -> None:
    _, token = _invited(world)
    client = Client()

    for _ in range(5):
        last = _confirm(client, token, dt.date(1960, 1, 1))
    after = _confirm(client, token)

    assert last.status_code == 410
    assert after.status_code == 410
    assert "no longer works" in after.content.decode()
    assert PortalInvitation.objects.get().withdrawn_at is not None


def test_a_weak_password_is_refused_with_the_reason_and_nothing_is_made(world: World) -> None:
    patient, token = _invited(world)
    client = Client()
    _confirm(client, token)

    response = client.post(
        reverse("portal_join_account"),
        {"username": "iris", "password1": "password", "password2": "password"},
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "too short" in text or "too common" in text
    patient.refresh_from_db()
    assert patient.user is None
    assert not User.objects.filter(username="iris").exists()


def test_a_taken_username_is_refused(world: World) -> None:
    _, token = _invited(world)
    client = Client()
    _confirm(client, token)

    response = client.post(
        reverse("portal_join_account"),
        {"username": "KW", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )

    assert response.status_code == 200
    assert "That username is taken" in response.content.decode()


def test_a_used_link_cannot_be_used_again(world: World) -> None:
    _, token = _invited(world)
    client = Client()
    _confirm(client, token)
    client.post(
        reverse("portal_join_account"),
        {"username": "iris", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )

    again = Client().get(reverse("portal_join", args=[token]))

    assert again.status_code == 410
    assert "already been used" in again.content.decode()


def test_an_expired_link_says_so(world: World) -> None:
    _, token = _invited(world)

    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        response = Client().get(reverse("portal_join", args=[token]))

    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_an_unknown_link_is_not_found(db: None) -> None:
    response = Client().get(reverse("portal_join", args=["not-a-real-token"]))

    assert response.status_code == 404
    assert "cannot find this invitation" in response.content.decode()


def test_the_confirmed_date_of_birth_lasts_thirty_minutes(world: World) -> None:
    _, token = _invited(world)
    client = Client()
    _confirm(client, token)

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
        response = client.get(reverse("portal_join_account"))

    assert response.status_code == 410
    assert "Start again" in response.content.decode()


def test_the_code_on_a_letter_works_with_the_date_of_birth(world: World) -> None:
    patient = make_patient(team=world.team_a, given="Iris", family="Nokes", birth_date=BORN)
    patient_update(actor=None, patient=patient, changes={"phone": "020 7946 0000"})
    portal_invitation_send(actor=world.key_worker, patient_id=patient.pk, now=timezone.now())
    code = PortalInvitation.objects.get().letter_code
    assert code is not None
    typed = code.lower().replace("-", " ")
    client = Client()

    response = client.post(
        reverse("portal_join_letter"), {"code": typed, "birth_date": BORN.isoformat()}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("portal_join_account")


def test_a_wrong_letter_code_says_so(world: World) -> None:
    response = Client().post(
        reverse("portal_join_letter"), {"code": "ABCDE-12345", "birth_date": BORN.isoformat()}
    )

    assert response.status_code == 200
    assert "cannot find that code" in response.content.decode()


def test_someone_signed_in_on_the_same_computer_is_signed_out_first(world: World) -> None:
    _, token = _invited(world)
    client = Client()
    client.post(reverse("login"), {"username": "kw", "password": PASSWORD})

    client.get(reverse("portal_join", args=[token]))

    assert client.get(reverse("caseload")).status_code == 302
