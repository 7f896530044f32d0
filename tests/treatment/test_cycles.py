"""Treatment cycles: numbered within their line, inside the line's dates, team only."""

from __future__ import annotations

import pytest

from waypoint.audit.models import AuditEvent
from waypoint.treatment.models import TreatmentCycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(world, api_as):  # type: ignore[no-untyped-def]
    response = api_as(world.key_worker).post(
        f"/patients/{world.patient.pk}/treatment-lines",
        {"kind": "chemotherapy", "drugs": "Paclitaxel", "started_on": "2026-10-05"},
    )
    return response.json()


def test_cycles_are_numbered_in_order_and_move_the_last_dose(world, api_as, line):
    nurse = api_as(world.key_worker)
    path = f"/treatment-lines/{line['id']}/cycles"
    for on in ("2026-10-05", "2026-10-26"):
        assert nurse.post(path, {"started_on": on}).status_code == 201
    third = nurse.post(
        path, {"started_on": "2026-11-16", "dose_modified": True, "note": "Neuropathy"}
    )
    assert (third.json()["number"], third.json()["dose_modified"]) == (3, True)
    assert [c["number"] for c in nurse.get(path).json()] == [1, 2, 3]
    assert str(TreatmentCycle.objects.get(number=3).line.last_dose_on) == "2026-11-16"
    assert AuditEvent.objects.filter(object_type="treatment_cycle").count() == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"started_on": "2026-10-04"}, "started_on"),  # the day before the line started
        ({"started_on": "2099-01-01"}, "started_on"),
        ({"started_on": "2026-10-05", "number": 0}, "number"),
    ],
)
def test_bad_cycles_are_refused(world, api_as, line, body, field):
    response = api_as(world.key_worker).post(f"/treatment-lines/{line['id']}/cycles", body)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert not TreatmentCycle.objects.exists()


def test_a_cycle_number_is_used_once_and_a_stopped_line_takes_none_after_its_stop(
    world, api_as, line
):
    nurse = api_as(world.key_worker)
    path = f"/treatment-lines/{line['id']}/cycles"
    assert nurse.post(path, {"started_on": "2026-10-05", "number": 1}).status_code == 201
    again = nurse.post(path, {"started_on": "2026-10-06", "number": 1})
    assert (again.status_code, list(again.json()["error"]["fields"])) == (422, ["number"])
    nurse.post(
        f"/treatment-lines/{line['id']}/stop", {"stopped_on": "2026-10-20", "reason": "toxicity"}
    )
    assert nurse.post(path, {"started_on": "2026-10-20"}).status_code == 201  # the stop day itself
    late = nurse.post(path, {"started_on": "2026-10-21"})
    assert late.status_code == 422


def test_outsiders_cannot_read_or_record_cycles(world, api_as, line):
    for persona in (world.other_team_nurse, world.patient_user, world.manager):
        api = api_as(persona)
        assert (
            api.post(
                f"/treatment-lines/{line['id']}/cycles", {"started_on": "2026-10-05"}
            ).status_code
            == 404
        )
    assert (
        api_as(world.other_team_nurse).get(f"/treatment-lines/{line['id']}/cycles").status_code
        == 404
    )
    assert api_as(world.key_worker).get("/treatment-lines/999999/cycles").status_code == 404
    assert not TreatmentCycle.objects.exists()


def test_the_record_page_offers_a_cycle_and_the_timeline_shows_it(world, client, api_as, line):
    client.force_login(world.key_worker)
    response = client.post(
        f"/treatment-lines/{line['id']}/cycles/new/", {"started_on": "2026-10-05"}
    )
    assert response.status_code == 302
    assert "Record a cycle" in client.get(f"/patients/{world.patient.pk}/").content.decode()
    kinds = [
        e["kind"]
        for e in api_as(world.key_worker).get(f"/patients/{world.patient.pk}/timeline").json()
    ]
    assert "cycle" in kinds
