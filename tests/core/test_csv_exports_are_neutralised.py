"""Every CSV Waypoint writes neutralises cells a spreadsheet would run as a formula (OWASP CSV
injection): a team named like a formula reaches each export as quoted text."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.utils import timezone
from tests.world import World, make_patient

from waypoint.careteam.models import Team
from waypoint.careteam.services import team_create
from waypoint.core.csv_export import neutralise
from waypoint.standards.services import standards_snapshot

FORMULA = '=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 7700", "'+44 7700"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Breast Team A", "Breast Team A"),
        ("2026-12-01", "2026-12-01"),
        ("", ""),
        ("a=b", "a=b"),
        (-3, -3),
        (-1.5, -1.5),
        (0, 0),
        (None, None),
    ],
)
def test_only_text_that_starts_like_a_formula_is_quoted(value: object, written: object) -> None:
    assert neutralise(value) == written


@pytest.fixture
def formula_team_client(world: World, client: Client) -> tuple[Client, int]:
    team = team_create(
        organisation=world.organisation,
        name=FORMULA,
        in_hours_phone="020 7946 0404",
        out_of_hours_phone="020 7946 0999",
    )
    client.force_login(world.manager)
    return client, team.pk


def _cells(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) > 1
    return [cell for row in rows for cell in row]


def _assert_neutralised(cells: list[str]) -> None:
    assert f"'{FORMULA}" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]


def test_the_care_standards_csv_quotes_a_formula_team_name(formula_team_client) -> None:  # type: ignore[no-untyped-def]
    client, team_id = formula_team_client
    make_patient(team=Team.objects.get(pk=team_id), given="Dora")
    standards_snapshot(as_of=timezone.localdate())
    _assert_neutralised(_cells(client, f"/standards/export.csv?team={team_id}"))


@pytest.mark.parametrize("indicator", ["prevalence", "incidence", "response-times", "survival"])
def test_each_report_csv_quotes_a_formula_team_name(formula_team_client, indicator: str) -> None:  # type: ignore[no-untyped-def]
    client, team_id = formula_team_client
    _assert_neutralised(_cells(client, f"/reports/{indicator}.csv?team={team_id}"))


def test_the_experience_csv_quotes_a_formula_team_name(formula_team_client) -> None:  # type: ignore[no-untyped-def]
    client, team_id = formula_team_client
    _assert_neutralised(_cells(client, f"/experience/export.csv?team={team_id}"))
