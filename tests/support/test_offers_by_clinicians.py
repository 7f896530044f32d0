"""An offer of support (which meets standard SUP1) is recorded by the person's clinicians only;
the person asks for support by referring themselves."""

from __future__ import annotations

import pytest
from tests.world import World

from waypoint.audit.models import AuditEvent
from waypoint.core.errors import Forbidden, NotFound
from waypoint.support.models import SupportOffer, SupportService
from waypoint.support.services import offer_record

pytestmark = pytest.mark.django_db


def _path(world: World) -> str:
    return f"/patients/{world.patient.pk}/support-offers"


@pytest.mark.parametrize("who", ["key_worker", "colleague", "oncologist"])
def test_the_persons_clinicians_record_an_offer(world: World, api_as, who: str) -> None:  # type: ignore[no-untyped-def]
    answer = api_as(getattr(world, who)).post(_path(world), {"kind": "helpline"})
    assert answer.status_code == 201
    offer = SupportOffer.objects.get()
    assert offer.offered_by == getattr(world, who)
    assert AuditEvent.objects.filter(object_type="support_offer", object_id=offer.pk).exists()


def test_the_person_gets_403_recording_an_offer_on_their_own_record(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    answer = api_as(world.patient_user).post(_path(world), {"kind": "peer_support"})
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"
    assert "refer yourself" in answer.json()["error"]["message"]
    assert not SupportOffer.objects.exists()


@pytest.mark.parametrize("who", ["other_team_nurse", "other_patient_user", "helpline_nurse"])
def test_an_outsider_gets_404_recording_an_offer(world: World, api_as, who: str) -> None:  # type: ignore[no-untyped-def]
    answer = api_as(getattr(world, who)).post(_path(world), {"kind": "helpline"})
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
    assert not SupportOffer.objects.exists()


def test_the_service_refuses_the_person_whatever_calls_it(world: World) -> None:
    with pytest.raises(Forbidden):
        offer_record(actor=world.patient_user, patient_id=world.patient.pk, kind="helpline")
    with pytest.raises(NotFound):
        offer_record(actor=world.other_patient_user, patient_id=world.patient.pk, kind="helpline")
    assert not SupportOffer.objects.exists()


def test_the_person_still_refers_themselves(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    group = SupportService.objects.create(
        name="Secondaries support group",
        kind="peer_support",
        provider="Provider",
        area_served="National",
        mode="online",
        response_days=14,
    )
    answer = api_as(world.patient_user).post(
        f"/patients/{world.patient.pk}/referrals",
        {"service_id": group.pk, "reason": "I'd like to meet others"},
    )
    assert answer.status_code == 201
    assert answer.json()["self_referral"] is True


def test_the_pages_offer_the_person_no_way_to_record_an_offer(world: World, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.patient_user)
    for page in ("/portal/", "/portal/support/"):
        content = client.get(page).content.decode()
        assert "/support/offer/" not in content
        assert "Record the offer" not in content
    posted = client.post(f"/patients/{world.patient.pk}/support/offer/", {"kind": "helpline"})
    assert posted.status_code == 403
    assert not SupportOffer.objects.exists()
