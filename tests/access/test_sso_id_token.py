"""What an ID token must prove before Waypoint believes it, shown against a real provider: its
signature with the provider's published keys (which may rotate), its audience, its expiry, the
nonce Waypoint sent, and the state kept in this browser. Each refusal is a clear page offering
the ordinary sign-in, an audit row, and nobody signed in."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode, urlsplit, urlunsplit

import time_machine
from django.test import Client
from django.urls import reverse

from tests.access.oidc_fixture import TestProvider
from tests.access.sso_journey import query, sign_in, signed_in_as, start
from tests.world import World
from waypoint.access.sso.client import oidc_client
from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction, AuditEvent

EMAIL = "kate.walker@st-elsewhere.nhs.uk"


def nurse_known(oidc: TestProvider, world: World) -> None:
    User.objects.filter(pk=world.key_worker.pk).update(email=EMAIL)
    oidc.accounts({"kate-at-trust": {"email": EMAIL, "email_verified": True}})


def with_params(url: str, **params: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=urlencode(query(url) | params)))


def assert_refused(response, reason: str, status: int = 400) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    page = response.content.decode()
    assert "Signing in did not work" in page
    assert reverse("login") in page
    assert AuditEvent.objects.filter(
        action=AuditAction.DENIED, object_type="sign_in", reason=reason
    ).exists()


def test_a_token_signed_with_a_rotated_key_is_verified_with_the_newly_published_key(
    client: Client, sso_configured: TestProvider, world: World, settings: object
) -> None:
    nurse_known(sso_configured, world)
    assert sign_in(client, sso_configured, "staff", "kate-at-trust").status_code == 302
    client.logout()
    old_kid = sso_configured.signing_kid

    sso_configured.rotate_keys()
    nurse_known(sso_configured, world)
    response = sign_in(client, sso_configured, "staff", "kate-at-trust")

    assert sso_configured.signing_kid != old_kid
    assert response.status_code == 302
    assert signed_in_as(client) == world.key_worker
    keys = oidc_client(settings.WAYPOINT_OIDC_STAFF).server_metadata["jwks"]["keys"]  # type: ignore[attr-defined]
    assert [key["kid"] for key in keys] == [sso_configured.signing_kid]


def test_an_id_token_for_another_audience_is_refused(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    nurse_known(sso_configured, world)
    sso_configured.misbehave(id_token_audience="another-service")

    response = sign_in(client, sso_configured, "staff", "kate-at-trust")

    assert_refused(response, "sso_token_refused")
    assert signed_in_as(client) is None
    assert AuditEvent.objects.get(reason="sso_token_refused").detail.count("aud")


def test_an_id_token_with_another_nonce_is_refused(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    """A code obtained with someone else's nonce (an injected code) and brought back with this
    browser's state and PKCE verifier still does not sign in."""
    nurse_known(sso_configured, world)
    authorization_url = start(client, "staff")

    callback = sso_configured.sign_in(
        with_params(authorization_url, nonce="an-attackers-nonce-0123456789"),
        login="kate-at-trust",
    )
    response = client.get(callback)

    assert_refused(response, "sso_token_refused")
    assert "nonce" in AuditEvent.objects.get(reason="sso_token_refused").detail
    assert signed_in_as(client) is None


def test_an_expired_id_token_is_refused(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    nurse_known(sso_configured, world)
    callback = sso_configured.sign_in(start(client, "staff"), login="kate-at-trust")

    # The provider's ID tokens last 300 seconds; Authlib allows 120 for clocks that differ.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=300 + 120 + 30)
    with time_machine.travel(later, tick=True):
        response = client.get(callback)

    assert_refused(response, "sso_token_refused")
    assert "expired" in AuditEvent.objects.get(reason="sso_token_refused").detail.lower()
    assert signed_in_as(client) is None


def test_a_callback_with_a_state_this_browser_never_sent_is_refused(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    nurse_known(sso_configured, world)
    callback = sso_configured.sign_in(start(Client(), "staff"), login="kate-at-trust")

    response = client.get(callback)

    assert_refused(response, "sso_state")
    assert signed_in_as(client) is None


def test_a_callback_cannot_be_used_twice(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    nurse_known(sso_configured, world)
    callback = sso_configured.sign_in(start(client, "staff"), login="kate-at-trust")
    assert client.get(callback).status_code == 302
    client.logout()

    response = client.get(callback)

    assert_refused(response, "sso_state")
    assert signed_in_as(client) is None


def test_a_callback_naming_another_issuer_is_refused(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    nurse_known(sso_configured, world)
    callback = sso_configured.sign_in(start(client, "staff"), login="kate-at-trust")

    response = client.get(with_params(callback, iss="https://mix-up.example"))

    assert_refused(response, "sso_wrong_issuer")
    assert signed_in_as(client) is None


def test_cancelling_at_the_provider_says_so_and_offers_the_ordinary_sign_in(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    callback = sso_configured.sign_in(start(client, "staff"), cancel=True)
    assert query(callback)["error"] == "access_denied"

    response = client.get(callback)

    assert_refused(response, "sso_provider_error")
    assert "stopped before it finished" in response.content.decode()


def test_a_provider_that_stops_answering_gives_a_page_not_an_error(
    client: Client, sso_configured: TestProvider, world: World
) -> None:
    nurse_known(sso_configured, world)
    callback = sso_configured.sign_in(start(client, "staff"), login="kate-at-trust")
    sso_configured.stop()

    response = client.get(callback)

    assert_refused(response, "sso_provider_unreachable", status=502)
    assert "not answering" in response.content.decode()
    assert signed_in_as(client) is None


def test_a_provider_whose_discovery_cannot_be_reached_gives_a_page_not_an_error(
    client: Client, sso_configured: TestProvider, world: World, settings: object
) -> None:
    sso_configured.stop()
    # Another configuration, so nothing fetched from the provider earlier is reused.
    settings.WAYPOINT_OIDC_STAFF = sso_configured.staff_config(  # type: ignore[attr-defined]
        WAYPOINT_OIDC_STAFF_SCOPES="openid email"
    )

    response = client.get("/sso/staff/start")

    assert_refused(response, "sso_provider_unreachable", status=502)


def test_a_discovery_document_naming_another_issuer_is_refused(
    client: Client, sso_configured: TestProvider, world: World, settings: object
) -> None:
    settings.WAYPOINT_OIDC_STAFF = sso_configured.staff_config(  # type: ignore[attr-defined]
        WAYPOINT_OIDC_STAFF_ISSUER=sso_configured.issuer + "/"
    )

    response = client.get("/sso/staff/start")

    assert_refused(response, "sso_discovery_mismatch")


def test_the_providers_keys_are_read_again_after_an_hour(
    client: Client, sso_configured: TestProvider, world: World, settings: object
) -> None:
    """So a key the provider withdraws stops being trusted within the hour."""
    nurse_known(sso_configured, world)
    assert sign_in(client, sso_configured, "staff", "kate-at-trust").status_code == 302
    client.logout()
    app = oidc_client(settings.WAYPOINT_OIDC_STAFF)  # type: ignore[attr-defined]
    first_loaded = app.server_metadata["_loaded_at"]

    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1, minutes=1)
    with time_machine.travel(later, tick=True):
        start(client, "staff")

    assert app.server_metadata["_loaded_at"] > first_loaded + 3600
    assert "jwks" not in app.server_metadata  # fetched afresh at the next sign-in
