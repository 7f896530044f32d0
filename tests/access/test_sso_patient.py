"""Patients continue with the patient sign-in service (NHS login, here a real provider started on
127.0.0.1): a linked patient is signed in; anyone else is held as a verified identity for the
portal's linking page, never signed in. Waypoint's client proves itself with a signed assertion
(private_key_jwt), as national patient services require."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.access.oidc_fixture import TestProvider
from tests.access.sso_journey import sign_in, signed_in_as
from tests.world import World
from waypoint.access.models import IdentityProvider
from waypoint.access.signin import SIGNED_IN_BY
from waypoint.access.sso.services import (
    external_identity_link,
    pending_patient_identity_peek,
    pending_patient_identity_take,
)
from waypoint.audit.models import AuditAction, AuditEvent

NHS_NUMBER = "9434765919"


def link_page() -> str:
    try:
        return reverse("portal_sso_link")
    except NoReverseMatch:
        return reverse("sso_patient_unknown")


def ada_at_nhs_login(oidc: TestProvider, **claims: object) -> None:
    oidc.accounts(
        {
            "ada-nhs": {
                "nhs_number": NHS_NUMBER,
                "identity_proofing_level": "P9",
                "given_name": "Ada",
                "family_name": "Lovelace",
                "birthdate": "1960-05-17",
                "email": "ada@example.org",
                "email_verified": True,
            }
            | claims
        }
    )


def test_a_linked_patient_signs_in_and_lands_on_her_portal(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    external_identity_link(
        user=world.patient_user,
        provider=IdentityProvider.PATIENT,
        issuer=sso_configured.issuer,
        subject="ada-nhs",
        linked_by=None,
    )
    ada_at_nhs_login(sso_configured)

    response = sign_in(client, sso_configured, "patient", "ada-nhs")

    assert response.status_code == 302
    assert signed_in_as(client) == world.patient_user
    assert client.session[SIGNED_IN_BY] == "sso:patient"
    assert client.get(response["Location"]).url == reverse("portal_home")
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN, actor=world.patient_user, detail__contains="sso:patient"
    ).exists()


def test_someone_not_known_yet_is_not_signed_in_and_their_verified_identity_is_held(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    ada_at_nhs_login(sso_configured)

    response = sign_in(client, sso_configured, "patient", "ada-nhs")

    assert response.status_code == 302
    assert response["Location"] == link_page()
    assert signed_in_as(client) is None
    pending = pending_patient_identity_peek(client.session)
    assert pending is not None
    assert (pending.issuer, pending.subject) == (sso_configured.issuer, "ada-nhs")
    assert pending.nhs_number == NHS_NUMBER
    assert (pending.given_name, pending.family_name) == ("Ada", "Lovelace")
    assert pending.birth_date == dt.date(1960, 5, 17)
    assert pending.email == "ada@example.org"


def test_an_nhs_number_below_the_required_proofing_level_is_not_counted_as_verified(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    ada_at_nhs_login(sso_configured, identity_proofing_level="P5")

    sign_in(client, sso_configured, "patient", "ada-nhs")

    pending = pending_patient_identity_peek(client.session)
    assert pending is not None
    assert pending.nhs_number == ""
    assert pending.subject == "ada-nhs"


def test_the_page_for_someone_not_known_yet_tells_them_to_ask_for_an_invitation(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    ada_at_nhs_login(sso_configured)
    sign_in(client, sso_configured, "patient", "ada-nhs")

    page = client.get(reverse("sso_patient_unknown")).content.decode()

    assert "Your NHS login worked, but Waypoint does not know you yet" in page
    assert "Ask your breast care team for an invitation" in page


def test_a_held_identity_is_handed_over_once(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    ada_at_nhs_login(sso_configured)
    sign_in(client, sso_configured, "patient", "ada-nhs")
    session = client.session

    assert pending_patient_identity_take(session) is not None
    assert pending_patient_identity_take(session) is None


def test_an_identity_linked_to_a_staff_account_does_not_sign_in_as_a_patient(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    external_identity_link(
        user=world.key_worker,
        provider=IdentityProvider.STAFF,
        issuer=sso_configured.issuer,
        subject="ada-nhs",
        linked_by=None,
    )
    ada_at_nhs_login(sso_configured)

    response = sign_in(client, sso_configured, "patient", "ada-nhs")

    assert response.status_code == 403
    assert signed_in_as(client) is None
    assert AuditEvent.objects.filter(
        action=AuditAction.DENIED, reason="sso_not_patient", actor=world.key_worker
    ).exists()


def test_the_provider_refuses_the_patient_client_without_its_signed_assertion(
    client: Client, sso_configured: TestProvider, world: World, settings: object
) -> None:
    """The provider registered the patient client for private_key_jwt: a client secret in its
    place is refused at the token endpoint, so the key is what Waypoint's sign-in rests on."""
    settings.WAYPOINT_OIDC_PATIENT = sso_configured.patient_config(  # type: ignore[attr-defined]
        WAYPOINT_OIDC_PATIENT_PRIVATE_KEY_FILE="",
        WAYPOINT_OIDC_PATIENT_CLIENT_SECRET="a-secret-the-provider-never-issued",
    )
    ada_at_nhs_login(sso_configured)

    response = sign_in(client, sso_configured, "patient", "ada-nhs")

    assert response.status_code == 400
    assert signed_in_as(client) is None
    assert pending_patient_identity_peek(client.session) is None
    denied = AuditEvent.objects.get(action=AuditAction.DENIED, reason="sso_token_refused")
    assert "invalid_client" in denied.detail


def test_a_key_file_that_has_gone_since_start_up_gives_a_page_not_an_error(
    client: Client, sso_configured: TestProvider, world: World, settings: object, tmp_path: Path
) -> None:
    moved = tmp_path / "client.pem"
    moved.write_bytes(sso_configured.patient_key_path.read_bytes())
    settings.WAYPOINT_OIDC_PATIENT = sso_configured.patient_config(  # type: ignore[attr-defined]
        WAYPOINT_OIDC_PATIENT_PRIVATE_KEY_FILE=str(moved)
    )
    moved.unlink()

    response = client.get("/sso/patient/start")

    assert response.status_code == 502
    assert "Signing in did not work" in response.content.decode()
    assert AuditEvent.objects.filter(reason="sso_client_key_unreadable").exists()
