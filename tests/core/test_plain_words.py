"""Pages show words a person reads, never the codes Waypoint stores (snake_case, role codes,
``manage.py`` commands, bare grades). Each page is rendered with data of every kind it shows."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from tests.world import World

from waypoint.triage.models import SymptomReport
from waypoint.triage.services import ReportInput, symptom_report_submit

RAW = re.compile(
    r"\b[a-z]+_[a-z_]+\b"  # snake_case codes: symptom_report, service_manager, with_nurse
    r"|manage\.py"
    r"|\bGrade \d"
    r"|\b[Aa] (?:emergency|amber|EMERGENCY|AMBER)\b"
    r"|\b1 \w+ reports\b"
)


class _Visible(HTMLParser):
    """The text a sighted reader sees: no scripts, styles, closed dialogs or attribute values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "title", "template", "dialog"}:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "title", "template", "dialog"}:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def raw_words(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return RAW.findall(visible_text(response.content.decode()))


@pytest.fixture
def report(world: World) -> SymptomReport:
    """A report with an item of every kind, and a worsening alert as a check-in stores it."""
    stored, _ = symptom_report_submit(
        actor=world.patient_user,
        patient=world.patient,
        source="patient",
        data=ReportInput(
            symptoms=[
                {"code": "limb_weakness", "present": True},
                {"code": "temperature", "celsius": 38.2},
                {"code": "constipation", "hours_since_bowels_opened": 72},
                {"code": "breathlessness", "grade": 3},
            ],
            free_text="My legs feel heavy.",
        ),
    )
    stored.monitoring_alerts = [
        {"code": "limb_weakness", "grade": 3, "previous": 0, "why": "grade 3 (3 or more)"}
    ]
    stored.save(update_fields=["monitoring_alerts"])
    return stored


@pytest.mark.django_db
def test_staff_pages_show_no_internal_codes(world: World, report: SymptomReport) -> None:
    staff = Client()
    staff.force_login(world.key_worker)
    for url in ("/triage/", f"/triage/reports/{report.pk}/", "/caseload/"):
        staff.get(url)
    # The record's access trail now holds views of a symptom report and of lists.
    pages = {
        "/triage/": world.key_worker,
        f"/triage/reports/{report.pk}/": world.key_worker,
        "/caseload/": world.key_worker,
        f"/patients/{world.patient.pk}/": world.key_worker,
        f"/patients/{world.patient.pk}/standards/": world.key_worker,
        "/standards/": world.manager,
        "/audit/": world.admin,
        "/messages/": world.admin,
    }
    found = {}
    for url, user in pages.items():
        client = Client()
        client.force_login(user)
        found[url] = raw_words(client, url)
    assert found == {url: [] for url in pages}


@pytest.mark.django_db
def test_patient_pages_show_no_internal_codes(world: World, report: SymptomReport) -> None:
    client = Client()
    client.force_login(world.patient_user)
    pages = ["/portal/", "/portal/access/", f"/portal/symptoms/reports/{report.pk}/"]
    assert {url: raw_words(client, url) for url in pages} == {url: [] for url in pages}


@pytest.mark.django_db
def test_the_person_reads_their_answers_with_units(world: World, report: SymptomReport) -> None:
    client = Client()
    client.force_login(world.patient_user)
    text = visible_text(client.get(f"/portal/symptoms/reports/{report.pk}/").content.decode())
    assert "Temperature: 38.2 °C" in text
    assert "Hours since you last opened your bowels: 72" in text
    assert "Breathlessness: Breathless when resting" in text


@pytest.mark.django_db
def test_a_worsening_alert_names_the_symptom_in_words(world: World, report: SymptomReport) -> None:
    client = Client()
    client.force_login(world.key_worker)
    text = visible_text(client.get(f"/triage/reports/{report.pk}/").content.decode())
    assert "Limb weakness: grade 3 (3 or more)" in text
    assert "Limbweakness" not in text


@pytest.mark.django_db
def test_the_access_trail_names_what_was_opened(world: World, report: SymptomReport) -> None:
    client = Client()
    client.force_login(world.key_worker)
    client.get(f"/triage/reports/{report.pk}/")
    text = visible_text(client.get(f"/patients/{world.patient.pk}/").content.decode())
    assert "Viewed the record: symptom report" in text


@pytest.mark.django_db
def test_the_audit_trail_names_roles_and_actions_in_words(
    world: World, report: SymptomReport
) -> None:
    client = Client()
    client.force_login(world.manager)
    client.get("/standards/")
    client.force_login(world.admin)
    text = visible_text(client.get("/audit/").content.decode())
    assert "Service manager" in text
    assert "Care standards dashboard" in text
    assert "Saw figures in aggregate (no person named)" in text
