"""Named key worker: assignment, the one-current invariant, suggestions, worklist, cover."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone
from tests.world import World, make_patient

from waypoint.careteam.models import KeyWorkerAssignment
from waypoint.careteam.services import cover_arrange, keyworker_assign


def test_key_worker_endpoint_shows_who_to_contact(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    body = api_as(world.patient_user).get(f"/patients/{world.patient.pk}/key-worker").json()
    assert body["key_worker"]["name"] == "Kate Walker"
    assert body["contact"]["name"] == "Kate Walker"
    assert body["covering"] is None
    assert body["team"]["out_of_hours_phone"] == "020 7946 0999"
    assert body["suggestion"] is None  # a patient is never offered staff suggestions


def test_cover_is_honoured_wherever_the_contact_is_shown(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    cover_arrange(
        actor=world.key_worker,
        absent_user_id=world.key_worker.pk,
        cover_user_id=world.colleague.pk,
        starts_on=today,
        ends_on=today + dt.timedelta(days=6),
    )
    body = api_as(world.patient_user).get(f"/patients/{world.patient.pk}/key-worker").json()
    assert body["key_worker"]["name"] == "Kate Walker"
    assert body["covering"]["name"] == "Colin Lee"
    assert body["contact"]["name"] == "Colin Lee"
    assert body["cover_until"] == str(today + dt.timedelta(days=6))
    with time_machine.travel(timezone.now() + dt.timedelta(days=7)):
        after = api_as(world.patient_user).get(f"/patients/{world.patient.pk}/key-worker").json()
    assert after["contact"]["name"] == "Kate Walker"


def test_assigning_replaces_the_current_key_worker_and_keeps_history(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.key_worker).put(
        f"/patients/{world.patient.pk}/key-worker",
        {"user": world.colleague.pk, "reason": "Moved to Colin's clinic"},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["key_worker"]["name"] == "Colin Lee"
    assert [h["key_worker"]["name"] for h in body["history"]] == ["Colin Lee", "Kate Walker"]
    assert body["history"][1]["end_reason"] == "Moved to Colin's clinic"
    assert KeyWorkerAssignment.objects.filter(patient=world.patient, ended_at=None).count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("colleague", 200), ("oncologist", 200), ("other_team_nurse", 404), ("helpline_nurse", 404)],
)
def test_who_may_assign(world: World, api_as, persona: str, status: int) -> None:  # type: ignore[no-untyped-def]
    response = api_as(getattr(world, persona)).put(
        f"/patients/{world.patient.pk}/key-worker",
        {"user": world.colleague.pk, "reason": "Rebalancing caseloads"},
    )
    assert response.status_code == status


def test_a_patient_cannot_choose_their_own_key_worker(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.patient_user).put(
        f"/patients/{world.patient.pk}/key-worker",
        {"user": world.colleague.pk, "reason": "I prefer Colin"},
    )
    assert response.status_code == 403
    assert KeyWorkerAssignment.objects.get(patient=world.patient, ended_at=None).key_worker == (
        world.key_worker
    )


@pytest.mark.parametrize(
    ("who", "reason", "field"),
    [
        ("other_team_nurse", "New diagnosis", "user"),  # not in the patient's team
        ("oncologist", "New diagnosis", "user"),  # not a clinical nurse specialist
        ("colleague", "", "reason"),
        ("key_worker", "Again", "user"),  # already the key worker
    ],
)
def test_invalid_assignments_change_nothing(
    world: World, api_as, who: str, reason: str, field: str
) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.key_worker).put(
        f"/patients/{world.patient.pk}/key-worker",
        {"user": getattr(world, who).pk, "reason": reason},
    )
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert KeyWorkerAssignment.objects.filter(patient=world.patient).count() == 1


def test_the_database_refuses_two_current_key_workers(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyWorkerAssignment.objects.create(
            patient=world.patient,
            key_worker=world.colleague,
            started_at=timezone.now(),
            start_reason="bypassing the service",
            assigned_by=world.colleague,
        )


def test_unassigned_worklist_counts_days_waiting_and_suggests_the_lightest_caseload(
    world: World,
    api_as,  # type: ignore[no-untyped-def]
) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)):
        waiting = make_patient(
            team=world.team_a, given="Wren", family="Waiting", metastatic_on=dt.date(2026, 11, 1)
        )
        recent = make_patient(
            team=world.team_a, given="Rae", family="Recent", metastatic_on=dt.date(2026, 11, 15)
        )
        body = api_as(world.key_worker).get("/worklists/unassigned").json()
    assert [i["patient"] for i in body["items"]] == [waiting.pk, recent.pk]
    first, second = body["items"]
    assert (first["days_waiting"], first["overdue"]) == (19, True)  # KW1: over 14 days
    assert (second["days_waiting"], second["overdue"]) == (5, False)
    # Kate and Colin each have one patient; the tie goes by name (Colin Lee, then Kate Walker),
    # and the second suggestion counts the first.
    assert first["suggestion"]["name"] == "Colin Lee"
    assert second["suggestion"]["name"] == "Kate Walker"
    assert first["suggestion"]["rules_version"] == "waypoint-keyworker-suggest-1"


def test_the_worklist_boundary_is_fourteen_days(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC)):
        make_patient(team=world.team_a, family="Fourteen", metastatic_on=dt.date(2026, 11, 1))
        make_patient(team=world.team_a, family="Fifteen", metastatic_on=dt.date(2026, 10, 31))
        items = api_as(world.key_worker).get("/worklists/unassigned").json()["items"]
    overdue = {i["name"].split()[-1]: (i["days_waiting"], i["overdue"]) for i in items}
    assert overdue == {"Fifteen": (15, True), "Fourteen": (14, False)}


def test_bulk_reassign_to_a_named_colleague(world: World) -> None:
    from waypoint.careteam.services import keyworker_bulk_reassign

    moved = keyworker_bulk_reassign(
        actor=world.manager,
        from_user_id=world.colleague.pk,
        to_user_id=world.key_worker.pk,
        reason="Colin left",
        day=timezone.localdate(),
    )
    assert moved == 1
    assert world.other_patient.key_worker_assignments.get(ended_at=None).key_worker == (
        world.key_worker
    )


def test_unassigned_worklist_is_for_the_care_team_only(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    assert api_as(world.manager).get("/worklists/unassigned").status_code == 403
    assert api_as(world.patient_user).get("/worklists/unassigned").status_code == 403
    team_b = api_as(world.other_team_nurse).get("/worklists/unassigned").json()
    assert [i["name"] for i in team_b["items"]] == ["Cleo Bee"]


def test_bulk_reassign_balances_a_leaving_nurses_caseload(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    from tests.world import make_user

    from waypoint.accounts.models import Role
    from waypoint.careteam.services import team_membership_add

    third = make_user("third", Role.KEY_WORKER, first="Tia", last="Third")
    team_membership_add(team=world.team_a, user=third)
    patients = [make_patient(team=world.team_a, family=f"Moving{i}") for i in range(4)]
    for patient in patients:
        keyworker_assign(actor=None, patient=patient, key_worker_id=world.key_worker.pk, reason="x")
    response = api_as(world.manager).post(
        f"/key-workers/{world.key_worker.pk}/reassign", {"reason": "Kate is retiring"}
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"moved": 5}
    current = KeyWorkerAssignment.objects.filter(ended_at=None, patient__team=world.team_a)
    loads = {u: current.filter(key_worker=u).count() for u in (world.colleague, third)}
    # Colin had 1, Tia 0: five more patients leave them at 3 each.
    assert loads == {world.colleague: 3, third: 3}
    assert not current.filter(key_worker=world.key_worker).exists()


def test_only_a_manager_moves_a_whole_caseload(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.key_worker).post(
        f"/key-workers/{world.colleague.pk}/reassign", {"reason": "taking over"}
    )
    assert response.status_code == 403


def test_recording_a_death_ends_the_assignment(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.key_worker).patch(
        f"/patients/{world.patient.pk}", {"died_on": str(timezone.localdate())}
    )
    assert response.status_code == 200
    assert response.json()["life_status"] == "died"
    assignment = KeyWorkerAssignment.objects.get(patient=world.patient)
    assert assignment.ended_at is not None and assignment.end_reason == "Person died"
    worklist = api_as(world.key_worker).get("/worklists/unassigned").json()
    assert world.patient.pk not in [i["patient"] for i in worklist["items"]]


def test_cover_rules(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    kw = api_as(world.key_worker)
    own = kw.post(
        "/covers",
        {
            "absent_user": world.key_worker.pk,
            "cover_user": world.colleague.pk,
            "starts_on": str(today),
            "ends_on": str(today + dt.timedelta(days=3)),
        },
    )
    assert own.status_code == 201
    someone_elses = kw.post(
        "/covers",
        {
            "absent_user": world.colleague.pk,
            "cover_user": world.key_worker.pk,
            "starts_on": str(today),
            "ends_on": str(today),
        },
    )
    assert someone_elses.status_code == 422
    assert "absent_user" in someone_elses.json()["error"]["fields"]
    backwards = kw.post(
        "/covers",
        {
            "absent_user": world.key_worker.pk,
            "cover_user": world.other_team_nurse.pk,
            "starts_on": str(today),
            "ends_on": str(today - dt.timedelta(days=1)),
        },
    )
    assert set(backwards.json()["error"]["fields"]) == {"cover_user", "ends_on"}
    assert [c["cover_user"]["name"] for c in kw.get("/covers").json()] == ["Colin Lee"]
    assert kw.delete(f"/covers/{own.json()['id']}").status_code == 204
    assert kw.get("/covers").json() == []


@pytest.mark.parametrize("scope", ["mine", "team"])
@pytest.mark.parametrize("unassigned_only", [False, True])
@pytest.mark.parametrize("q", ["", "Wait"])
def test_caseload_totals_match_the_rows_whichever_filters(
    world: World, scope: str, unassigned_only: bool, q: str
) -> None:
    from waypoint.workspace import caseload as worklists

    today = timezone.localdate()
    cover_arrange(
        actor=world.colleague,
        absent_user_id=world.colleague.pk,
        cover_user_id=world.key_worker.pk,
        starts_on=today,
        ends_on=today,
    )
    for i in range(3):
        make_patient(team=world.team_a, family=f"Waiting{i}")
    filters = worklists.CaseloadFilters(scope=scope, unassigned_only=unassigned_only, q=q)
    page = worklists.caseload_open(
        actor=world.key_worker, day=today, filters=filters, page_size=100
    )
    assert page.count == len(page.rows)
    expected = worklists._caseload_queryset(world.key_worker, filters, today).count()
    assert page.count == expected


def test_unassigned_worklist_total_and_overdue_come_from_one_count(world: World) -> None:
    from waypoint.careteam import worklists

    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)):
        make_patient(team=world.team_a, family="Old", metastatic_on=dt.date(2026, 10, 1))
        make_patient(team=world.team_a, family="New", metastatic_on=dt.date(2026, 11, 19))
        page = worklists.unassigned_worklist_open(actor=world.key_worker, day=dt.date(2026, 11, 20))
    assert (page.count, page.overdue_count, len(page.rows)) == (2, 1, 2)
