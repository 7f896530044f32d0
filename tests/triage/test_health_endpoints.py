"""/health/live and /health/ready: no session, no patient data, never cached; ready answers 503
with its reasons when the database, the migrations, the worker or the outbox is not right."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.db import OperationalError
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from waypoint.notifications.models import Channel
from waypoint.notifications.services import message_enqueue
from waypoint.triage import health
from waypoint.triage.health import worker_heartbeat_record
from waypoint.triage.services import ReportInput, symptom_report_submit

T0 = dt.datetime(2026, 11, 23, 10, 10, tzinfo=dt.UTC)


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


def waiting_message(*, seconds: int) -> None:
    message_enqueue(
        channel=Channel.EMAIL,
        to="kate@example.nhs.uk",
        subject="Red symptom report",
        body="A report is waiting.",
        topic="triage.escalation",
        now=T0 - dt.timedelta(seconds=seconds),
    )


def ready() -> tuple[int, dict[str, object]]:
    with time_machine.travel(T0, tick=False):
        response = Client().get("/health/ready")
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # no session was started
    return response.status_code, json.loads(response.content)


def reasons(body: dict[str, object]) -> list[str]:
    return [reason["code"] for reason in body["reasons"]]  # type: ignore[attr-defined, index]


def test_live_answers_without_a_session_and_without_the_database():
    # No django_db mark: any query here would fail the test.
    response = Client().get("/health/live")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "live"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_ready_answers_200_when_the_worker_ran_recently_and_nothing_waits():
    beat(seconds_ago=5)
    status, body = ready()
    assert status == 200
    assert body["status"] == "ready"
    assert body["reasons"] == []
    assert body["database"] == {"reachable": True}
    assert body["migrations"] == {"unapplied": 0}
    assert body["worker"] == {"last_pass_age_seconds": 5, "stale_after_seconds": 120}
    assert body["outbox"] == {"oldest_waiting_age_seconds": None, "stale_after_seconds": 600}
    assert body["triage"] == {"red_reports_past_clock": 0}


@pytest.mark.django_db
def test_ready_answers_503_when_no_worker_has_ever_run():
    status, body = ready()
    assert status == 503
    assert body["status"] == "not ready"
    assert reasons(body) == ["worker_not_running"]
    assert body["worker"]["last_pass_age_seconds"] is None  # type: ignore[index]


@pytest.mark.django_db
@pytest.mark.parametrize(("seconds_ago", "status"), [(120, 200), (121, 503)])
def test_ready_answers_503_when_the_newest_heartbeat_is_over_two_minutes_old(seconds_ago, status):
    beat(seconds_ago=seconds_ago)
    assert ready()[0] == status


@pytest.mark.django_db
@pytest.mark.parametrize(("seconds", "status"), [(600, 200), (601, 503)])
def test_ready_answers_503_when_a_message_has_waited_over_ten_minutes(seconds, status):
    beat(seconds_ago=5)
    waiting_message(seconds=seconds)
    code, body = ready()
    assert code == status
    assert body["outbox"]["oldest_waiting_age_seconds"] == seconds  # type: ignore[index]
    assert reasons(body) == ([] if status == 200 else ["outbox_stale"])


@pytest.mark.django_db
def test_the_thresholds_are_settings(settings):
    settings.WAYPOINT_WORKER_STALE_SECONDS = 30
    settings.WAYPOINT_OUTBOX_STALE_SECONDS = 60
    beat(seconds_ago=31)
    waiting_message(seconds=61)
    assert reasons(ready()[1]) == ["worker_not_running", "outbox_stale"]


@pytest.mark.django_db
def test_ready_answers_503_when_a_migration_is_not_applied():
    beat(seconds_ago=5)
    # The newest triage migration, as if it had just been deployed and not yet applied (the plan
    # to the leaf nodes does not look behind a leaf that is applied).
    MigrationRecorder.Migration.objects.filter(app="triage").latest("id").delete()
    status, body = ready()
    assert status == 503
    assert reasons(body) == ["migrations_unapplied"]
    assert body["migrations"] == {"unapplied": 1}


class _Unreachable:
    def cursor(self) -> None:
        raise OperationalError("could not connect to server: Connection refused")


@pytest.mark.django_db
def test_ready_answers_503_when_the_database_does_not_answer(monkeypatch):
    monkeypatch.setattr(health, "connection", _Unreachable())
    status, body = ready()
    assert status == 503
    assert reasons(body) == ["database_unreachable"]
    assert body["database"] == {"reachable": False}
    assert "Connection refused" not in json.dumps(body)


@pytest.mark.django_db
def test_ready_counts_red_reports_past_their_clock_and_names_nobody(world):
    symptom_report_submit(
        actor=world.patient_user,
        patient=world.patient,
        source="patient",
        data=ReportInput(
            symptoms=[{"code": "limb_weakness", "present": True}],
            reported_at=T0 - dt.timedelta(minutes=61),
        ),
        now=T0 - dt.timedelta(minutes=61),
    )
    beat(seconds_ago=5)
    _, body = ready()
    assert body["triage"] == {"red_reports_past_clock": 1}
    text = json.dumps(body)
    for private in (
        world.patient.given_name,
        world.patient.family_name,
        world.patient.nhs_number,
        world.patient.phone,
        "limb",
    ):
        assert private not in text
    assert set(body) == {
        "status",
        "reasons",
        "database",
        "migrations",
        "worker",
        "outbox",
        "triage",
    }
