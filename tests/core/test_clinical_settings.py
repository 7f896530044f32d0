"""One setting per clinical deadline: the care standard, the lists and the pages' words agree.

The key-worker deadline (KW1) and the needs-assessment deadline (HNA1, HNA2) are each read from
their care standard's setting, ``WAYPOINT_STANDARD_<NAME>_DAYS``, everywhere they are used.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.utils.html import strip_tags
from tests.config.production_env import development_environment, run_python
from tests.core.page_text import texts
from tests.world import World, make_patient

TODAY = dt.date(2026, 11, 20)
NOON = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


def _deadlines(**days: int) -> dict[str, int]:
    return {**settings.WAYPOINT_STANDARDS_DEADLINES, **days}


def _words(html: str) -> str:
    return " ".join(strip_tags(html).split())


def _standards(api: Any, patient_id: int) -> dict[str, dict[str, Any]]:
    return {s["code"]: s for s in api.get(f"/patients/{patient_id}/standards").json()}


def test_a_key_worker_deadline_of_ten_days_is_used_by_pages_worklist_and_standard(
    world: World,
    client: Client,
    api_as: Any,
) -> None:
    with (
        time_machine.travel(NOON),
        override_settings(WAYPOINT_STANDARDS_DEADLINES=_deadlines(key_worker_days=10)),
    ):
        on_time = make_patient(
            team=world.team_a, family="Tenth", metastatic_on=TODAY - dt.timedelta(days=10)
        )
        late = make_patient(
            team=world.team_a, family="Eleventh", metastatic_on=TODAY - dt.timedelta(days=11)
        )
        client.force_login(world.key_worker)
        caseload = client.get("/caseload/?scope=team")
        unassigned = client.get("/worklists/unassigned/")
        api = api_as(world.key_worker)
        worklist = api.get("/worklists/unassigned").json()
        standards = {p.pk: _standards(api, p.pk) for p in (on_time, late)}

    # With the default of 14 days neither would be overdue yet.
    assert "1 waiting over 10 days (overdue)" in texts(caseload.content.decode(), "wp-count")
    assert caseload.context["page"].overdue_unassigned_count == 1
    page = _words(unassigned.content.decode())
    assert "a named key worker within 10 days of diagnosis" in page
    assert "2 people are waiting; 1 for more than 10 days." in page
    assert "14 days" not in page
    assert unassigned.context["page"].overdue_count == 1
    overdue = {item["patient"]: item["overdue"] for item in worklist["items"]}
    assert overdue == {on_time.pk: False, late.pk: True}
    assert standards[on_time.pk]["KW1"]["status"] == "pending"
    assert standards[on_time.pk]["KW1"]["deadline"] == "2026-11-20"
    assert standards[late.pk]["KW1"]["status"] == "not_met"
    assert standards[late.pk]["KW1"]["deadline"] == "2026-11-19"


def test_a_deadline_of_one_day_reads_in_the_singular(world: World, client: Client) -> None:
    with override_settings(WAYPOINT_STANDARDS_DEADLINES=_deadlines(key_worker_days=1)):
        client.force_login(world.key_worker)
        caseload = client.get("/caseload/").content.decode()
        unassigned = _words(client.get("/worklists/unassigned/").content.decode())
    assert any("waiting over 1 day " in t + " " for t in texts(caseload, "wp-count"))
    assert "1 days" not in _words(caseload)
    assert "within 1 day of diagnosis" in unassigned
    assert "for more than 1 day." in unassigned


def test_a_needs_assessment_deadline_of_ten_days_is_used_by_caseload_record_and_standard(
    world: World,
    client: Client,
    api_as: Any,
) -> None:
    with (
        time_machine.travel(NOON),
        override_settings(WAYPOINT_STANDARDS_DEADLINES=_deadlines(hna_days=10)),
    ):
        on_time = make_patient(
            team=world.team_a, family="Tenth", metastatic_on=TODAY - dt.timedelta(days=10)
        )
        late = make_patient(
            team=world.team_a, family="Eleventh", metastatic_on=TODAY - dt.timedelta(days=11)
        )
        client.force_login(world.key_worker)
        caseload = client.get("/caseload/?scope=team")
        record = client.get(f"/patients/{late.pk}/")
        api = api_as(world.key_worker)
        standards = {p.pk: _standards(api, p.pk) for p in (on_time, late)}

    hna = {row.patient.pk: row.hna for row in caseload.context["page"].rows}
    # With the default of 31 days neither would be overdue yet.
    assert (hna[on_time.pk].due, hna[on_time.pk].overdue) == (True, False)
    assert hna[on_time.pk].deadline == TODAY
    assert (hna[late.pk].due, hna[late.pk].overdue) == (True, True)
    assert hna[late.pk].deadline == TODAY - dt.timedelta(days=1)
    assert record.context["hna_due"].overdue is True
    assert standards[on_time.pk]["HNA1"]["status"] == "pending"
    assert standards[on_time.pk]["HNA1"]["deadline"] == "2026-11-20"
    assert standards[late.pk]["HNA1"]["status"] == "not_met"
    assert standards[late.pk]["HNA1"]["deadline"] == "2026-11-19"


def _load_settings(
    tmp_path: Path, env: dict[str, str], code: str
) -> subprocess.CompletedProcess[str]:
    return run_python(
        f"import django; django.setup(); {code}", {**development_environment(tmp_path), **env}
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("WAYPOINT_KEY_WORKER_DEADLINE_DAYS", "WAYPOINT_STANDARD_KEY_WORKER_DAYS"),
        ("WAYPOINT_HNA_OFFER_WITHIN_DAYS", "WAYPOINT_STANDARD_HNA_DAYS"),
    ],
)
def test_the_old_name_of_a_deadline_stops_start_up(tmp_path: Path, old: str, new: str) -> None:
    result = _load_settings(tmp_path, {old: "21"}, "pass")
    assert result.returncode != 0
    assert f"{old} is no longer read: set {new} instead" in result.stderr


def test_the_standards_names_set_the_deadline_everywhere(tmp_path: Path) -> None:
    result = _load_settings(
        tmp_path,
        {"WAYPOINT_STANDARD_KEY_WORKER_DAYS": "10", "WAYPOINT_STANDARD_HNA_DAYS": "12"},
        "from waypoint.core.clinical_settings import key_worker_deadline_days as k, "
        "needs_assessment_offer_days as h; "
        "from waypoint.standards.selectors import deadlines as d; "
        "print(k(), h(), d().key_worker_days, d().hna_days)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["10", "12", "10", "12"]
