"""400, 403, 404 and 500 answer Waypoint's pages (with DEBUG off, as in production): a plain
explanation and a way on; the 500 page needs no database and says where to get help now. The
API and /fhir keep their JSON errors. The database being down is in test_database_outage.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from tests.core.page_text import text
from tests.world import World

from waypoint.config.urls import urlpatterns as waypoint_urls
from waypoint.core.errors import ValidationFailed
from waypoint.triage.rules import advice


def _boom(request: object) -> None:
    raise RuntimeError("a fault in a page")


def _bad(request: object) -> None:
    raise ValidationFailed("Say why you need this record.")


def _query(request: object) -> None:
    from waypoint.registry.models import Patient

    Patient.objects.count()


# Waypoint's own urls (and error handlers) and three pages that fail, for these tests only.
urlpatterns = [
    path("broken/", _boom),
    path("refused/", _bad),
    path("needs-the-database/", _query),
    path("api/v1/broken/", _boom),
    *waypoint_urls,
]
handler400 = "waypoint.core.error_pages.bad_request"
handler403 = "waypoint.core.error_pages.permission_denied"
handler404 = "waypoint.core.error_pages.page_not_found"
handler500 = "waypoint.core.error_pages.server_error"


@pytest.fixture(autouse=True)
def _production(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    settings.WAYPOINT_HELPLINE_PHONE = "0808 800 6000"
    settings.WAYPOINT_HELPLINE_HOURS = "Monday to Friday 9am to 4pm"
    settings.WAYPOINT_OUT_OF_HOURS_PHONE = ""
    with override_settings(ROOT_URLCONF=__name__):
        yield


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_a_missing_page_says_page_not_found_with_a_way_on(world: World) -> None:
    response = _signed_in(world.key_worker).get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    main = text(html, "nhsuk-main-wrapper")
    assert "Page not found" in main
    assert "check it is correct" in main
    assert 'href="/">Go to the Waypoint home page' in html
    assert "nhsuk-back-link" in html
    assert "nhsuk-header" in html  # Waypoint's layout, with the menu
    assert "Caseload" in text(html, "nhsuk-header__navigation")


def test_a_record_out_of_scope_is_not_found_in_the_same_words(world: World) -> None:
    response = _signed_in(world.other_team_nurse).get(f"/patients/{world.patient.pk}/edit/")
    assert response.status_code == 404
    assert "Page not found" in text(response.content.decode(), "nhsuk-main-wrapper")


def test_a_page_the_role_may_not_open_says_so(world: World) -> None:
    response = _signed_in(world.patient_user).get("/caseload/")
    html = response.content.decode()
    assert response.status_code == 403
    main = text(html, "nhsuk-main-wrapper")
    assert "You cannot open this page" in main
    assert "Nothing was changed" in main
    assert "Go to the Waypoint home page" in main


def test_a_refused_request_says_what_was_wrong(world: World) -> None:
    response = _signed_in(world.key_worker).get("/refused/")
    html = response.content.decode()
    assert response.status_code == 400
    main = text(html, "nhsuk-main-wrapper")
    assert "Sorry, this could not be done" in main
    assert "Say why you need this record." in main
    assert "Bad Request" not in html


def test_a_malformed_request_gets_the_400_page(world: World) -> None:
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Sorry, this could not be done" in response.content.decode()


def test_the_back_link_returns_only_to_our_own_pages(world: World) -> None:
    client = _signed_in(world.key_worker)
    ours = client.get("/no-such-page/", HTTP_REFERER="http://testserver/caseload/")
    theirs = client.get("/no-such-page/", HTTP_REFERER="https://elsewhere.example/")
    assert 'href="http://testserver/caseload/">Back' in ours.content.decode()
    assert 'href="/">Back' in theirs.content.decode()


def test_a_fault_shows_the_500_page_with_help_now(world: World) -> None:
    response = _signed_in(world.patient_user).get("/broken/")
    html = response.content.decode()
    assert response.status_code == 500
    main = text(html, "nhsuk-main-wrapper")
    assert "Sorry, there is a problem with the service" in main
    assert advice.EMERGENCY_CALL in main and advice.URGENT_CALL in main  # the one advice source
    assert "0808 800 6000" in main and "Monday to Friday 9am to 4pm" in main
    assert "Call your team on the number on your appointment letter." in main
    assert "a fault in a page" not in html  # nothing of the fault itself


def test_the_500_page_gives_the_out_of_hours_number_when_it_is_set(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WAYPOINT_OUT_OF_HOURS_PHONE = "020 7946 0999"
    html = _signed_in(world.patient_user).get("/broken/").content.decode()
    assert "Out of hours, day or night: 020 7946 0999" in text(html, "nhsuk-main-wrapper")
    assert 'href="tel:02079460999"' in html


def test_the_503_page_is_shown_while_the_database_is_down(world: World) -> None:
    client = _signed_in(world.key_worker)
    down = OperationalError("could not connect to server: Connection refused")
    with (
        mock.patch.object(connection, "ensure_connection", side_effect=down),
        mock.patch.object(connection, "cursor", side_effect=down),
    ):
        response = client.get("/needs-the-database/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Sorry, Waypoint is not available at the moment" in text(html, "nhsuk-main-wrapper")
    assert advice.EMERGENCY_CALL in html
    assert "0808 800 6000" in html


def test_the_api_keeps_its_json_envelope(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    api = api_as(world.key_worker)
    api.client.raise_request_exception = False
    missing = api.get("/no-such-endpoint/")
    assert missing.status_code == 404
    assert missing.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}
    broken = api.get("/broken/")
    assert broken.status_code == 500
    assert broken.json()["error"]["code"] == "server_error"


def test_fhir_keeps_its_operation_outcome(db: None) -> None:
    from waypoint.core import error_pages

    for handler, status in [
        (error_pages.page_not_found, 404),
        (error_pages.permission_denied, 403),
        (error_pages.bad_request, 400),
    ]:
        response = handler(RequestFactory().get("/fhir/Patient/1"), None)
        assert response.status_code == status
        assert response["Content-Type"].startswith("application/fhir+json")
        assert json.loads(response.content)["resourceType"] == "OperationOutcome"


def test_waypoints_urls_wire_every_handler() -> None:
    from django.urls import get_resolver

    from waypoint.core import error_pages

    resolver = get_resolver("waypoint.config.urls")
    assert resolver.resolve_error_handler(400) is error_pages.bad_request
    assert resolver.resolve_error_handler(403) is error_pages.permission_denied
    assert resolver.resolve_error_handler(404) is error_pages.page_not_found
    assert resolver.resolve_error_handler(500) is error_pages.server_error


def test_a_form_sent_without_its_security_token_says_nothing_was_saved(world: World) -> None:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(world.patient_user)
    response = client.post("/portal/resource-pack/", {"name": "Ada", "address": "1 Row"})
    assert response.status_code == 403
    page = text(response.content.decode(), "nhsuk-main-wrapper")
    assert "Your form could not be sent" in page
    assert "Nothing was saved" in page
    assert "Go to the Waypoint home page" in page
    assert "CSRF" not in page
