"""While the database cannot be reached, every request answers 503 with Retry-After, wherever it
fails (the session, the signed-in user, the view, the session or messages saved afterwards): pages
the page drawn without the database with the help to get now, /api/v1/ its JSON envelope and
/fhir its OperationOutcome. Never a 500, and never a redirect to sign in again.

The outage is simulated by making every connection attempt raise OperationalError, as psycopg does
while PostgreSQL is down; tests/core/test_database_outage_postgresql.py stops a real server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib import messages
from django.db import OperationalError, ProgrammingError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from tests.core.page_text import text
from tests.world import PASSWORD, World

from waypoint.config.urls import urlpatterns as waypoint_urls
from waypoint.core.outage import TEAM_COOKIE
from waypoint.triage.rules import advice

pytestmark = pytest.mark.django_db

DOWN = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
SERVICE_OUT_OF_HOURS = "0300 555 0100"


@contextmanager
def database_down() -> Iterator[None]:
    """Every new query fails to reach the server, as while PostgreSQL is stopped."""
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=DOWN):
        yield


_outage: list[mock._patch[mock.MagicMock]] = []


def _down_after_the_view(request: HttpRequest) -> HttpResponse:
    """Works, changes the session and leaves a long message; then the database goes down, before
    the session and the messages are saved."""
    request.session["seen"] = True
    messages.info(request, "A long note. " * 600)  # too long for the cookie: kept in the session
    outage = mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=DOWN)
    outage.start()
    _outage.append(outage)
    return HttpResponse("done")


def _needs_the_database(request: HttpRequest) -> HttpResponse:
    from waypoint.registry.models import Patient

    return HttpResponse(str(Patient.objects.count()))


def _faulty_query(request: HttpRequest) -> HttpResponse:
    raise ProgrammingError('relation "registry_patient" does not exist')


urlpatterns = [
    path("down-after-the-view/", _down_after_the_view),
    path("faulty-query/", _faulty_query),
    path("needs-the-database/", _needs_the_database),
    *waypoint_urls,
]
handler400 = "waypoint.core.error_pages.bad_request"
handler500 = "waypoint.core.error_pages.server_error"


@pytest.fixture(autouse=True)
def _production(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    settings.WAYPOINT_HELPLINE_PHONE = "0808 800 6000"
    settings.WAYPOINT_HELPLINE_HOURS = "Monday to Friday 9am to 4pm"
    settings.WAYPOINT_OUT_OF_HOURS_PHONE = ""
    with override_settings(ROOT_URLCONF=__name__):
        yield
    while _outage:
        _outage.pop().stop()


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _assert_outage_page(response: HttpResponse) -> str:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    main = text(html, "nhsuk-main-wrapper")
    assert "Sorry, Waypoint is not available at the moment" in main
    for words in (advice.EMERGENCY_CALL, advice.EMERGENCY_NOTE, advice.URGENT_CALL):
        assert words in main
    assert advice.EMERGENCY_SIGNS[0].words in main and advice.URGENT_SIGNS[0].words in main
    assert 'href="tel:999"' in html
    assert "0808 800 6000" in main and "Monday to Friday 9am to 4pm" in main
    assert "nhsuk-header__navigation" not in html  # not base.html, which needs the session
    return main


def _assert_api_unavailable(response: HttpResponse) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "error": {
            "code": "unavailable",
            "message": "The service is unavailable for a moment. Try again shortly.",
            "fields": {},
        }
    }


def test_an_anonymous_page_answers_the_outage_page_with_the_appointment_letter(
    world: World,
) -> None:
    with database_down():
        response = Client(raise_request_exception=False).get("/needs-the-database/")
    main = _assert_outage_page(response)
    assert "Call your team on the number on your appointment letter." in main


def test_the_outage_page_gives_the_services_out_of_hours_number_when_it_knows_no_team(
    world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.WAYPOINT_OUT_OF_HOURS_PHONE = SERVICE_OUT_OF_HOURS
    with database_down():
        response = Client(raise_request_exception=False).get("/needs-the-database/")
    main = _assert_outage_page(response)
    assert f"Out of hours, day or night: {SERVICE_OUT_OF_HOURS}" in main
    assert 'href="tel:03005550100"' in response.content.decode()


def test_a_signed_in_patient_is_not_sent_to_sign_in_and_sees_their_teams_numbers(
    world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.WAYPOINT_OUT_OF_HOURS_PHONE = SERVICE_OUT_OF_HOURS
    client = _signed_in(world.patient_user)
    assert client.get("/portal/").status_code == 200  # the portal keeps the team's numbers
    with database_down():
        pages = [client.get(p) for p in ("/portal/", "/", "/login/", "/portal/symptoms/")]
    for response in pages:
        assert "Location" not in response, "sent to sign in again while the database was down"
        main = _assert_outage_page(response)
        assert "Breast Team A, in working hours: 020 7946 0101" in main
        assert "Out of hours, day or night: 020 7946 0999" in main
        assert SERVICE_OUT_OF_HOURS not in main  # the person's own team's number, not the service's
    assert client.get("/portal/").status_code == 200  # still signed in once the database is back


def test_a_signed_in_clinician_gets_the_outage_page_not_the_sign_in_page(world: World) -> None:
    client = _signed_in(world.key_worker)
    with database_down():
        response = client.get("/caseload/")
    _assert_outage_page(response)


def test_signing_in_while_the_database_is_down_says_unavailable_not_a_wrong_password(
    world: World,
) -> None:
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.post("/login/", {"username": "patient", "password": PASSWORD})
    _assert_outage_page(response)


def test_saving_the_session_and_messages_after_the_view_answers_503(world: World) -> None:
    client = _signed_in(world.patient_user)
    response = client.get("/down-after-the-view/")
    _assert_outage_page(response)


def test_the_api_with_a_session_answers_503_with_its_envelope(world: World) -> None:
    client = _signed_in(world.patient_user)
    report = {"source": "patient", "symptoms": [{"code": "pain", "grade": 1}]}
    with database_down():
        read = client.get("/api/v1/me")
        write = client.post(
            f"/api/v1/patients/{world.patient.pk}/symptom-reports",
            report,
            content_type="application/json",
        )
    _assert_api_unavailable(read)
    _assert_api_unavailable(write)


def test_the_api_with_a_token_answers_503_with_its_envelope(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    api = api_as(world.patient_user)
    api.client.raise_request_exception = False
    report = {"source": "patient", "symptoms": [{"code": "pain", "grade": 1}]}
    with database_down():
        read = api.get(f"/patients/{world.patient.pk}/symptom-reports")
        write = api.post(
            f"/patients/{world.patient.pk}/symptom-reports", report, HTTP_IDEMPOTENCY_KEY="k-1"
        )
    _assert_api_unavailable(read)
    _assert_api_unavailable(write)


def test_fhir_answers_a_transient_operation_outcome(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    api = api_as(world.key_worker)
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {api.token}")
    session = _signed_in(world.key_worker)
    with database_down():
        by_token = client.get(f"/fhir/Patient/{world.patient.pk}")
        by_session = session.get(f"/fhir/Patient/{world.patient.pk}")
    for response in (by_token, by_session):
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert response["Content-Type"].startswith("application/fhir+json")
        outcome = json.loads(response.content)
        assert outcome["resourceType"] == "OperationOutcome"
        assert outcome["issue"][0]["code"] == "transient"


def test_the_fhir_view_passes_a_lost_connection_on_rather_than_answering_500(
    world: World, api_as
) -> None:  # type: ignore[no-untyped-def]
    """The bearer token is taken as checked, so the first query to fail is the view's own,
    inside the FHIR wrapper that turns other faults into a 500 OperationOutcome."""
    api = api_as(world.key_worker)
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {api.token}")
    with (
        mock.patch("waypoint.fhir.http._bearer_user", return_value=world.key_worker),
        database_down(),
    ):
        response = client.get(f"/fhir/Patient/{world.patient.pk}")
    assert response.status_code == 503
    assert json.loads(response.content)["issue"][0]["code"] == "transient"


def test_a_fault_in_a_query_is_a_500_not_an_outage(world: World) -> None:
    """Retrying a bug does not help: only a connection refused or lost answers 503."""
    response = Client(raise_request_exception=False).get("/faulty-query/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Sorry, there is a problem with the service" in text(
        response.content.decode(), "nhsuk-main-wrapper"
    )


def test_a_forged_team_cookie_is_ignored(world: World) -> None:
    client = Client(raise_request_exception=False)
    client.cookies[TEAM_COOKIE] = '{"name": "Fake team", "in": "0900 000 000", "out": "1"}'
    with database_down():
        response = client.get("/needs-the-database/")
    main = _assert_outage_page(response)
    assert "Fake team" not in main and "0900 000 000" not in main
    assert "Call your team on the number on your appointment letter." in main
