"""The portal keeps the person's team name and numbers in a signed cookie, so that the page shown
while the database is down can give them (core/outage.py): nothing else goes in it, it is not
readable by scripts, and signing in or out deletes it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.test import Client
from tests.world import PASSWORD, World

from waypoint.core.outage import TEAM_COOKIE, TeamNumbers, team_numbers_recalled

pytestmark = pytest.mark.django_db


def _patient(world: World) -> Client:
    client = Client()
    client.force_login(world.patient_user)
    return client


def test_the_portal_keeps_only_the_teams_name_and_numbers_signed_and_httponly(
    world: World,
) -> None:
    response = _patient(world).get("/portal/")
    cookie = response.cookies[TEAM_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # plain HTTP in development (WAYPOINT_SECURE_COOKIES)
    assert int(cookie["max-age"]) == dt.timedelta(days=30).total_seconds()
    kept = signing.loads(cookie.value, salt="waypoint.core.outage.team")
    assert kept == {"name": "Breast Team A", "in": "020 7946 0101", "out": "020 7946 0999"}
    assert world.patient.nhs_number not in cookie.value


def test_the_cookie_is_secure_behind_https(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_COOKIE_SECURE = True
    assert _patient(world).get("/portal/").cookies[TEAM_COOKIE]["secure"] is True


def test_the_symptom_check_keeps_the_numbers_too(world: World) -> None:
    client = _patient(world)
    step = client.get("/portal/symptoms/", follow=True)
    assert step.status_code == 200
    assert TEAM_COOKIE in client.cookies
    assert client.cookies[TEAM_COOKIE].value


def test_the_kept_numbers_are_read_back_without_the_database(world: World, rf) -> None:  # type: ignore[no-untyped-def]
    value = _patient(world).get("/portal/").cookies[TEAM_COOKIE].value
    request = rf.get("/", HTTP_COOKIE=f"{TEAM_COOKIE}={value}")
    assert team_numbers_recalled(request) == TeamNumbers(
        name="Breast Team A", in_hours_phone="020 7946 0101", out_of_hours_phone="020 7946 0999"
    )


def test_a_clinicians_pages_keep_no_team_numbers(world: World) -> None:
    client = Client()
    client.force_login(world.key_worker)
    assert TEAM_COOKIE not in client.get("/caseload/").cookies


def test_signing_out_deletes_the_cookie(world: World) -> None:
    client = _patient(world)
    client.get("/portal/")
    response = client.post("/logout/")
    assert response.cookies[TEAM_COOKIE].value == ""
    assert response.cookies[TEAM_COOKIE]["max-age"] == 0
    assert client.cookies[TEAM_COOKIE].value == ""


def test_signing_in_deletes_the_last_persons_cookie(world: World) -> None:
    client = _patient(world)
    client.get("/portal/")
    client.logout()
    client.cookies[TEAM_COOKIE] = _patient(world).get("/portal/").cookies[TEAM_COOKIE].value
    response = client.post("/login/", {"username": "kw", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[TEAM_COOKIE]["max-age"] == 0
