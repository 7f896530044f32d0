"""Lines of systemic therapy through the API: numbered, one active at a time, stopped with a
reason, for the team only."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_lines_are_numbered_one_active_at_a_time_and_stopped_with_a_reason(world, api_as):
    nurse = api_as(world.key_worker)
    path = f"/patients/{world.patient.pk}/treatment-lines"
    first = nurse.post(
        path, {"kind": "targeted", "drugs": "Palbociclib and letrozole", "started_on": "2026-10-05"}
    )
    assert first.status_code == 201, first.content
    assert (first.json()["line_number"], first.json()["is_active"]) == (1, True)
    second = nurse.post(
        path, {"kind": "chemotherapy", "drugs": "Capecitabine", "started_on": "2026-11-01"}
    )
    assert second.status_code == 409
    bad = nurse.post(
        f"/treatment-lines/{first.json()['id']}/stop",
        {"stopped_on": "2026-11-01", "reason": "bored"},
    )
    assert bad.status_code == 422
    stopped = nurse.post(
        f"/treatment-lines/{first.json()['id']}/stop",
        {"stopped_on": "2026-11-01", "reason": "progression"},
    )
    assert stopped.json()["stop_reason"] == "progression"
    assert (
        nurse.post(
            path, {"kind": "chemotherapy", "drugs": "Capecitabine", "started_on": "2026-11-02"}
        ).json()["line_number"]
        == 2
    )
    assert [line["line_number"] for line in nurse.get(path).json()] == [1, 2]


def test_only_the_team_records_treatment(world, api_as):
    body = {"kind": "endocrine", "drugs": "Letrozole", "started_on": "2026-10-05"}
    path = f"/patients/{world.patient.pk}/treatment-lines"
    assert api_as(world.other_team_nurse).post(path, body).status_code == 404
    assert api_as(world.patient_user).post(path, body).status_code == 404
    assert api_as(world.patient_user).get(path).status_code == 200  # the person reads their own
