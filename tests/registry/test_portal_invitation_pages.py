"""The record page's "Waypoint account" section and the invitation letter."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from tests.world import PASSWORD, World, make_patient

from waypoint.audit.models import AuditEvent
from waypoint.registry.models import Patient, PortalInvitation
from waypoint.registry.services import patient_update


def _signed_in(username: str) -> Client:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": PASSWORD})
    return client


def _patient(world: World, **changes: object) -> Patient:
    patient = make_patient(team=world.team_a, given="Iris", family="Nokes")
    patient_update(actor=None, patient=patient, changes=dict(changes))
    return patient


def test_the_record_page_offers_an_invitation_and_then_shows_it_pending(world: World) -> None:
    patient = _patient(world, email="iris@example.org")
    client = _signed_in("kw")
    record = reverse("patient_detail", args=[patient.pk])

    before = client.get(record).content.decode()
    sent = client.post(reverse("portal_invitation_send", args=[patient.pk]), follow=True)
    after = sent.content.decode()

    assert "has not been invited to Waypoint yet" in before
    assert "Invite to Waypoint" in before
    assert "Invitation sent by email to i•••@e•••.org" in after
    assert "Invitation pending" in after
    assert "Send the invitation again" in after


def test_a_person_with_an_account_is_shown_as_having_one(world: World) -> None:
    client = _signed_in("kw")

    page = client.get(reverse("patient_detail", args=[world.patient.pk])).content.decode()

    assert "has a Waypoint account" in page
    assert "Invite to Waypoint" not in page


def test_the_letter_carries_the_code_the_address_and_the_numbers(world: World) -> None:
    patient = _patient(world, phone="020 7946 0000", address="1 Elm Row\nLeeds")
    client = _signed_in("kw")
    client.post(reverse("portal_invitation_send", args=[patient.pk]))
    code = PortalInvitation.objects.get().letter_code
    page = client.get(reverse("patient_detail", args=[patient.pk])).content.decode()

    response = client.get(reverse("portal_invitation_letter", args=[patient.pk]))

    assert "Print the invitation letter" in page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert str(code) in text
    assert "Iris Nokes" in text
    assert "1 Elm Row" in text
    assert "/portal/join/letter/" in text
    assert world.team_a.in_hours_phone in text
    assert world.team_a.out_of_hours_phone in text
    assert "999" in text
    assert AuditEvent.objects.filter(
        object_type="portal_invitation", action="export", patient_id=patient.pk
    ).exists()


def test_an_outsider_gets_404_for_the_letter_and_the_sending(world: World) -> None:
    patient = _patient(world, phone="020 7946 0000")
    _signed_in("kw").post(reverse("portal_invitation_send", args=[patient.pk]))
    outsider = _signed_in("othernurse")

    letter = outsider.get(reverse("portal_invitation_letter", args=[patient.pk]))
    send = outsider.post(reverse("portal_invitation_send", args=[patient.pk]))

    assert letter.status_code == 404
    assert send.status_code == 404
    assert PortalInvitation.objects.count() == 1


def test_there_is_no_letter_for_an_emailed_invitation(world: World) -> None:
    patient = _patient(world, email="iris@example.org")
    client = _signed_in("kw")
    client.post(reverse("portal_invitation_send", args=[patient.pk]))

    assert client.get(reverse("portal_invitation_letter", args=[patient.pk])).status_code == 404
