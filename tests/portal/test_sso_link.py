"""Back from the patient sign-in service: linking its account to the person's record."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.world import World, make_patient

from waypoint.access.models import ExternalIdentity, IdentityProvider
from waypoint.access.sso.services import PendingPatientIdentity, pending_patient_identity_store
from waypoint.audit.models import AuditEvent
from waypoint.registry.models import Patient, PortalInvitation
from waypoint.registry.services import patient_update
from waypoint.registry.services.invitations import portal_invitation_send

BORN = dt.date(1958, 3, 9)
ISSUER = "https://auth.login.nhs.example"


def _pending(client: Client, *, nhs_number: str = "", born: dt.date | None = BORN) -> None:
    session = client.session
    pending_patient_identity_store(
        session,
        PendingPatientIdentity(
            issuer=ISSUER,
            subject="sub-123",
            nhs_number=nhs_number,
            given_name="Iris",
            family_name="Nokes",
            birth_date=born,
            email="",
        ),
    )
    session.save()


def _uninvited(world: World) -> Patient:
    patient = make_patient(team=world.team_a, given="Iris", family="Nokes", birth_date=BORN)
    patient_update(actor=None, patient=patient, changes={"email": "iris@example.org"})
    patient.refresh_from_db()
    return patient


def _linked(patient: Patient) -> ExternalIdentity:
    patient.refresh_from_db()
    assert patient.user is not None
    return ExternalIdentity.objects.get(user=patient.user)


def test_a_confirmed_invitation_links_the_sign_in_service_account(world: World) -> None:
    patient = _uninvited(world)
    sent = portal_invitation_send(actor=world.key_worker, patient_id=patient.pk, now=timezone.now())
    client = Client()
    client.post(reverse("portal_join", args=[sent.token]), {"birth_date": BORN.isoformat()})
    _pending(client)

    response = client.get(reverse("portal_sso_link"))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal_home")
    identity = _linked(patient)
    assert (identity.issuer, identity.subject) == (ISSUER, "sub-123")
    assert identity.provider == IdentityProvider.PATIENT
    assert PortalInvitation.objects.get().accepted_at is not None
    assert client.get(reverse("portal_home")).status_code == 200


def test_a_verified_nhs_number_links_the_record_without_an_invitation(world: World) -> None:
    patient = _uninvited(world)
    client = Client()
    _pending(client, nhs_number=str(patient.nhs_number))

    response = client.get(reverse("portal_sso_link"))

    assert response.status_code == 302
    assert _linked(patient).subject == "sub-123"


def test_a_different_date_of_birth_stops_the_link_and_is_audited(world: World) -> None:
    patient = _uninvited(world)
    client = Client()
    _pending(client, nhs_number=str(patient.nhs_number), born=dt.date(1958, 3, 10))

    response = client.get(reverse("portal_sso_link"))

    assert response.status_code == 404
    assert "does not know you yet" in response.content.decode()
    patient.refresh_from_db()
    assert patient.user is None
    assert AuditEvent.objects.filter(
        action="denied", patient_id=patient.pk, detail__contains="another date of birth"
    ).exists()


def test_an_unknown_nhs_number_explains_the_way_in(world: World) -> None:
    client = Client()
    _pending(client, nhs_number="9434765919")

    response = client.get(reverse("portal_sso_link"))

    assert response.status_code == 404
    assert "type the code from your letter" in response.content.decode()
    assert not ExternalIdentity.objects.exists()


def test_a_person_who_already_has_an_account_is_not_linked_again(world: World) -> None:
    client = Client()
    _pending(client, nhs_number=str(world.patient.nhs_number), born=world.patient.birth_date)

    response = client.get(reverse("portal_sso_link"))

    assert response.status_code == 404
    assert not ExternalIdentity.objects.exists()


def test_without_a_sign_in_to_link_the_page_says_start_again(db: None) -> None:
    response = Client().get(reverse("portal_sso_link"))

    assert response.status_code == 410
