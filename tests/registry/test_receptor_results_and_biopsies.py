"""Receptor results kept with their date and tissue, the latest metastatic one becoming the
current status; biopsies of a metastasis settling BX1. Team only, audited."""

from __future__ import annotations

import pytest

from waypoint.audit.models import AuditEvent
from waypoint.registry.models import BiopsyDecision, ReceptorResult, SecondaryDiagnosis
from waypoint.registry.selectors import current_receptors, patient_detail_queryset

pytestmark = pytest.mark.django_db


def _result(api, patient_id, **body):  # type: ignore[no-untyped-def]
    return api.post(f"/patients/{patient_id}/receptor-results", body)


def test_the_latest_metastatic_result_becomes_the_current_status(world, api_as):
    nurse = api_as(world.key_worker)
    pid = world.patient.pk
    for marker, value, on in (("er", "positive", "2026-10-03"), ("her2", "low", "2026-10-03")):
        response = _result(
            nurse, pid, marker=marker, value=value, observed_on=on, specimen="metastatic"
        )
        assert response.status_code == 201, response.content
    # An older metastatic ER result arriving later does not overwrite the newer one.
    _result(
        nurse, pid, marker="er", value="negative", observed_on="2026-09-20", specimen="metastatic"
    )
    # A primary result never changes the metastatic status.
    _result(nurse, pid, marker="er", value="negative", observed_on="2026-10-20", specimen="primary")
    diagnosis = SecondaryDiagnosis.objects.get(patient=world.patient)
    assert (diagnosis.er, diagnosis.her2, str(diagnosis.receptors_assessed_on)) == (
        "positive",
        "low",
        "2026-10-03",
    )
    # A newer metastatic result (the disease changed: ER+ → ER−) does.
    _result(
        nurse, pid, marker="er", value="negative", observed_on="2026-11-10", specimen="metastatic"
    )
    patient = patient_detail_queryset(type(world.patient).objects.filter(pk=pid)).get()
    assert current_receptors(patient)[0] == "negative"
    listed = nurse.get(f"/patients/{pid}/receptor-results").json()
    assert [(r["marker"], r["observed_on"]) for r in listed] == [
        ("er", "2026-09-20"),
        ("er", "2026-10-03"),
        ("her2", "2026-10-03"),
        ("er", "2026-10-20"),
        ("er", "2026-11-10"),
    ]
    assert AuditEvent.objects.filter(object_type="ReceptorResult", action="create").count() == 5


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"marker": "ki67", "value": "positive"}, "marker"),
        ({"marker": "er", "value": "low"}, "value"),  # low is for HER2 only
        ({"marker": "her2", "value": "maybe"}, "value"),
        ({"marker": "er", "value": "positive", "specimen": "blood"}, "specimen"),
        ({"marker": "er", "value": "positive", "observed_on": "2099-01-01"}, "observed_on"),
        ({"marker": "er", "value": "positive", "observed_on": "1950-01-01"}, "observed_on"),
    ],
)
def test_bad_receptor_results_are_named_and_nothing_changes(world, api_as, body, field):
    full = {"observed_on": "2026-10-03", "specimen": "metastatic", **body}
    response = _result(api_as(world.key_worker), world.patient.pk, **full)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert not ReceptorResult.objects.exists()
    assert SecondaryDiagnosis.objects.get(patient=world.patient).er == ""


def test_a_biopsy_of_a_metastasis_records_the_biopsy_as_done(world, api_as):
    nurse = api_as(world.key_worker)
    path = f"/patients/{world.patient.pk}/biopsies"
    breast = nurse.post(path, {"performed_on": "2026-10-02", "note": "Core biopsy of the breast"})
    assert breast.status_code == 201
    diagnosis = SecondaryDiagnosis.objects.get(patient=world.patient)
    assert diagnosis.biopsy_decision == BiopsyDecision.NOT_DECIDED
    liver = nurse.post(
        path, {"performed_on": "2026-10-04", "site": "liver", "body_site": "segment 6"}
    )
    assert liver.status_code == 201
    diagnosis.refresh_from_db()
    assert diagnosis.biopsy_decision == BiopsyDecision.DONE
    assert [b["site"] for b in nurse.get(path).json()] == ["", "liver"]
    bad = nurse.post(path, {"performed_on": "2026-10-04", "site": "elbow"})
    assert (bad.status_code, list(bad.json()["error"]["fields"])) == (422, ["site"])


@pytest.mark.parametrize("persona", ["other_team_nurse", "other_patient_user", "manager"])
def test_outsiders_can_neither_read_nor_record_results(world, api_as, persona):
    api = api_as(getattr(world, persona))
    pid = world.patient.pk
    assert api.get(f"/patients/{pid}/receptor-results").status_code in (403, 404)
    assert api.get(f"/patients/{pid}/biopsies").status_code in (403, 404)
    assert _result(
        api, pid, marker="er", value="positive", observed_on="2026-10-03", specimen="metastatic"
    ).status_code in (403, 404)
    assert api.post(f"/patients/{pid}/biopsies", {"performed_on": "2026-10-04"}).status_code in (
        403,
        404,
    )
    assert not ReceptorResult.objects.exists()


def test_the_person_reads_their_own_results(world, api_as):
    _result(
        api_as(world.key_worker),
        world.patient.pk,
        marker="er",
        value="positive",
        observed_on="2026-10-03",
        specimen="metastatic",
    )
    own = api_as(world.patient_user).get(f"/patients/{world.patient.pk}/receptor-results")
    assert own.status_code == 200
    assert len(own.json()) == 1


def test_the_record_page_lists_results_and_biopsies_with_forms_for_the_team(world, client):
    client.force_login(world.key_worker)
    pid = world.patient.pk
    response = client.post(
        f"/patients/{pid}/receptor-results/new/",
        {
            "marker": "her2",
            "value": "positive",
            "observed_on": "2026-10-03",
            "specimen": "metastatic",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/patients/{pid}/biopsies/new/", {"performed_on": "2026-10-02", "site": "bone"}
    )
    assert response.status_code == 302
    page = client.get(f"/patients/{pid}/").content.decode()
    assert "Receptor results" in page and "Metastasis" in page
    assert "Bone" in page and "Record a biopsy" in page
    client.force_login(world.other_team_nurse)
    assert client.get(f"/patients/{pid}/biopsies/new/").status_code == 404
