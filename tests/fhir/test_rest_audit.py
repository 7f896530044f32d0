"""Every read and search of a person's resources through /fhir is on the audit trail."""

from __future__ import annotations

from django.db.models import Max

from tests.fhir.export_support import fhir_client
from waypoint.audit.models import AuditEvent


def events(**filters: object) -> list[tuple[str, str, str, int | None]]:
    return [
        (e.action, e.object_type, e.object_id, e.patient_id)
        for e in AuditEvent.objects.filter(**filters).order_by("id")
    ]


def test_a_read_records_the_view_and_the_resource_exported(world) -> None:  # type: ignore[no-untyped-def]
    client = fhir_client(world.key_worker)
    start = _last()
    pid = world.patient.pk
    assert client.get(f"/fhir/CareTeam/careteam-{pid}").status_code == 200
    assert events(actor=world.key_worker, id__gt=start) == [
        ("view", "Patient", str(pid), pid),
        ("export", "FHIR CareTeam", f"careteam-{pid}", pid),
    ]


def _last() -> int:
    """The id of the latest event so far: what a request writes comes after it."""
    return int(AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0)


def test_a_search_by_patient_and_everything_are_recorded(world) -> None:  # type: ignore[no-untyped-def]
    client = fhir_client(world.key_worker)
    pid = world.patient.pk
    start = _last()
    client.get("/fhir/Condition", {"patient": pid})
    client.get(f"/fhir/Patient/{pid}/$everything")
    recorded = events(actor=world.key_worker, id__gt=start)
    assert [(a, t, p) for a, t, _, p in recorded] == [
        ("view", "Patient", pid),
        ("export", "FHIR Condition", pid),
        ("view", "Patient", pid),
        ("export", "FHIR Patient/$everything", pid),
    ]
    detail = AuditEvent.objects.filter(object_type="FHIR Patient/$everything").get().detail
    assert detail.startswith("FHIR $everything: ")


def test_a_patient_search_records_the_search_and_each_person_sent(world) -> None:  # type: ignore[no-untyped-def]
    client = fhir_client(world.key_worker)
    start = _last()
    client.get("/fhir/Patient", {"birthdate": "1960-05-17"})
    recorded = events(actor=world.key_worker, id__gt=start)
    assert recorded[0][:2] == ("search", "FHIR Patient")
    assert sorted(p for a, _, _, p in recorded[1:] if a == "export") == sorted(
        [world.patient.pk, world.other_patient.pk]
    )
    search = AuditEvent.objects.filter(action="search", actor=world.key_worker).latest("id")
    assert "birthdate=1960-05-17" in search.detail


def test_the_helpline_reason_is_recorded(world) -> None:  # type: ignore[no-untyped-def]
    reason = "Caller Ada rang with a fever"
    client = fhir_client(world.helpline_nurse, HTTP_X_ACCESS_REASON=reason)
    client.get(f"/fhir/Patient/{world.patient.pk}")
    recorded = AuditEvent.objects.filter(actor=world.helpline_nurse)
    assert {(e.action, e.reason) for e in recorded} == {("view", reason), ("export", reason)}


def test_out_of_scope_requests_and_metadata_record_nothing(world) -> None:  # type: ignore[no-untyped-def]
    client = fhir_client(world.other_team_nurse)
    client.get(f"/fhir/Patient/{world.patient.pk}")
    client.get(f"/fhir/Patient/{world.patient.pk}/$everything")
    client.get("/fhir/Condition", {"patient": world.patient.pk})
    client.get("/fhir/metadata")
    client.get("/fhir/Questionnaire/hna")
    assert not AuditEvent.objects.filter(actor=world.other_team_nurse).exists()
    assert not AuditEvent.objects.filter(
        patient=world.patient, object_type__startswith="FHIR"
    ).exists()
