"""Standards evaluated from the record: the facts gathered from every capability."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from waypoint.standards.selectors import facts_for
from waypoint.support.services import offer_record
from waypoint.timeline.services import timeline_record

pytestmark = pytest.mark.django_db


def test_the_record_feeds_the_standards(world, api_as):
    today = timezone.localdate()
    timeline_record(actor=world.key_worker, patient_id=world.patient.pk, kind="mdt", on=today)
    timeline_record(
        actor=world.key_worker,
        patient_id=world.patient.pk,
        kind="contact",
        on=today,
        contact_kind="call",
        key_worker_introduced=True,
    )
    for kind in ("peer_support", "resource_pack", "helpline"):
        offer_record(actor=world.key_worker, patient_id=world.patient.pk, kind=kind)
    facts = facts_for([world.patient.pk], today=today)[world.patient.pk]
    assert facts.t0 == dt.date(2026, 10, 1)
    assert facts.has_key_worker is True
    assert facts.mdt_dates == (today,)
    assert facts.key_worker_told_on == today
    assert set(facts.offers) == {"peer_support", "resource_pack", "helpline"}
    body = api_as(world.key_worker).get(f"/patients/{world.patient.pk}/standards").json()
    by_code = {s["code"]: s for s in body}
    assert len(body) == 17
    # Diagnosed on 1 October, key worker assigned today: later than T0 + 14 days.
    assert by_code["KW1"]["status"] == "not_met"
    assert "late" in by_code["KW1"]["evidence"]
    assert by_code["MDT1"]["status"] in ("met", "not_met")
    assert by_code["TRI1"]["status"] == "not_applicable"
    assert by_code["HNA1"]["status"] in ("pending", "not_met")
    assert all(s["rules_version"] == "waypoint-standards-1" for s in body)


def test_outsiders_cannot_see_a_persons_standards(world, api_as, client):
    assert (
        api_as(world.other_team_nurse).get(f"/patients/{world.patient.pk}/standards").status_code
        == 404
    )
    assert api_as(world.manager).get(f"/patients/{world.patient.pk}/standards").status_code == 404
    client.force_login(world.key_worker)
    page = client.get(f"/patients/{world.patient.pk}/standards/")
    assert b"KW1: Named key worker" in page.content


def test_the_person_page_and_api_list_what_is_still_to_do(world, client, api_as):
    client.force_login(world.key_worker)
    page = client.get(f"/patients/{world.patient.pk}/standards/").content.decode()
    assert "Still to do" in page
    due = api_as(world.key_worker).get(f"/patients/{world.patient.pk}/due")
    assert due.status_code == 200
    codes = [d["code"] for d in due.json()]
    assert "KW2" in codes  # no introduction recorded, weeks after T0
    assert all(d["open"] for d in due.json())
    assert (
        api_as(world.other_team_nurse).get(f"/patients/{world.patient.pk}/due").status_code == 404
    )
