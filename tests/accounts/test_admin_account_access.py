"""What an account may do (its role, sign-in, password, API tokens) changes in Django's admin only
through the services, which check it and write the audit event."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.world import PASSWORD, World

from waypoint.accounts.models import ApiToken, Role, User
from waypoint.accounts.services import api_token_create, user_access_change
from waypoint.audit.models import AuditEvent
from waypoint.core.errors import Forbidden

pytestmark = pytest.mark.django_db

USERS = "/admin/accounts/user/"
NEW_PASSWORD = "another-long-passphrase-42"


@pytest.fixture
def admin_client(world: World, client: Client) -> Client:
    client.force_login(world.admin)
    return client


def _account_events(user: User) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type="user_account", object_id=str(user.pk)).order_by("id")
    )


def _change_form(user: User, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "work_phone": user.work_phone,
        "staff_identifier": user.staff_identifier,
        "role": user.role,
        "_save": "Save",
    }
    if user.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_account_added_in_the_admin_is_created_by_the_service_and_audited(
    admin_client: Client, world: World
) -> None:
    answer = admin_client.post(
        f"{USERS}add/",
        {
            "username": "newnurse",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "role": Role.KEY_WORKER,
            "first_name": "Nia",
            "last_name": "New",
            "job_title": "Clinical nurse specialist",
            "work_phone": "020 7946 0111",
            "_save": "Save",
        },
    )
    assert answer.status_code == 302
    user = User.objects.get(username="newnurse")
    assert user.check_password(NEW_PASSWORD)
    assert (user.role, user.is_staff, user.is_superuser) == (Role.KEY_WORKER, False, False)
    [event] = _account_events(user)
    assert (event.actor, event.action, event.detail) == (
        world.admin,
        "create",
        "newnurse as key worker, clinical nurse specialist",
    )


def test_a_role_changed_in_the_admin_is_audited_and_opens_the_admin_only_to_admins(
    admin_client: Client, world: World
) -> None:
    answer = admin_client.post(
        f"{USERS}{world.colleague.pk}/change/", _change_form(world.colleague, role=Role.ADMIN)
    )
    assert answer.status_code == 302
    world.colleague.refresh_from_db()
    assert (world.colleague.role, world.colleague.is_staff, world.colleague.is_superuser) == (
        Role.ADMIN,
        True,
        True,
    )
    admin_client.post(
        f"{USERS}{world.colleague.pk}/change/",
        _change_form(world.colleague, role=Role.KEY_WORKER),
    )
    world.colleague.refresh_from_db()
    assert (world.colleague.is_staff, world.colleague.is_superuser) == (False, False)
    details = [e.detail for e in _account_events(world.colleague) if e.actor == world.admin]
    assert details == [
        "colleague: role key worker, clinical nurse specialist to administrator",
        "colleague: role administrator to key worker, clinical nurse specialist",
    ]


def test_an_account_turned_off_in_the_admin_is_audited(admin_client: Client, world: World) -> None:
    answer = admin_client.post(
        f"{USERS}{world.key_worker.pk}/change/", _change_form(world.key_worker, is_active=None)
    )
    assert answer.status_code == 302
    world.key_worker.refresh_from_db()
    assert not world.key_worker.is_active
    [event] = [e for e in _account_events(world.key_worker) if e.actor == world.admin]
    assert event.detail == "kw: may no longer sign in"


def test_changing_only_a_name_writes_no_access_event(admin_client: Client, world: World) -> None:
    before = len(_account_events(world.key_worker))
    admin_client.post(
        f"{USERS}{world.key_worker.pk}/change/", _change_form(world.key_worker, job_title="Lead")
    )
    world.key_worker.refresh_from_db()
    assert world.key_worker.job_title == "Lead"
    assert len(_account_events(world.key_worker)) == before


def test_an_administrator_cannot_take_away_their_own_access(
    admin_client: Client, world: World
) -> None:
    answer = admin_client.post(
        f"{USERS}{world.admin.pk}/change/", _change_form(world.admin, role=Role.KEY_WORKER)
    )
    assert answer.status_code == 200
    assert "You cannot change your own role" in answer.content.decode()
    world.admin.refresh_from_db()
    assert (world.admin.role, world.admin.is_superuser) == (Role.ADMIN, True)


def test_a_password_set_in_the_admin_is_audited(admin_client: Client, world: World) -> None:
    answer = admin_client.post(
        f"{USERS}{world.key_worker.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert answer.status_code == 302
    world.key_worker.refresh_from_db()
    assert world.key_worker.check_password(NEW_PASSWORD)
    [event] = [e for e in _account_events(world.key_worker) if e.actor == world.admin]
    assert event.detail == "kw: password set"
    assert NEW_PASSWORD not in event.detail


def test_a_password_that_does_not_match_is_not_set(admin_client: Client, world: World) -> None:
    answer = admin_client.post(
        f"{USERS}{world.key_worker.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": "something-else-9"},
    )
    assert answer.status_code == 200
    world.key_worker.refresh_from_db()
    assert world.key_worker.check_password(PASSWORD)


def test_accounts_cannot_be_deleted_in_the_admin(admin_client: Client, world: World) -> None:
    assert admin_client.get(f"{USERS}{world.key_worker.pk}/delete/").status_code == 403


def test_a_token_is_revoked_with_the_action_audited_and_never_restored(
    admin_client: Client, world: World
) -> None:
    token, _ = api_token_create(user=world.key_worker, label="integration")
    tokens = "/admin/accounts/apitoken/"
    answer = admin_client.post(tokens, {"action": "revoke", "_selected_action": [str(token.pk)]})
    assert answer.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(object_type="api_token", action="update")
    assert (event.actor, event.object_id) == (world.admin, token.prefix)
    restored = admin_client.post(f"{tokens}{token.pk}/change/", {"revoked_at_0": ""})
    assert restored.status_code == 403
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


@pytest.mark.parametrize("who", ["key_worker", "manager", "patient_user"])
def test_only_an_administrator_changes_what_an_account_may_do(world: World, who: str) -> None:
    with pytest.raises(Forbidden):
        user_access_change(
            actor=getattr(world, who), user_id=world.colleague.pk, role=Role.ADMIN, is_active=True
        )
    world.colleague.refresh_from_db()
    assert world.colleague.role == Role.KEY_WORKER


def test_a_staff_identifier_set_in_the_admin_is_audited(admin_client: Client, world: World) -> None:
    nurse = world.key_worker

    answer = admin_client.post(
        f"{USERS}{nurse.pk}/change/", _change_form(nurse, staff_identifier="555012345678")
    )

    assert answer.status_code == 302
    nurse.refresh_from_db()
    assert nurse.staff_identifier == "555012345678"
    assert AuditEvent.objects.filter(
        object_type="user_account",
        object_id=str(nurse.pk),
        detail__contains="staff_identifier (none) to 555012345678",
    ).exists()
