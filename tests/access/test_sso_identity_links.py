"""Links between Waypoint accounts and identities at the sign-in services: made once, by the
person or an administrator, never moved silently, unlinked only by an administrator; each
audited. Administrators see them in Django's admin and unlink them there."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.world import World
from waypoint.access.models import ExternalIdentity, IdentityProvider
from waypoint.access.sso.services import external_identity_link, external_identity_unlink
from waypoint.audit.models import AuditAction, AuditEvent
from waypoint.core.errors import Conflict, Forbidden, NotFound, ValidationFailed

ISSUER = "https://login.trust.example"
IDENTITIES = "/admin/access/externalidentity/"


def link_nurse(world: World, subject: str = "kate") -> ExternalIdentity:
    return external_identity_link(
        user=world.key_worker,
        provider=IdentityProvider.STAFF,
        issuer=ISSUER,
        subject=subject,
        linked_by=world.admin,
    )


def test_an_administrator_links_a_nurse_and_it_is_audited(world: World) -> None:
    link = link_nurse(world)

    assert link.linked_by == world.admin
    event = AuditEvent.objects.get(object_type="external_identity", object_id=str(link.pk))
    assert (event.action, event.actor) == (AuditAction.CREATE, world.admin)


def test_only_an_administrator_links_someone_elses_account(world: World) -> None:
    with pytest.raises(Forbidden):
        external_identity_link(
            user=world.key_worker,
            provider=IdentityProvider.STAFF,
            issuer=ISSUER,
            subject="kate",
            linked_by=world.manager,
        )
    assert not ExternalIdentity.objects.exists()


def test_an_identity_already_linked_is_never_moved_to_another_account(world: World) -> None:
    link_nurse(world)

    with pytest.raises(Conflict):
        external_identity_link(
            user=world.colleague,
            provider=IdentityProvider.STAFF,
            issuer=ISSUER,
            subject="kate",
            linked_by=world.admin,
        )
    assert ExternalIdentity.objects.get().user == world.key_worker


def test_an_account_has_one_identity_per_service(world: World) -> None:
    link_nurse(world)

    with pytest.raises(Conflict):
        link_nurse(world, subject="kate-again")


@pytest.mark.parametrize(
    ("persona", "provider"),
    [("patient_user", IdentityProvider.STAFF), ("key_worker", IdentityProvider.PATIENT)],
)
def test_a_link_must_suit_the_account_kind(
    world: World, persona: str, provider: IdentityProvider
) -> None:
    with pytest.raises(ValidationFailed):
        external_identity_link(
            user=getattr(world, persona),
            provider=provider,
            issuer=ISSUER,
            subject="someone",
            linked_by=world.admin,
        )


def test_an_administrator_unlinks_and_it_is_audited(world: World) -> None:
    link = link_nurse(world)

    external_identity_unlink(actor=world.admin, identity_id=link.pk)

    assert not ExternalIdentity.objects.exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE,
        object_type="external_identity",
        object_id=str(link.pk),
        detail__contains="unlinked",
    ).exists()


@pytest.mark.parametrize("persona", ["key_worker", "manager", "patient_user"])
def test_nobody_else_unlinks(world: World, persona: str) -> None:
    link = link_nurse(world)

    with pytest.raises(Forbidden):
        external_identity_unlink(actor=getattr(world, persona), identity_id=link.pk)
    assert ExternalIdentity.objects.exists()


def test_unlinking_an_identity_that_is_not_there_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        external_identity_unlink(actor=world.admin, identity_id=999_999)


def test_the_admin_lists_links_and_offers_no_adding_or_editing(
    world: World, client: Client
) -> None:
    link = link_nurse(world)
    client.force_login(world.admin)

    listing = client.get(IDENTITIES)

    assert listing.status_code == 200
    assert "kate" in listing.content.decode()
    assert client.get(f"{IDENTITIES}add/").status_code == 403
    change = client.post(f"{IDENTITIES}{link.pk}/change/", {"subject": "someone-else"})
    assert change.status_code == 403
    link.refresh_from_db()
    assert link.subject == "kate"


def test_the_admin_unlinks_through_the_audited_service(world: World, client: Client) -> None:
    link = link_nurse(world)
    client.force_login(world.admin)

    response = client.post(
        IDENTITIES, {"action": "unlink", "_selected_action": [str(link.pk)]}, follow=True
    )

    assert response.status_code == 200
    assert "Unlinked 1 sign-in account" in response.content.decode()
    assert not ExternalIdentity.objects.exists()
    assert AuditEvent.objects.filter(
        object_type="external_identity", detail__contains="unlinked", actor=world.admin
    ).exists()


def test_staff_who_are_not_administrators_cannot_open_the_list(
    world: World, client: Client
) -> None:
    client.force_login(world.manager)

    assert client.get(IDENTITIES).status_code == 302
