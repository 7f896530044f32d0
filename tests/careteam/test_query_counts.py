"""List pages cost a fixed number of queries, whatever the caseload size."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.world import World, make_patient

from waypoint.careteam.services import keyworker_assign


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def _grow_caseload(world: World, count: int) -> None:
    for i in range(count):
        patient = make_patient(team=world.team_a, family=f"Extra{i}", sites=("bone", "liver"))
        if i % 2:
            keyworker_assign(
                actor=None, patient=patient, key_worker_id=world.key_worker.pk, reason="x"
            )


PATHS = [
    "/caseload/",
    "/caseload/?scope=team",
    "/worklists/unassigned/",
    "/patients/?q=Extra",
    "/api/v1/patients?q=",
    "/api/v1/worklists/unassigned",
]


def test_list_pages_cost_the_same_queries_for_2_or_40_patients(world: World) -> None:
    client = Client()
    client.force_login(world.key_worker)
    _grow_caseload(world, 2)
    small = {path: _queries(client, path) for path in PATHS}
    _grow_caseload(world, 38)
    large = {path: _queries(client, path) for path in PATHS}
    assert large == small
    # The caseload's "care standards due" column gathers each person's facts for the rules in
    # a fixed ~20 queries (waypoint.standards.selectors.facts_for), whatever the page size.
    caseload = {p: n for p, n in small.items() if p.startswith("/caseload/")}
    others = {p: n for p, n in small.items() if p not in caseload}
    assert max(caseload.values()) <= 40, caseload
    assert max(others.values()) <= 25, others
