"""The sign-in page offers each configured provider's button, and nothing when none is
configured; working that out costs no query."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.access.oidc_fixture import TestProvider


def test_no_provider_configured_shows_no_single_sign_on(client: Client, settings: object) -> None:
    settings.WAYPOINT_OIDC_STAFF = None  # type: ignore[attr-defined]
    settings.WAYPOINT_OIDC_PATIENT = None  # type: ignore[attr-defined]

    page = client.get("/login/").content.decode()

    assert "/sso/" not in page
    assert "Sign in with your organisation" not in page
    assert "NHS login" not in page


def test_both_buttons_are_offered_when_both_providers_are_configured(
    client: Client, sso_configured: TestProvider
) -> None:
    page = client.get("/login/").content.decode()

    assert "Sign in with your organisation&#x27;s account" in page
    assert 'href="/sso/staff/start"' in page
    assert "Continue with NHS login" in page
    assert 'href="/sso/patient/start"' in page


def test_the_page_asked_for_goes_with_each_button(
    client: Client, sso_configured: TestProvider
) -> None:
    page = client.get("/login/", {"next": "/portal/"}).content.decode()

    assert 'href="/sso/patient/start?next=%2Fportal%2F"' in page


def test_the_buttons_cost_no_query(
    client: Client, sso_configured: TestProvider, settings: object, db: None
) -> None:
    with CaptureQueriesContext(connection) as with_buttons:
        client.get("/login/")
    settings.WAYPOINT_OIDC_STAFF = None  # type: ignore[attr-defined]
    settings.WAYPOINT_OIDC_PATIENT = None  # type: ignore[attr-defined]
    with CaptureQueriesContext(connection) as without:
        client.get("/login/")

    assert len(with_buttons.captured_queries) == len(without.captured_queries)
