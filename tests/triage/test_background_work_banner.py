"""The triage queue, the caseload and the admin pages say in plain words when escalations and
messages are not going out, and say nothing while the worker runs and messages leave."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.core.test_plain_words import visible_text

from waypoint.notifications.models import Channel
from waypoint.notifications.services import message_enqueue
from waypoint.triage.health import background_work_status, worker_heartbeat_record

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 23, 10, 10, tzinfo=dt.UTC)
HEADING = "Urgent alerts and messages are not going out"
PAGES = [("key_worker", "/triage/"), ("key_worker", "/caseload/"), ("admin", "/admin/")]


@pytest.fixture(autouse=True)
def _frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(T0, tick=False):
        yield


def beat(*, seconds_ago: int) -> None:
    worker_heartbeat_record(
        worker_id="app-1:4242",
        host="app-1",
        pid=4242,
        started_at=T0 - dt.timedelta(hours=1),
        at=T0 - dt.timedelta(seconds=seconds_ago),
        passes=10,
        job_failures=0,
    )


def page_text(world, persona: str, path: str) -> str:  # type: ignore[no-untyped-def]
    user = getattr(world, persona)
    if persona == "admin":
        user.is_staff = user.is_superuser = True
        user.save()
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    return visible_text(response.content.decode())


@pytest.mark.parametrize(("persona", "path"), PAGES)
def test_the_page_warns_when_no_worker_has_been_seen(world, persona, path):
    text = page_text(world, persona, path)
    assert HEADING in text
    assert "Waypoint's background worker has not been seen running." in text
    assert "nobody is alerted when a symptom report waits past its response time" in text
    assert "Tell IT (your service desk) now: Waypoint's background worker needs to be started." in (
        text
    )


@pytest.mark.parametrize(("persona", "path"), PAGES)
def test_the_page_says_how_long_ago_the_worker_last_ran(world, persona, path):
    beat(seconds_ago=60 * 14)
    assert "Waypoint's background worker last ran 14 minutes ago." in page_text(
        world, persona, path
    )


@pytest.mark.parametrize(("persona", "path"), PAGES)
def test_the_page_warns_when_a_message_has_waited_over_ten_minutes(world, persona, path):
    beat(seconds_ago=5)
    message_enqueue(
        channel=Channel.EMAIL,
        to="kate@example.nhs.uk",
        body="A report is waiting.",
        topic="triage.escalation",
        now=T0 - dt.timedelta(minutes=25),
    )
    text = page_text(world, persona, path)
    assert HEADING in text
    assert "A message has been waiting 25 minutes to be sent." in text
    assert "background worker is running but messages are not being sent" in text


@pytest.mark.parametrize(("persona", "path"), PAGES)
def test_the_page_says_nothing_while_the_worker_runs(world, persona, path):
    beat(seconds_ago=5)
    assert HEADING not in page_text(world, persona, path)


def test_the_admin_sign_in_page_shows_no_warning(world):
    response = Client().get("/admin/login/")
    assert HEADING not in response.content.decode()


def test_the_warning_costs_two_queries():
    with CaptureQueriesContext(connection) as captured:
        background_work_status(now=T0)
    assert len(captured) == 2
