"""Every answer carries the Content-Security-Policy, and every answer but a static file is marked
no-store: pages and API answers carry patient data that a shared computer or a proxy must not
keep."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.world import World

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _policy(header: str) -> dict[str, str]:
    return dict(d.strip().split(" ", 1) for d in header.split(";") if d.strip())


def _signed_in(world: World) -> Client:
    client = Client()
    client.force_login(world.key_worker)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/login/",
        "/caseload/",
        "/triage/",
        "/no-such-page/",
        "/admin/login/",
        "/api/v1/docs",
        "/api/v1/openapi.json",
        "/fhir/metadata",
    ],
)
def test_pages_and_api_answers_carry_the_policy_and_no_store(world: World, path: str) -> None:
    response = _signed_in(world).get(path)
    assert response.status_code < 500
    assert _policy(response["Content-Security-Policy"]) == POLICY
    assert response["Cache-Control"] == "no-store"


def test_an_api_answer_with_a_persons_record_is_not_stored(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.key_worker).get(f"/patients/{world.patient.pk}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response


def test_the_portal_home_is_not_stored(world: World) -> None:
    client = Client()
    client.force_login(world.patient_user)
    response = client.get("/portal/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_a_static_file_keeps_its_cache_lifetime_and_carries_the_policy(db: None) -> None:
    response = Client().get("/static/waypoint/waypoint.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert _policy(response["Content-Security-Policy"]) == POLICY


def test_a_view_that_asks_to_be_cached_is_still_not_stored(world: World) -> None:
    """The admin asks for no-cache itself; the one rule replaces whatever a view set."""
    client = Client()
    client.force_login(world.admin)
    response = client.get("/admin/")
    assert response["Cache-Control"] == "no-store"
