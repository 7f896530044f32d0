"""The team's members and invitations over the API: lead, member who is not a lead, outsider."""

from __future__ import annotations

import pytest
from tests.world import World

from waypoint.accounts.models import User
from waypoint.careteam.models import TeamInvitation, TeamMembership
from waypoint.careteam.services import team_membership_add
from waypoint.notifications.models import OutboundMessage

INVITE = {
    "first_name": "Nia",
    "last_name": "Nurse",
    "email": "nia.nurse@nhs.net",
    "role": "key_worker",
}


@pytest.fixture
def lead(world: World) -> User:
    team_membership_add(team=world.team_a, user=world.key_worker, is_lead=True)
    return world.key_worker


def _member_id(world: World, user: User) -> int:
    return TeamMembership.objects.get(team=world.team_a, user=user).pk


def test_a_member_lists_the_team(world: World, lead: User, api_as) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.colleague).get(f"/teams/{world.team_a.pk}/members")
    assert response.status_code == 200
    members = {m["name"]: m for m in response.json()["members"]}
    assert members["Kate Walker"]["is_lead"] is True
    assert members["Kate Walker"]["caseload"] == 1
    assert members["Colin Lee"]["role"] == "key_worker"


def test_an_outsider_gets_404_everywhere(world: World, lead: User, api_as) -> None:  # type: ignore[no-untyped-def]
    api = api_as(world.other_team_nurse)
    team = world.team_a.pk
    member = _member_id(world, world.oncologist)
    assert api.get(f"/teams/{team}/members").status_code == 404
    assert api.post(f"/teams/{team}/invitations", INVITE).status_code == 404
    assert api.patch(f"/teams/{team}/members/{member}", {"is_lead": True}).status_code == 404
    assert api.delete(f"/teams/{team}/members/{member}").status_code == 404
    assert api.get("/teams/999999/members").json()["error"]["code"] == "not_found"


def test_a_member_who_is_not_a_lead_gets_403_on_changes(world: World, lead: User, api_as) -> None:  # type: ignore[no-untyped-def]
    api = api_as(world.colleague)
    team = world.team_a.pk
    member = _member_id(world, world.oncologist)
    response = api.post(f"/teams/{team}/invitations", INVITE)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert api.patch(f"/teams/{team}/members/{member}", {"is_lead": True}).status_code == 403
    assert api.delete(f"/teams/{team}/members/{member}").status_code == 403
    assert not TeamInvitation.objects.exists()


def test_the_lead_invites_and_gets_the_masked_address(world: World, lead: User, api_as) -> None:  # type: ignore[no-untyped-def]
    response = api_as(lead).post(f"/teams/{world.team_a.pk}/invitations", INVITE)
    assert response.status_code == 201
    body = response.json()
    assert body["sent_to"] == "n•••@n•••.net"
    assert "expires_at" in body
    assert OutboundMessage.objects.filter(to="nia.nurse@nhs.net").count() == 1


def test_a_bad_invitation_is_refused_in_the_envelope(world: World, lead: User, api_as) -> None:  # type: ignore[no-untyped-def]
    response = api_as(lead).post(
        f"/teams/{world.team_a.pk}/invitations", INVITE | {"email": "nope", "role": "admin"}
    )
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert set(fields) >= {"email", "role"}
    assert not TeamInvitation.objects.exists()


def test_the_lead_withdraws_an_invitation(world: World, lead: User, api_as) -> None:  # type: ignore[no-untyped-def]
    api = api_as(lead)
    invitation_id = api.post(f"/teams/{world.team_a.pk}/invitations", INVITE).json()["id"]
    assert api.delete(f"/teams/{world.team_a.pk}/invitations/{invitation_id}").status_code == 204
    assert TeamInvitation.objects.get(pk=invitation_id).withdrawn_at is not None
    again = api.delete(f"/teams/{world.team_a.pk}/invitations/{invitation_id}")
    assert again.status_code == 409


def test_the_lead_makes_a_member_lead(world: World, lead: User, api_as) -> None:  # type: ignore[no-untyped-def]
    member = _member_id(world, world.oncologist)
    response = api_as(lead).patch(f"/teams/{world.team_a.pk}/members/{member}", {"is_lead": True})
    assert response.status_code == 200
    assert response.json()["is_lead"] is True


def test_the_only_lead_stepping_down_is_a_conflict(world: World, lead: User, api_as) -> None:  # type: ignore[no-untyped-def]
    own = _member_id(world, lead)
    response = api_as(lead).patch(f"/teams/{world.team_a.pk}/members/{own}", {"is_lead": False})
    assert response.status_code == 409
    assert "is_lead" in response.json()["error"]["fields"]


def test_ending_a_membership_with_a_caseload_names_the_patients(
    world: World,
    lead: User,
    api_as,  # type: ignore[no-untyped-def]
) -> None:
    api = api_as(lead)
    member = _member_id(world, world.colleague)
    response = api.delete(f"/teams/{world.team_a.pk}/members/{member}")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "key_workers_needed"
    assert error["fields"] == {f"patients.{world.other_patient.pk}": "needs a new key worker"}
    moved = api.post(
        f"/key-workers/{world.colleague.pk}/reassign",
        {"to_user": world.key_worker.pk, "reason": "Leaving", "team": world.team_a.pk},
    )
    assert moved.status_code == 200 and moved.json() == {"moved": 1}
    assert api.delete(f"/teams/{world.team_a.pk}/members/{member}").status_code == 204
    assert not TeamMembership.objects.filter(pk=member).exists()


def test_a_lead_changes_a_role_through_the_api_within_her_teams(
    world: World, lead: User, api_as
) -> None:  # type: ignore[no-untyped-def]
    member = _member_id(world, world.oncologist)
    ok = api_as(lead).patch(
        f"/teams/{world.team_a.pk}/members/{member}", {"role": "helpline_nurse"}
    )
    assert ok.status_code == 200 and ok.json()["role"] == "helpline_nurse"
    team_membership_add(team=world.team_b, user=world.oncologist)
    refused = api_as(lead).patch(
        f"/teams/{world.team_a.pk}/members/{member}", {"role": "oncologist"}
    )
    assert refused.status_code == 403
