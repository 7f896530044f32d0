"""Inviting a person to the portal: who may, how it travels, and what it answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests.world import World, make_patient

from waypoint.access.models import InvitationStatus
from waypoint.audit.models import AuditEvent
from waypoint.notifications.models import OutboundMessage
from waypoint.registry.models import ContactMethod, Patient, PortalInvitation
from waypoint.registry.services import patient_update


def _uninvited(world: World, **changes: object) -> Patient:
    patient = make_patient(team=world.team_a, given="Iris", family="Nokes")
    if changes:
        patient_update(actor=None, patient=patient, changes=dict(changes))
        patient.refresh_from_db()
    return patient


def test_a_team_clinician_invites_by_email_with_a_masked_answer(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    patient = _uninvited(
        world, email="iris.nokes@example.org", preferred_contact_method=ContactMethod.EMAIL
    )

    response = api_as(world.key_worker).post(f"/patients/{patient.pk}/portal-invitation")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "email"
    assert body["sent_to"] == "i•••@e•••.org"
    assert body["status"] == "pending"
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert abs(expires - (timezone.now() + dt.timedelta(days=14))) < dt.timedelta(minutes=1)
    message = OutboundMessage.objects.get(topic="registry.portal_invitation")
    assert message.to == "iris.nokes@example.org"
    assert "/portal/join/" in message.body
    assert "date of birth" in message.body
    assert AuditEvent.objects.filter(
        object_type="portal_invitation", patient_id=patient.pk, action="create"
    ).exists()


def test_a_person_who_prefers_texts_is_invited_by_text(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    patient = _uninvited(
        world, email="iris@example.org", preferred_contact_method=ContactMethod.SMS
    )

    body = api_as(world.key_worker).post(f"/patients/{patient.pk}/portal-invitation").json()

    assert body["channel"] == "sms"
    assert body["sent_to"] == "07•••••••00"
    message = OutboundMessage.objects.get(topic="registry.portal_invitation")
    assert message.channel == "sms"
    assert len(message.body) < 320


def test_a_person_with_no_email_or_mobile_gets_a_letter(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    patient = _uninvited(world, phone="020 7946 0000", email="")

    body = api_as(world.key_worker).post(f"/patients/{patient.pk}/portal-invitation").json()

    assert body["channel"] == "letter"
    assert not OutboundMessage.objects.filter(topic="registry.portal_invitation").exists()
    invitation = PortalInvitation.objects.get(patient=patient)
    assert invitation.letter_code is not None
    assert len(invitation.letter_code) == 11


def test_a_person_with_an_active_account_answers_409(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.key_worker).post(f"/patients/{world.patient.pk}/portal-invitation")

    assert response.status_code == 409
    assert response.json()["error"]["code"]
    assert not PortalInvitation.objects.exists()


@pytest.mark.parametrize("who", ["other_team_nurse", "patient_user", "manager", "admin"])
def test_outsiders_cannot_invite_and_learn_nothing(world: World, api_as, who: str) -> None:  # type: ignore[no-untyped-def]
    patient = _uninvited(world, email="iris@example.org")

    response = api_as(getattr(world, who)).post(f"/patients/{patient.pk}/portal-invitation")

    assert response.status_code in {403, 404}
    if who == "other_team_nurse":
        assert response.status_code == 404
    assert not PortalInvitation.objects.exists()


def test_sending_again_withdraws_the_earlier_invitation(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    patient = _uninvited(world, email="iris@example.org")
    api = api_as(world.key_worker)

    api.post(f"/patients/{patient.pk}/portal-invitation")
    api.post(f"/patients/{patient.pk}/portal-invitation")

    first, second = PortalInvitation.objects.order_by("id")
    now = timezone.now()
    assert first.status_on(now) == InvitationStatus.WITHDRAWN
    assert second.status_on(now) == InvitationStatus.PENDING
    assert api.get(f"/patients/{patient.pk}/portal-invitation").json()["status"] == "pending"


def test_the_latest_invitation_shows_when_it_expired(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    patient = _uninvited(world, email="iris@example.org")
    api = api_as(world.key_worker)
    api.post(f"/patients/{patient.pk}/portal-invitation")
    PortalInvitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    assert api.get(f"/patients/{patient.pk}/portal-invitation").json()["status"] == "expired"


def test_a_person_never_invited_has_no_invitation_to_show(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    patient = _uninvited(world)

    response = api_as(world.key_worker).get(f"/patients/{patient.pk}/portal-invitation")

    assert response.status_code == 404


def test_a_person_recorded_as_died_is_not_invited(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    patient = _uninvited(world, email="iris@example.org")
    Patient.objects.filter(pk=patient.pk).update(died_on=dt.date(2026, 11, 1))

    response = api_as(world.key_worker).post(f"/patients/{patient.pk}/portal-invitation")

    assert response.status_code == 422
    assert not PortalInvitation.objects.exists()


def test_the_expiry_follows_the_setting(world: World, api_as, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WAYPOINT_INVITATION_DAYS = 3
    patient = _uninvited(world, email="iris@example.org")

    body = api_as(world.key_worker).post(f"/patients/{patient.pk}/portal-invitation").json()

    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert abs(expires - (timezone.now() + dt.timedelta(days=3))) < dt.timedelta(minutes=1)
