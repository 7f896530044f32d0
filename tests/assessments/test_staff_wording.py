"""The needs assessment speaks to whoever fills it in: the person on the portal, or a nurse
completing it with them (who reads "the person", never "my team")."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.core.test_plain_words import visible_text
from tests.world import World

pytestmark = pytest.mark.django_db


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


def test_a_nurse_completing_it_with_the_person_reads_staff_wording(
    client: Client, world: World
) -> None:
    client.force_login(world.key_worker)
    base = f"/patients/{world.patient.pk}/assessments"
    distress = _page(client, f"{base}/distress/")
    assert "How much distress has the person felt in the past week?" in distress
    assert "have you felt" not in distress
    check = _page(client, f"{base}/check/")
    assert "Record the assessment and send it to the key worker" in check
    assert "In their words" in check
    assert "send to my team" not in check.lower()
    assert "Your answers" not in check


def test_the_person_on_the_portal_keeps_their_own_wording(client: Client, world: World) -> None:
    client.force_login(world.patient_user)
    distress = _page(client, "/portal/assessment/distress/")
    assert "How much distress have you felt in the past week?" in distress
    check = _page(client, "/portal/assessment/check/")
    assert "Finish and send to my team" in check
    assert "In your words" in check


def test_finishing_with_the_person_tells_the_nurse_what_happened(
    client: Client, world: World
) -> None:
    client.force_login(world.key_worker)
    base = f"/patients/{world.patient.pk}/assessments"
    client.post(f"{base}/distress/", {"distress": "3"})
    response = client.post(f"{base}/check/", follow=True)
    text = visible_text(response.content.decode())
    assert "The assessment is recorded and the key worker can see it." in text
    assert "Your answers are with your care team" not in text
