"""Staff sign in through the organisation's OpenID Connect provider: a real provider, started on
127.0.0.1 for the test run. An account is found by its linked identity or, the first time, by
exactly one claim; it is never created."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.access.oidc_fixture import STAFF_CLIENT_ID, WAYPOINT, TestProvider
from tests.access.sso_journey import query, sign_in, signed_in_as, start
from tests.world import World
from waypoint.access.models import ExternalIdentity, IdentityProvider
from waypoint.access.signin import SIGNED_IN_BY
from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction, AuditEvent

NURSE_EMAIL = "kate.walker@st-elsewhere.nhs.uk"


def nurse_known(oidc: TestProvider, world: World, **claims: object) -> None:
    User.objects.filter(pk=world.key_worker.pk).update(email=NURSE_EMAIL)
    oidc.accounts(
        {"kate-at-trust": {"email": NURSE_EMAIL.upper(), "email_verified": True} | claims}
    )


def test_the_redirect_carries_pkce_state_and_a_nonce(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    url = start(client, "staff")
    assert url.startswith(sso_configured.issuer + "/auth?")
    params = query(url)
    assert params["response_type"] == "code"
    assert params["client_id"] == STAFF_CLIENT_ID
    assert params["redirect_uri"] == f"{WAYPOINT}/sso/staff/callback"
    assert "openid" in params["scope"].split()
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) >= 43
    assert len(params["state"]) >= 20
    assert len(params["nonce"]) >= 20


def test_a_nurse_whose_verified_email_matches_signs_in_and_is_linked(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    nurse_known(sso_configured, world)

    response = sign_in(client, sso_configured, "staff", "kate-at-trust")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_as(client) == world.key_worker
    assert client.session[SIGNED_IN_BY] == "sso:staff"
    link = ExternalIdentity.objects.get(user=world.key_worker)
    assert (link.provider, link.issuer, link.subject) == (
        IdentityProvider.STAFF,
        sso_configured.issuer,
        "kate-at-trust",
    )
    assert link.linked_by is None
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="external_identity", actor=world.key_worker
    ).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN, actor=world.key_worker, detail__contains="sso:staff"
    ).exists()


def test_a_linked_nurse_is_found_by_her_identity_after_her_email_changes(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    nurse_known(sso_configured, world)
    sign_in(client, sso_configured, "staff", "kate-at-trust")
    client.logout()
    sso_configured.accounts(
        {"kate-at-trust": {"email": "kate.new@elsewhere.nhs.uk", "email_verified": True}}
    )

    response = sign_in(client, sso_configured, "staff", "kate-at-trust")

    assert response.status_code == 302
    assert signed_in_as(client) == world.key_worker


def test_the_page_she_asked_for_is_where_she_lands(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    nurse_known(sso_configured, world)
    wanted = f"/patients/{world.patient.pk}/"

    response = sign_in(client, sso_configured, "staff", "kate-at-trust", next=wanted)

    assert response["Location"] == wanted


def test_a_next_address_on_another_site_is_ignored(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    nurse_known(sso_configured, world)

    response = sign_in(
        client, sso_configured, "staff", "kate-at-trust", next="https://evil.example/steal"
    )

    assert response["Location"] == reverse("home")


def test_an_email_the_provider_has_not_verified_matches_nobody(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    nurse_known(sso_configured, world, email_verified=False)

    response = sign_in(client, sso_configured, "staff", "kate-at-trust")

    assert response.status_code == 403
    assert signed_in_as(client) is None
    assert not ExternalIdentity.objects.exists()


def test_someone_waypoint_does_not_know_is_sent_to_their_team_lead_and_no_account_is_made(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    sso_configured.accounts(
        {"stranger": {"email": "new.starter@st-elsewhere.nhs.uk", "email_verified": True}}
    )
    accounts_before = User.objects.count()

    response = sign_in(client, sso_configured, "staff", "stranger")

    assert response.status_code == 403
    page = response.content.decode()
    assert "Ask your team lead or a Waypoint administrator to add you" in page
    assert reverse("login") in page
    assert User.objects.count() == accounts_before
    assert signed_in_as(client) is None
    assert not ExternalIdentity.objects.exists()
    denied = AuditEvent.objects.get(action=AuditAction.DENIED, reason="sso_no_match")
    assert denied.object_type == "sign_in"


def test_two_accounts_with_the_same_email_are_not_guessed_between(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    nurse_known(sso_configured, world)
    User.objects.filter(pk=world.colleague.pk).update(email=NURSE_EMAIL)

    response = sign_in(client, sso_configured, "staff", "kate-at-trust")

    assert response.status_code == 403
    assert signed_in_as(client) is None
    assert AuditEvent.objects.filter(reason="sso_several_matches").exists()


def test_an_account_that_may_not_sign_in_is_refused(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    nurse_known(sso_configured, world)
    User.objects.filter(pk=world.key_worker.pk).update(is_active=False)

    response = sign_in(client, sso_configured, "staff", "kate-at-trust")

    assert response.status_code == 403
    assert signed_in_as(client) is None
    assert AuditEvent.objects.filter(reason="sso_inactive", actor=world.key_worker).exists()


def test_a_patient_account_is_never_signed_in_through_the_staff_provider(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    User.objects.filter(pk=world.patient_user.pk).update(email="ada@example.org")
    sso_configured.accounts({"ada": {"email": "ada@example.org", "email_verified": True}})

    response = sign_in(client, sso_configured, "staff", "ada")

    assert response.status_code == 403
    assert signed_in_as(client) is None
    assert not ExternalIdentity.objects.exists()


def test_an_account_linked_to_another_identity_is_not_taken_over_by_a_second(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    nurse_known(sso_configured, world)
    sign_in(client, sso_configured, "staff", "kate-at-trust")
    client.logout()
    sso_configured.accounts({"someone-else": {"email": NURSE_EMAIL, "email_verified": True}})

    response = sign_in(client, sso_configured, "staff", "someone-else")

    assert response.status_code == 403
    assert signed_in_as(client) is None
    assert ExternalIdentity.objects.get().subject == "kate-at-trust"


def test_staff_can_be_matched_by_a_staff_identifier_claim(
    client: Client, sso_configured: TestProvider, world: World, settings: object
) -> None:
    settings.WAYPOINT_OIDC_STAFF = sso_configured.staff_config(  # type: ignore[attr-defined]
        WAYPOINT_OIDC_STAFF_MATCH_CLAIM="staff_id",
        WAYPOINT_OIDC_STAFF_SCOPES="openid staff",
    )
    User.objects.filter(pk=world.oncologist.pk).update(staff_identifier="555000111222")
    sso_configured.accounts({"omar": {"staff_id": "555000111222"}})

    response = sign_in(client, sso_configured, "staff", "omar")

    assert response.status_code == 302
    assert signed_in_as(client) == world.oncologist


@pytest.mark.parametrize("path", ["/sso/staff/start", "/sso/staff/callback"])
def test_single_sign_on_is_not_there_when_not_configured(
    client: Client, settings: object, world: World, path: str
) -> None:
    settings.WAYPOINT_OIDC_STAFF = None  # type: ignore[attr-defined]

    assert client.get(path).status_code == 404


def test_an_unknown_provider_name_is_not_found(
    client: Client, sso_configured: TestProvider
) -> None:
    assert client.get("/sso/elsewhere/start").status_code == 404


def test_signing_in_through_the_organisation_counts_as_a_second_factor(
    client: Client, sso_configured: TestProvider, world: World, settings: object
) -> None:
    settings.WAYPOINT_REQUIRE_STAFF_SECOND_FACTOR = True  # type: ignore[attr-defined]
    nurse_known(sso_configured, world)

    response = sign_in(client, sso_configured, "staff", "kate-at-trust", next="/caseload/")

    assert response["Location"] == "/caseload/"
    assert client.get("/caseload/").status_code == 200
