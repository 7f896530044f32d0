"""A team's page and its changes: the lead, a member who is not a lead, and an outsider."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.world import World, make_patient

from waypoint.accounts.models import Role, User
from waypoint.audit.models import AuditEvent
from waypoint.careteam.membership import (
    KeyWorkersNeeded,
    team_member_change,
    team_membership_end,
)
from waypoint.careteam.models import KeyWorkerAssignment, KeyWorkerNotice, TeamMembership
from waypoint.careteam.services import keyworker_assign, team_membership_add
from waypoint.core.errors import Conflict, Forbidden, NotFound


@pytest.fixture
def lead(world: World) -> User:
    team_membership_add(team=world.team_a, user=world.key_worker, is_lead=True)
    return world.key_worker


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _membership(world: World, user: User) -> TeamMembership:
    return TeamMembership.objects.get(team=world.team_a, user=user)


def test_the_lead_sees_members_caseloads_and_actions(world: World, lead: User) -> None:
    response = _client(lead).get(f"/teams/{world.team_a.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Colin Lee" in page and "Omar Nadir" in page
    assert "Invite someone to the team" in page
    assert "End membership" in page
    assert "Letters to print" in page


def test_a_member_who_is_not_a_lead_sees_the_list_read_only(world: World, lead: User) -> None:
    response = _client(world.colleague).get(f"/teams/{world.team_a.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kate Walker" in page
    assert "Invite someone" not in page and "End membership" not in page


def test_a_member_who_is_not_a_lead_is_refused_every_change(world: World, lead: User) -> None:
    client = _client(world.colleague)
    team = world.team_a.pk
    member = _membership(world, world.oncologist).pk
    assert client.get(f"/teams/{team}/invite/").status_code == 403
    assert client.post(f"/teams/{team}/members/{member}/", {"is_lead": "on"}).status_code == 403
    assert client.post(f"/teams/{team}/members/{member}/end/").status_code == 403
    assert TeamMembership.objects.filter(pk=member, is_lead=False).exists()


def test_an_outsider_gets_404_for_the_page_and_every_change(world: World, lead: User) -> None:
    client = _client(world.other_team_nurse)
    team = world.team_a.pk
    member = _membership(world, world.oncologist).pk
    assert client.get(f"/teams/{team}/").status_code == 404
    assert client.get(f"/teams/{team}/invite/").status_code == 404
    assert client.post(f"/teams/{team}/members/{member}/end/").status_code == 404
    assert client.get(f"/teams/{team}/letters/").status_code == 404
    assert _client(world.patient_user).get(f"/teams/{team}/").status_code == 404


def test_a_lead_makes_another_member_a_lead(world: World, lead: User) -> None:
    member = _membership(world, world.colleague)
    response = _client(lead).post(
        f"/teams/{world.team_a.pk}/members/{member.pk}/",
        {"role": "key_worker", "is_lead": "on"},  # the role radio is sent as it was shown
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_lead
    assert AuditEvent.objects.filter(
        object_type="team_membership", object_id=str(member.pk), detail__contains="made a lead"
    ).exists()


def test_the_last_lead_cannot_step_down(world: World, lead: User) -> None:
    own = _membership(world, lead)
    with pytest.raises(Conflict):
        team_member_change(actor=lead, team_id=world.team_a.pk, membership_id=own.pk, is_lead=False)
    response = _client(lead).post(
        f"/teams/{world.team_a.pk}/members/{own.pk}/", {"role": "key_worker"}
    )
    assert response.status_code == 422
    assert "only lead" in response.content.decode()
    own.refresh_from_db()
    assert own.is_lead


def test_the_last_lead_cannot_be_removed_but_can_once_there_is_another(
    world: World, lead: User
) -> None:
    own = _membership(world, lead)
    keyworker_assign(
        actor=None, patient=world.patient, key_worker_id=world.colleague.pk, reason="Moving"
    )
    with pytest.raises(Conflict):
        team_membership_end(actor=world.admin, team_id=world.team_a.pk, membership_id=own.pk)
    team_member_change(
        actor=lead,
        team_id=world.team_a.pk,
        membership_id=_membership(world, world.oncologist).pk,
        is_lead=True,
    )
    team_member_change(actor=lead, team_id=world.team_a.pk, membership_id=own.pk, is_lead=False)
    assert not TeamMembership.objects.get(pk=own.pk).is_lead


def test_a_lead_changes_the_role_of_a_colleague_only_in_teams_she_leads(
    world: World, lead: User
) -> None:
    member = _membership(world, world.oncologist)

    team_member_change(
        actor=lead, team_id=world.team_a.pk, membership_id=member.pk, role=Role.HELPLINE_NURSE
    )

    world.oncologist.refresh_from_db()
    assert world.oncologist.role == Role.HELPLINE_NURSE
    assert AuditEvent.objects.filter(
        object_type="user_account", detail__contains="as lead of Breast Team A"
    ).exists()


def test_a_lead_cannot_change_the_role_of_someone_also_in_a_team_she_does_not_lead(
    world: World, lead: User
) -> None:
    team_membership_add(team=world.team_b, user=world.oncologist)
    member = _membership(world, world.oncologist)

    with pytest.raises(Forbidden):
        team_member_change(
            actor=lead, team_id=world.team_a.pk, membership_id=member.pk, role=Role.KEY_WORKER
        )
    team_member_change(
        actor=world.admin, team_id=world.team_a.pk, membership_id=member.pk, role=Role.KEY_WORKER
    )
    world.oncologist.refresh_from_db()
    assert world.oncologist.role == Role.KEY_WORKER


def test_a_lead_turns_off_a_leavers_account_when_it_was_their_last_team(
    world: World, lead: User
) -> None:
    member = _membership(world, world.oncologist)

    team_membership_end(
        actor=lead, team_id=world.team_a.pk, membership_id=member.pk, turn_off_account=True
    )

    world.oncologist.refresh_from_db()
    assert not world.oncologist.is_active


def test_a_key_worker_with_patients_keeps_her_role_until_they_move(world: World) -> None:
    member = _membership(world, world.key_worker)
    with pytest.raises(Conflict):
        team_member_change(
            actor=world.admin,
            team_id=world.team_a.pk,
            membership_id=member.pk,
            role=Role.ONCOLOGIST,
        )


def test_a_leaver_with_a_caseload_is_sent_to_move_it_first(world: World, lead: User) -> None:
    leaver = _membership(world, world.colleague)  # key worker of other_patient
    with pytest.raises(KeyWorkersNeeded) as caught:
        team_membership_end(actor=lead, team_id=world.team_a.pk, membership_id=leaver.pk)
    assert caught.value.patient_ids == [world.other_patient.pk]
    client = _client(lead)
    page = client.get(f"/teams/{world.team_a.pk}/members/{leaver.pk}/end/")
    assert page.status_code == 200
    assert "Move Colin Lee" in page.content.decode()
    assert "Bea Other" in page.content.decode()
    moved = client.post(
        f"/teams/{world.team_a.pk}/members/{leaver.pk}/reassign/",
        {"to_user": str(world.key_worker.pk), "reason": "Colin is leaving"},
    )
    assert moved.status_code == 302
    current = KeyWorkerAssignment.objects.get(patient=world.other_patient, ended_at__isnull=True)
    assert current.key_worker == world.key_worker
    assert KeyWorkerNotice.objects.filter(assignment=current).count() == 1
    ended = client.post(f"/teams/{world.team_a.pk}/members/{leaver.pk}/end/", {})
    assert ended.status_code == 302
    assert not TeamMembership.objects.filter(pk=leaver.pk).exists()
    world.colleague.refresh_from_db()
    assert world.colleague.is_active  # the box was not ticked (and a lead may not tick it)


def test_a_lead_moves_only_her_own_teams_patients(world: World, lead: User) -> None:
    team_membership_add(team=world.team_b, user=world.colleague)
    b_patient = make_patient(team=world.team_b, given="Bo", family="Elsewhere")
    keyworker_assign(actor=None, patient=b_patient, key_worker_id=world.colleague.pk, reason="x")
    leaver = _membership(world, world.colleague)
    _client(lead).post(
        f"/teams/{world.team_a.pk}/members/{leaver.pk}/reassign/",
        {"to_user": "", "reason": "Colin moves to team B"},
    )
    still = KeyWorkerAssignment.objects.get(patient=b_patient, ended_at__isnull=True)
    assert still.key_worker == world.colleague


def test_an_administrator_may_turn_off_a_leavers_account_when_it_was_their_last_team(
    world: World,
) -> None:
    member = _membership(world, world.oncologist)
    response = _client(world.admin).post(
        f"/teams/{world.team_a.pk}/members/{member.pk}/end/", {"turn_off_account": "on"}
    )
    assert response.status_code == 302
    world.oncologist.refresh_from_db()
    assert not world.oncologist.is_active
    assert AuditEvent.objects.filter(
        object_type="user_account", detail__contains="may no longer sign in"
    ).exists()


def test_an_account_in_another_team_stays_on(world: World) -> None:
    team_membership_add(team=world.team_b, user=world.oncologist)
    member = _membership(world, world.oncologist)
    _client(world.admin).post(
        f"/teams/{world.team_a.pk}/members/{member.pk}/end/", {"turn_off_account": "on"}
    )
    world.oncologist.refresh_from_db()
    assert world.oncologist.is_active
    assert not TeamMembership.objects.filter(pk=member.pk).exists()


def test_a_membership_of_another_team_is_not_found(world: World, lead: User) -> None:
    other = TeamMembership.objects.get(team=world.team_b, user=world.other_team_nurse)
    with pytest.raises(NotFound):
        team_membership_end(actor=lead, team_id=world.team_a.pk, membership_id=other.pk)
    assert TeamMembership.objects.filter(pk=other.pk).exists()


def test_the_menu_offers_my_team_to_clinicians(world: World, lead: User) -> None:
    assert ">My team<" in _client(lead).get("/caseload/").content.decode()
    assert ">My team<" in _client(world.colleague).get("/caseload/").content.decode()
    assert ">My team<" not in _client(world.patient_user).get("/portal/").content.decode()


def test_my_team_opens_the_one_team_a_member_is_in(world: World, lead: User) -> None:
    response = _client(world.colleague).get("/teams/")
    assert response.status_code == 302
    assert response["Location"] == f"/teams/{world.team_a.pk}/"


def test_the_team_page_costs_the_same_queries_for_a_bigger_team(world: World, lead: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from waypoint.accounts.services import user_create

    client = _client(lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/teams/{world.team_a.pk}/").status_code == 200
        return len(captured)

    before = count()
    for i in range(5):
        nurse = user_create(username=f"extra{i}", role=Role.KEY_WORKER, password=None)
        team_membership_add(team=world.team_a, user=nurse)
    assert count() == before
