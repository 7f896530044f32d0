"""Signing in through an OpenID Connect provider, in Chromium: a nurse with her organisation's
account and a patient with NHS login (here the real test provider from tests/access, started on
127.0.0.1), through the provider's own sign-in page and back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.access import oidc_fixture
from tests.access.oidc_fixture import TestProvider
from tests.browser.conftest import assert_accessible
from tests.world import World
from waypoint.access.models import IdentityProvider
from waypoint.access.sso.services import external_identity_link
from waypoint.accounts.models import User

pytestmark = pytest.mark.browser

# The provider's fixtures, shared with tests/access.
oidc_provider = oidc_fixture.oidc_provider
oidc = oidc_fixture.oidc

NURSE_EMAIL = "kate.walker@st-elsewhere.nhs.uk"


@pytest.fixture
def waypoint(oidc: TestProvider, live_server: LiveServer, settings: Any) -> Iterator[str]:
    """Waypoint's address, on 127.0.0.1 (the provider accepts callbacks there, on any port), with
    both providers configured."""
    base = live_server.url.replace("://localhost:", "://127.0.0.1:")
    settings.WAYPOINT_OIDC_STAFF = oidc.staff_config()
    settings.WAYPOINT_OIDC_PATIENT = oidc.patient_config()
    settings.WAYPOINT_BASE_URL = base
    # The live server's first page takes seconds (templates compiled, static files indexed):
    # longer than a browser step may wait, so it is fetched once before the journey.
    requests.get(f"{base}/login/", timeout=60).raise_for_status()
    yield base


def sign_in_at_provider(page: Page, login: str) -> None:
    expect(page.locator("h1")).to_have_text("Test identity provider")
    page.get_by_label("Sign in as").fill(login)
    page.get_by_role("button", name="Continue").click()


def test_a_nurse_signs_in_with_her_organisations_account_and_lands_on_her_caseload(
    page: Page, waypoint: str, oidc: TestProvider, world: World
) -> None:
    User.objects.filter(pk=world.key_worker.pk).update(email=NURSE_EMAIL)
    oidc.accounts({"kate-at-trust": {"email": NURSE_EMAIL, "email_verified": True}})
    page.goto(f"{waypoint}/login/")
    assert_accessible(page)

    page.get_by_role("button", name="Sign in with your organisation's account").click()
    sign_in_at_provider(page, "kate-at-trust")

    expect(page).to_have_url(f"{waypoint}/caseload/")
    expect(page.locator("h1")).to_have_text("Caseload")
    expect(page.locator("header")).to_contain_text("Kate Walker")


def test_someone_waypoint_does_not_know_is_told_who_to_ask(
    page: Page, waypoint: str, oidc: TestProvider, world: World
) -> None:
    oidc.accounts({"new-starter": {"email": "new@st-elsewhere.nhs.uk", "email_verified": True}})
    page.goto(f"{waypoint}/login/")

    page.get_by_role("button", name="Sign in with your organisation's account").click()
    sign_in_at_provider(page, "new-starter")

    expect(page.locator("h1")).to_have_text("Your account is not set up in Waypoint")
    expect(page.locator("main")).to_contain_text("Ask your team lead or a Waypoint administrator")
    assert_accessible(page)


def test_a_patient_continues_with_nhs_login_and_lands_on_her_portal(
    page: Page, waypoint: str, oidc: TestProvider, world: World
) -> None:
    external_identity_link(
        user=world.patient_user,
        provider=IdentityProvider.PATIENT,
        issuer=oidc.issuer,
        subject="ada-nhs",
        linked_by=None,
    )
    oidc.accounts({"ada-nhs": {"nhs_number": world.patient.nhs_number}})
    page.goto(f"{waypoint}/login/")

    page.get_by_role("button", name="Continue with NHS login").click()
    sign_in_at_provider(page, "ada-nhs")

    expect(page).to_have_url(f"{waypoint}/portal/")
    expect(page.locator("header")).to_contain_text("Ada Lovelace")


def test_cancelling_at_nhs_login_offers_the_ordinary_sign_in(
    page: Page, waypoint: str, oidc: TestProvider, world: World
) -> None:
    page.goto(f"{waypoint}/login/")

    page.get_by_role("button", name="Continue with NHS login").click()
    expect(page.locator("h1")).to_have_text("Test identity provider")
    page.get_by_role("button", name="Cancel").click()

    expect(page.locator("h1")).to_have_text("Signing in did not work")
    page.get_by_role("link", name="sign in with your Waypoint username and password").click()
    expect(page).to_have_url(f"{waypoint}/login/")
