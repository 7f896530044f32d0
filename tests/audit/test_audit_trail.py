from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction
from tests.world import World

from waypoint.audit.models import AuditEvent


def test_audit_events_cannot_be_changed_or_deleted(world: World) -> None:
    event = AuditEvent.objects.filter(patient=world.patient).first()
    assert event is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.reason == ""


def test_a_patient_sees_who_accessed_their_record(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    api_as(world.key_worker).get(f"/patients/{world.patient.pk}")
    log = api_as(world.patient_user).get(f"/patients/{world.patient.pk}/access-log").json()
    views = [e for e in log["items"] if e["action"] == "view"]
    assert views[-1]["actor_name"] == "Kate Walker"
    assert views[-1]["actor_role"] == "key_worker"


def test_nobody_reads_another_persons_access_log(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    url = f"/patients/{world.patient.pk}/access-log"
    assert api_as(world.other_patient_user).get(url).status_code == 404
    assert api_as(world.other_team_nurse).get(url).status_code == 404


def test_an_admin_searches_the_trail_by_user_and_action(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    api_as(world.key_worker).get(f"/patients/{world.patient.pk}")
    api_as(world.colleague).get(f"/patients/{world.patient.pk}")
    found = api_as(world.admin).get("/audit-events", {"username": "kw", "action": "view"}).json()
    assert found["count"] == 1
    assert found["items"][0]["patient"] == world.patient.pk
    assert (
        api_as(world.admin).get("/audit-events", {"patient": world.patient.pk}).json()["count"] >= 4
    )


@pytest.mark.parametrize("persona", ["key_worker", "manager", "patient_user", "helpline_nurse"])
def test_only_admins_search_the_trail(world: World, api_as, persona: str) -> None:  # type: ignore[no-untyped-def]
    assert api_as(getattr(world, persona)).get("/audit-events").status_code == 403


def test_a_list_records_each_person_shown(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    api_as(world.key_worker).get("/patients", {"q": "Lovelace"})
    listed = AuditEvent.objects.filter(actor=world.key_worker, action="list")
    assert [e.patient_id for e in listed] == [world.patient.pk]
    assert AuditEvent.objects.filter(actor=world.key_worker, action="search").count() == 1
