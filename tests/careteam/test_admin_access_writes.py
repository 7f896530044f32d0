"""Writes in Django's admin that grant access (team memberships, on-call shifts, cover) either go
through the services, which check the rules and write the audit event, or are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from tests.core.browser_forms import page_form
from tests.world import World

from waypoint.audit.models import AuditEvent
from waypoint.careteam import rota
from waypoint.careteam.models import Cover, OnCallShift, TeamMembership
from waypoint.careteam.services import cover_arrange, team_membership_add
from waypoint.core.errors import Forbidden

pytestmark = pytest.mark.django_db

ADMIN = "/admin/careteam/"
EVENING = dt.datetime(2026, 12, 2, 17, 0, tzinfo=dt.UTC)


@pytest.fixture
def admin_client(world: World, client: Client) -> Client:
    client.force_login(world.admin)
    return client


def _events(object_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=object_type).order_by("id"))


# Cover: its own page checks the rules, so the admin only shows it.


def test_the_admin_add_cover_page_is_refused_not_a_server_error(
    admin_client: Client, world: World
) -> None:
    assert admin_client.get(f"{ADMIN}cover/add/").status_code == 403
    posted = admin_client.post(
        f"{ADMIN}cover/add/",
        {
            "absent_user": world.key_worker.pk,
            "cover_user": world.colleague.pk,
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-05",
            "reason": "Annual leave",
        },
    )
    assert posted.status_code == 403
    assert not Cover.objects.exists()


def test_the_admin_lists_cover_and_points_to_the_cover_page(
    admin_client: Client, world: World
) -> None:
    cover = cover_arrange(
        actor=world.key_worker,
        absent_user_id=world.key_worker.pk,
        cover_user_id=world.colleague.pk,
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 5),
    )
    listing = admin_client.get(f"{ADMIN}cover/")
    assert listing.status_code == 200
    assert "Cover page (/cover/)" in listing.content.decode()
    assert admin_client.get(f"{ADMIN}cover/{cover.pk}/delete/").status_code == 403
    admin_client.post(f"{ADMIN}cover/{cover.pk}/change/", {"cover_user": world.oncologist.pk})
    cover.refresh_from_db()
    assert cover.cover_user == world.colleague


def test_arranging_cover_is_audited(world: World) -> None:
    cover = cover_arrange(
        actor=world.key_worker,
        absent_user_id=world.key_worker.pk,
        cover_user_id=world.colleague.pk,
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 5),
    )
    [event] = _events("cover")
    assert (event.actor, event.action, event.object_id) == (
        world.key_worker,
        "create",
        str(cover.pk),
    )


# The on-call rota: kept in the admin, saved through careteam.rota.


def _shift_form(world: World, **changes: object) -> dict[str, object]:
    return {
        "team": world.team_a.pk,
        "clinician": world.key_worker.pk,
        "starts_at": "2026-12-02T17:00",
        "ends_at": "2026-12-03T09:00",
        "_save": "Save",
        **changes,
    }


def test_adding_an_on_call_shift_in_the_admin_is_audited(
    admin_client: Client, world: World
) -> None:
    answer = admin_client.post(f"{ADMIN}oncallshift/add/", _shift_form(world))
    assert answer.status_code == 302
    shift = OnCallShift.objects.get()
    assert (shift.team, shift.clinician, shift.created_by) == (
        world.team_a,
        world.key_worker,
        world.admin,
    )
    [event] = _events("on_call_shift")
    assert (event.actor, event.action, event.object_id) == (world.admin, "create", str(shift.pk))
    assert "kw on call for team" in event.detail


def test_changing_and_removing_an_on_call_shift_in_the_admin_is_audited(
    admin_client: Client, world: World
) -> None:
    shift = rota.on_call_shift_save(
        actor=world.admin,
        team=world.team_a,
        clinician_id=world.key_worker.pk,
        starts_at=EVENING,
        ends_at=EVENING + dt.timedelta(hours=16),
    )
    changed = admin_client.post(
        f"{ADMIN}oncallshift/{shift.pk}/change/", _shift_form(world, clinician=world.colleague.pk)
    )
    assert changed.status_code == 302
    shift.refresh_from_db()
    assert shift.clinician == world.colleague
    removed = admin_client.post(f"{ADMIN}oncallshift/{shift.pk}/delete/", {"post": "yes"})
    assert removed.status_code == 302
    assert not OnCallShift.objects.exists()
    actions = [(e.action, e.detail.split(" ")[0]) for e in _events("on_call_shift")]
    assert actions == [("create", "kw"), ("update", "colleague"), ("update", "removed:")]


def test_a_shift_that_ends_before_it_starts_is_refused_beside_its_field(
    admin_client: Client, world: World
) -> None:
    answer = admin_client.post(
        f"{ADMIN}oncallshift/add/", _shift_form(world, ends_at="2026-12-02T16:00")
    )
    assert answer.status_code == 200
    assert "must be after the start" in answer.content.decode()
    assert not OnCallShift.objects.exists()
    assert not _events("on_call_shift")


def test_a_persons_own_account_cannot_be_put_on_call(admin_client: Client, world: World) -> None:
    answer = admin_client.post(
        f"{ADMIN}oncallshift/add/", _shift_form(world, clinician=world.patient_user.pk)
    )
    assert answer.status_code == 200
    assert not OnCallShift.objects.exists()


@pytest.mark.parametrize("who", ["key_worker", "oncologist", "patient_user"])
def test_only_those_who_manage_the_rota_change_it(world: World, who: str) -> None:
    with pytest.raises(Forbidden):
        rota.on_call_shift_save(
            actor=getattr(world, who),
            team=world.team_a,
            clinician_id=world.key_worker.pk,
            starts_at=EVENING,
            ends_at=EVENING + dt.timedelta(hours=16),
        )
    assert not OnCallShift.objects.exists()


# Team memberships: kept in the admin on the team, saved through the services.


def _team_page_form(admin_client: Client, world: World) -> dict[str, list[str]]:
    page = admin_client.get(f"{ADMIN}team/{world.team_a.pk}/change/")
    assert page.status_code == 200
    form = page_form(page.content.decode())
    return form.data(submitter=("_save", "Save"))


def _membership_rows(data: dict[str, list[str]]) -> int:
    return int(data["memberships-TOTAL_FORMS"][0])


def test_adding_a_team_member_in_the_admin_is_audited(admin_client: Client, world: World) -> None:
    data = _team_page_form(admin_client, world)
    new_row = _membership_rows(data) - 1  # the empty extra row
    data[f"memberships-{new_row}-user"] = [str(world.helpline_nurse.pk)]
    answer = admin_client.post(f"{ADMIN}team/{world.team_a.pk}/change/", data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    membership = TeamMembership.objects.get(team=world.team_a, user=world.helpline_nurse)
    events = [e for e in _events("team_membership") if e.actor == world.admin]
    assert [(e.action, e.object_id) for e in events] == [("create", str(membership.pk))]


def test_removing_a_team_member_in_the_admin_is_audited(admin_client: Client, world: World) -> None:
    data = _team_page_form(admin_client, world)
    colleague = TeamMembership.objects.get(team=world.team_a, user=world.colleague)
    row = next(
        i
        for i in range(_membership_rows(data))
        if data.get(f"memberships-{i}-id") == [str(colleague.pk)]
    )
    data[f"memberships-{row}-DELETE"] = ["on"]
    answer = admin_client.post(f"{ADMIN}team/{world.team_a.pk}/change/", data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert not TeamMembership.objects.filter(pk=colleague.pk).exists()
    [event] = [e for e in _events("team_membership") if e.actor == world.admin]
    assert (event.action, event.object_id) == ("update", str(colleague.pk))
    assert event.detail == f"colleague removed from team {world.team_a.pk}"


def test_saving_a_team_unchanged_writes_no_membership_event(
    admin_client: Client, world: World
) -> None:
    before = len(_events("team_membership"))
    answer = admin_client.post(
        f"{ADMIN}team/{world.team_a.pk}/change/", _team_page_form(admin_client, world)
    )
    assert answer.status_code == 302
    assert len(_events("team_membership")) == before


def test_a_team_cannot_be_deleted_in_the_admin(admin_client: Client, world: World) -> None:
    assert admin_client.get(f"{ADMIN}team/{world.team_a.pk}/delete/").status_code == 403


@pytest.mark.parametrize("who", ["key_worker", "manager", "patient_user"])
def test_only_an_administrator_changes_who_is_in_a_team(world: World, who: str) -> None:
    with pytest.raises(Forbidden):
        team_membership_add(actor=getattr(world, who), team=world.team_b, user=world.key_worker)
    assert not TeamMembership.objects.filter(team=world.team_b, user=world.key_worker).exists()
