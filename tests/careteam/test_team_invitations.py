"""A lead invites someone by email; the link is used once to make the account and join the team."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone
from tests.world import World

from waypoint.access.signin import SIGNED_IN_BY, SignInMethod
from waypoint.access.sso.config import StaffProviderConfig
from waypoint.accounts.models import Role, User
from waypoint.audit.models import AuditEvent
from waypoint.careteam.invitations import AlreadyHasAccount, team_invitation_send
from waypoint.careteam.models import TeamInvitation, TeamMembership
from waypoint.careteam.services import team_membership_add
from waypoint.core.errors import Forbidden, NotFound, ValidationFailed
from waypoint.notifications.models import OutboundMessage

STRONG = "Harbour lanterns glow at dusk"


@pytest.fixture
def lead(world: World) -> User:
    team_membership_add(team=world.team_a, user=world.key_worker, is_lead=True)
    return world.key_worker


def _invite(world: World, lead: User, email: str = "nia.nurse@nhs.net", **extra: object) -> str:
    """Sends an invitation and returns the path of the link in the email."""
    team_invitation_send(
        actor=lead,
        team_id=world.team_a.pk,
        first_name="Nia",
        last_name="Nurse",
        email=email,
        role=extra.pop("role", Role.KEY_WORKER),  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )
    message = OutboundMessage.objects.filter(to=email).latest("id")
    match = re.search(r"https?://[^/\s]+(/team-invitation/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_email_carries_a_one_use_link_and_the_address_is_kept_masked(
    world: World, lead: User
) -> None:
    _invite(world, lead)
    invitation = TeamInvitation.objects.get()
    assert invitation.sent_to == "n•••@n•••.net"
    assert invitation.email == "nia.nurse@nhs.net"
    message = OutboundMessage.objects.get(to="nia.nurse@nhs.net")
    assert "Breast Team A" in message.subject
    assert invitation.token_digest not in message.body  # only the digest is stored
    assert AuditEvent.objects.filter(
        object_type="team_invitation", object_id=str(invitation.pk), actor=lead
    ).exists()


def test_the_person_sets_a_password_and_is_signed_in_as_a_member(world: World, lead: User) -> None:
    link = _invite(world, lead, is_lead=False, job_title="Clinical nurse specialist")
    client = Client()
    assert client.get(link).status_code == 200
    response = client.post(link, {"username": "nia", "password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    user = User.objects.get(username="nia")
    assert user.role == Role.KEY_WORKER
    assert (user.first_name, user.last_name, user.email) == ("Nia", "Nurse", "nia.nurse@nhs.net")
    assert user.job_title == "Clinical nurse specialist"
    assert TeamMembership.objects.filter(user=user, team=world.team_a, is_lead=False).exists()
    assert client.session[SIGNED_IN_BY] == SignInMethod.INVITATION.value
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_weak_password_is_refused_and_nothing_is_made(world: World, lead: User) -> None:
    link = _invite(world, lead)
    response = Client().post(link, {"username": "nia", "password1": "nia", "password2": "nia"})
    assert response.status_code == 422
    assert "too short" in response.content.decode() or "too similar" in response.content.decode()
    assert not User.objects.filter(username="nia").exists()
    assert TeamInvitation.objects.get().accepted_at is None


def test_a_used_link_cannot_be_used_again(world: World, lead: User) -> None:
    link = _invite(world, lead)
    Client().post(link, {"username": "nia", "password1": STRONG, "password2": STRONG})
    again = Client().get(link)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    second = Client().post(link, {"username": "nia2", "password1": STRONG, "password2": STRONG})
    assert second.status_code == 410
    assert not User.objects.filter(username="nia2").exists()


def test_an_expired_link_says_so(world: World, lead: User) -> None:
    link = _invite(world, lead)
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        response = Client().get(link)
    assert response.status_code == 410
    assert "expired" in response.content.decode()


@override_settings(WAYPOINT_INVITATION_DAYS=3)
def test_the_link_lasts_the_configured_days(world: World, lead: User) -> None:
    _invite(world, lead)
    invitation = TeamInvitation.objects.get()
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=3)


def test_sending_again_withdraws_the_earlier_link(world: World, lead: User) -> None:
    first = _invite(world, lead)
    second = _invite(world, lead)
    assert Client().get(first).status_code == 410
    assert "withdrawn" in Client().get(first).content.decode()
    assert Client().get(second).status_code == 200


def test_a_withdrawn_link_no_longer_works(world: World, lead: User) -> None:
    link = _invite(world, lead)
    invitation = TeamInvitation.objects.get()
    client = Client()
    client.force_login(lead)
    response = client.post(f"/teams/{world.team_a.pk}/invitations/{invitation.pk}/withdraw/")
    assert response.status_code == 302
    assert Client().get(link).status_code == 410


def test_an_unknown_link_says_it_does_not_work(world: World) -> None:
    response = Client().get("/team-invitation/not-a-real-token/")
    assert response.status_code == 404
    assert "does not work" in response.content.decode()


def test_an_address_with_an_account_is_offered_add_to_the_team(world: World, lead: User) -> None:
    world.other_team_nurse.email = "olive@nhs.net"
    world.other_team_nurse.save(update_fields=["email"])
    with pytest.raises(AlreadyHasAccount):
        _invite(world, lead, email="Olive@NHS.net")
    client = Client()
    client.force_login(lead)
    page = client.post(
        f"/teams/{world.team_a.pk}/invite/",
        {
            "first_name": "Olive",
            "last_name": "Turner",
            "email": "olive@nhs.net",
            "role": "key_worker",
        },
    )
    assert page.status_code == 200
    assert "already has an account" in page.content.decode()
    assert not OutboundMessage.objects.filter(to__iexact="olive@nhs.net").exists()
    added = client.post(f"/teams/{world.team_a.pk}/add/{world.other_team_nurse.pk}/")
    assert added.status_code == 302
    assert TeamMembership.objects.filter(user=world.other_team_nurse, team=world.team_a).exists()
    assert User.objects.filter(email__iexact="olive@nhs.net").count() == 1
    assert AuditEvent.objects.filter(
        object_type="team_membership", detail__contains="existing account"
    ).exists()


def test_a_patients_address_is_neither_revealed_nor_offered(world: World, lead: User) -> None:
    world.patient_user.email = "ada@example.com"
    world.patient_user.save(update_fields=["email"])
    _invite(world, lead, email="ada@example.com")  # sent as for anyone new
    assert TeamInvitation.objects.filter(email="ada@example.com").exists()


@pytest.mark.parametrize("role", [Role.PATIENT, Role.CARER, Role.ADMIN, Role.SERVICE_MANAGER])
def test_only_clinical_and_helpline_roles_are_invited(world: World, lead: User, role: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        team_invitation_send(
            actor=lead,
            team_id=world.team_a.pk,
            first_name="X",
            last_name="Y",
            email="x@nhs.net",
            role=role,
        )
    assert "role" in caught.value.fields
    assert not TeamInvitation.objects.exists()


def test_a_member_who_is_not_a_lead_cannot_invite(world: World, lead: User) -> None:
    with pytest.raises(Forbidden):
        team_invitation_send(
            actor=world.colleague,
            team_id=world.team_a.pk,
            first_name="X",
            last_name="Y",
            email="x@nhs.net",
            role=Role.KEY_WORKER,
        )


def test_an_outsider_cannot_invite(world: World, lead: User) -> None:
    with pytest.raises(NotFound):
        team_invitation_send(
            actor=world.other_team_nurse,
            team_id=world.team_a.pk,
            first_name="X",
            last_name="Y",
            email="x@nhs.net",
            role=Role.KEY_WORKER,
        )


def test_an_administrator_can_invite_into_any_team(world: World) -> None:
    _invite(world, world.admin, role=Role.ONCOLOGIST, is_lead=True)
    assert TeamInvitation.objects.get().is_lead is True


STAFF_SSO = StaffProviderConfig(
    provider="staff",
    issuer="https://login.example.nhs.uk",
    client_id="waypoint",
    client_secret="not-a-secret",  # a test value
    scopes=("openid", "email"),
    label="your organisation's account",
)


@override_settings(WAYPOINT_OIDC_STAFF=STAFF_SSO)
def test_with_staff_single_sign_on_the_account_is_made_with_the_email(
    world: World, lead: User
) -> None:
    link = _invite(world, lead)
    client = Client()
    page = client.get(link)
    assert "organisation" in page.content.decode()
    assert "password1" not in page.content.decode()
    response = client.post(link)
    assert response.status_code == 200
    assert "Sign in with your organisation" in response.content.decode()
    user = User.objects.get(email="nia.nurse@nhs.net")
    assert user.username == "nia.nurse@nhs.net"
    assert not user.has_usable_password()
    assert TeamMembership.objects.filter(user=user, team=world.team_a).exists()
    assert "_auth_user_id" not in client.session


def test_someone_signed_in_is_asked_to_sign_out_first(world: World, lead: User) -> None:
    link = _invite(world, lead)
    client = Client()
    client.force_login(world.colleague)
    page = client.get(link)
    assert "Sign out to use this invitation" in page.content.decode()


@override_settings(WAYPOINT_OIDC_STAFF=dataclasses.replace(STAFF_SSO, match_claim="uid"))
def test_when_sign_on_finds_staff_by_another_claim_a_password_is_set(
    world: World, lead: User
) -> None:
    link = _invite(world, lead)
    assert "password1" in Client().get(link).content.decode()
