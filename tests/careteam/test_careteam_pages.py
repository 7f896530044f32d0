from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone
from tests.world import World

from waypoint.accounts.models import User
from waypoint.careteam.models import Cover, KeyWorkerAssignment


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_caseload_shows_own_patients_and_counts(world: World) -> None:
    html = _as(world.key_worker).get("/caseload/").content.decode()
    assert "LOVELACE, Ada" in html
    assert "OTHER, Bea" not in html  # Colin's patient, not Kate's
    team = _as(world.key_worker).get("/caseload/", {"scope": "team"}).content.decode()
    assert "OTHER, Bea" in team and "BEE, Cleo" not in team


def test_caseload_includes_patients_of_a_colleague_being_covered(world: World) -> None:
    today = timezone.localdate()
    Cover.objects.create(
        absent_user=world.colleague,
        cover_user=world.key_worker,
        starts_on=today,
        ends_on=today,
        created_by=world.colleague,
    )
    html = _as(world.key_worker).get("/caseload/").content.decode()
    assert "OTHER, Bea" in html
    assert "Covered by Kate Walker" in html


def test_caseload_filters_are_validated_not_trusted(world: World) -> None:
    response = _as(world.key_worker).get("/caseload/", {"sort": "password", "site": "spleen"})
    assert response.status_code == 200  # invalid filters fall back to defaults
    assert "LOVELACE, Ada" in response.content.decode()


def test_manager_overview_shows_counts_but_no_names(world: World) -> None:
    html = _as(world.manager).get("/overview/").content.decode()
    assert "people living with secondary breast cancer" in html
    assert "Kate Walker" in html  # staff names and caseloads are aggregates
    for name in ("Lovelace", "Cleo", "Bea"):
        assert name not in html


def test_manager_moves_a_caseload_through_the_form(world: World) -> None:
    response = _as(world.manager).post(
        "/overview/",
        {"from_user": world.colleague.pk, "to_user": world.key_worker.pk, "reason": "Left"},
        follow=True,
    )
    assert "1 people moved" in response.content.decode()
    assert KeyWorkerAssignment.objects.get(
        patient=world.other_patient, ended_at=None
    ).key_worker == (world.key_worker)


def test_arranging_cover_through_the_form(world: World) -> None:
    today = timezone.localdate()
    response = _as(world.key_worker).post(
        "/cover/",
        {
            "absent_user": world.key_worker.pk,
            "cover_user": world.colleague.pk,
            "starts_on": str(today + dt.timedelta(days=3)),
            "ends_on": str(today + dt.timedelta(days=10)),
            "reason": "Annual leave",
        },
        follow=True,
    )
    assert "Colin Lee covers Kate Walker" in response.content.decode()
    cover = Cover.objects.get()
    cancel = _as(world.other_team_nurse).post(f"/cover/{cover.pk}/cancel/")
    assert cancel.status_code == 404
    assert Cover.objects.get().cancelled_at is None


def test_the_audit_page_filters_by_user(world: World) -> None:
    _as(world.key_worker).get(f"/patients/{world.patient.pk}/")
    html = _as(world.admin).get("/audit/", {"username": "kw", "action": "view"}).content.decode()
    assert "1 event." in html


def test_portal_home_names_the_key_worker_and_the_numbers(world: World) -> None:
    html = _as(world.patient_user).get("/portal/").content.decode()
    assert "Your key worker (your named specialist nurse) is <strong>Kate Walker</strong>" in html
    assert "020 7946 0101" in html and "020 7946 0999" in html
    assert "0808 800 6000" in html  # the helpline


def test_portal_without_a_linked_record_says_so(world: World) -> None:
    from tests.world import make_user

    from waypoint.accounts.models import Role

    lonely = make_user("lonely", Role.PATIENT)
    assert _as(lonely).get("/portal/").status_code == 404


def test_portal_access_lists_the_key_workers_view(world: World) -> None:
    _as(world.key_worker).get(f"/patients/{world.patient.pk}/")
    html = _as(world.patient_user).get("/portal/access/").content.decode()
    assert "Kate Walker" in html and "Viewed the record" in html
