"""The support directory, referrals through their lifecycle, self-referral and offers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from waypoint.assessments import services as assessment_services
from waypoint.support.models import Referral, SupportOffer, SupportService
from waypoint.support.rules.referrals import TRANSITIONS, is_overdue, may_move

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(world):  # type: ignore[no-untyped-def]
    def make(name: str, kind: str, mode: str, areas: str = "", area: str = "National"):
        return SupportService.objects.create(
            name=name,
            kind=kind,
            provider="Provider",
            area_served=area,
            postcode_areas=areas,
            mode=mode,
            response_days=14,
        )

    return {
        "psychology": make("Psychological support", "psychology", "in_person", "LS", "Leeds"),
        "benefits": make("Benefits advice", "benefits", "phone"),
        "group": make(
            "Living with Secondary Breast Cancer (Leeds)",
            "peer_support",
            "in_person",
            "LS",
            "Leeds",
        ),
        "manchester": make("Manchester group", "peer_support", "in_person", "M", "Manchester"),
    }


@pytest.mark.parametrize(
    ("current", "to", "allowed"),
    [
        ("requested", "accepted", True),
        ("requested", "booked", False),
        ("accepted", "booked", True),
        ("booked", "completed", True),
        ("booked", "declined", False),
        ("completed", "cancelled", False),
        ("declined", "accepted", False),
    ],
)
def test_the_referral_lifecycle(current, to, allowed):
    assert may_move(current, to) is allowed
    assert set(TRANSITIONS) == {
        "requested",
        "accepted",
        "booked",
        "completed",
        "declined",
        "cancelled",
    }


@pytest.mark.parametrize(
    ("status", "days_after", "overdue"),
    [("requested", 0, False), ("requested", 1, True), ("accepted", 30, False)],
)
def test_a_request_not_accepted_in_time_is_overdue(status, days_after, overdue):
    due = dt.date(2026, 12, 1)
    assert (
        is_overdue(status=status, respond_by=due, today=due + dt.timedelta(days=days_after))
        is overdue
    )


def test_the_directory_searches_by_type_area_and_mode(world, api_as, directory):
    client = api_as(world.patient_user)
    names = lambda **q: [s["name"] for s in client.get("/support-services", q).json()]  # noqa: E731
    assert names(kind="peer_support", area="LS6 2QT") == [
        "Living with Secondary Breast Cancer (Leeds)"
    ]
    assert names(kind="peer_support", area="Manchester") == ["Manchester group"]
    assert names(mode="phone") == ["Benefits advice"]
    assert "Benefits advice" in names(area="LS6 2QT")  # national services serve everywhere


def test_a_referral_moves_through_its_lifecycle_and_is_audited(world, api_as, directory):
    nurse = api_as(world.key_worker)
    made = nurse.post(
        f"/patients/{world.patient.pk}/referrals",
        {"service_id": directory["psychology"].pk, "reason": "Distress 7, low mood"},
    )
    assert made.status_code == 201, made.content
    rid = made.json()["id"]
    assert made.json()["respond_by"] == (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    assert nurse.post(f"/referrals/{rid}/status", {"status": "booked"}).status_code == 409
    assert (
        nurse.post(f"/referrals/{rid}/status", {"status": "accepted"}).json()["status"]
        == "accepted"
    )
    no_date = nurse.post(f"/referrals/{rid}/status", {"status": "booked"})
    assert no_date.status_code == 422
    booked = nurse.post(
        f"/referrals/{rid}/status", {"status": "booked", "booked_for": "2026-12-10T10:00:00Z"}
    )
    assert booked.json()["status"] == "booked"
    assert nurse.post(f"/referrals/{rid}/status", {"status": "cancelled"}).status_code == 422
    done = nurse.post(f"/referrals/{rid}/status", {"status": "completed"})
    assert done.json()["status"] == "completed"
    assert [e.status for e in Referral.objects.get().events.all()] == [
        "requested",
        "accepted",
        "booked",
        "completed",
    ]


def test_a_psychology_referral_answers_a_distress_prompt(world, api_as, directory):
    opened = assessment_services.hna_open(actor=world.patient_user, patient_id=world.patient.pk)
    done = assessment_services.hna_save(
        actor=world.patient_user, assessment_id=opened.pk, answers={"distress": 6}, finish=True
    )
    assert done.awaits_psychosocial_decision
    api_as(world.key_worker).post(
        f"/patients/{world.patient.pk}/referrals",
        {"service_id": directory["psychology"].pk, "reason": "Distress 6"},
    )
    done.refresh_from_db()
    assert done.psychosocial_decision.startswith("Referred to Psychological support")


def test_a_person_may_refer_themselves_only_to_non_clinical_services(world, api_as, directory):
    person = api_as(world.patient_user)
    path = f"/patients/{world.patient.pk}/referrals"
    ok = person.post(
        path, {"service_id": directory["group"].pk, "reason": "I'd like to meet others"}
    )
    assert ok.status_code == 201
    assert ok.json()["self_referral"] is True
    refused = person.post(path, {"service_id": directory["psychology"].pk, "reason": "Help"})
    assert refused.status_code == 422
    assert "service" in refused.json()["error"]["fields"]
    assert (
        api_as(world.other_patient_user)
        .post(path, {"service_id": directory["group"].pk, "reason": "x"})
        .status_code
        == 404
    )
    rid = ok.json()["id"]
    assert person.post(f"/referrals/{rid}/status", {"status": "accepted"}).status_code == 422
    cancelled = person.post(
        f"/referrals/{rid}/status", {"status": "cancelled", "note": "Found one"}
    )
    assert cancelled.json()["status"] == "cancelled"


def test_offers_are_recorded_for_the_standard(world, api_as):
    nurse = api_as(world.key_worker)
    path = f"/patients/{world.patient.pk}/support-offers"
    for kind in ("peer_support", "resource_pack", "helpline"):
        assert nurse.post(path, {"kind": kind, "accepted": True}).status_code == 201
    assert nurse.post(path, {"kind": "yoga"}).status_code == 422
    assert {o["kind"] for o in nurse.get(path).json()} == {
        "peer_support",
        "resource_pack",
        "helpline",
    }
    assert api_as(world.other_team_nurse).get(path).status_code == 404
    assert SupportOffer.objects.count() == 3


def test_the_pages_refer_and_self_refer(world, client, directory):
    client.force_login(world.key_worker)
    page = client.get(f"/patients/{world.patient.pk}/support/?kind=benefits")
    assert b"Benefits advice" in page.content
    client.post(
        f"/patients/{world.patient.pk}/support/refer/",
        {"service_id": directory["benefits"].pk, "reason": "Money worries"},
    )
    assert Referral.objects.filter(self_referral=False).count() == 1
    client.force_login(world.patient_user)
    portal = client.get("/portal/support/?kind=peer_support&area=LS6")
    assert b"Ask Living with Secondary Breast Cancer (Leeds) to contact me" in portal.content
    client.post("/portal/support/refer/", {"service_id": directory["group"].pk})
    assert Referral.objects.filter(self_referral=True).count() == 1
    assert b"Benefits advice" in client.get("/portal/support/").content
