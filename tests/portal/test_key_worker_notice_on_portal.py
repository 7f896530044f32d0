"""The person is told on the portal's home page when they are given a (new) key worker."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from tests.world import World

from waypoint.careteam.models import KeyWorkerNotice
from waypoint.careteam.services import keyworker_assign


def _home(client: Client) -> str:
    return client.get(reverse("portal_home")).content.decode()


def test_a_new_key_worker_is_announced_until_the_person_says_got_it(world: World) -> None:
    keyworker_assign(
        actor=world.key_worker,
        patient=world.patient,
        key_worker_id=world.colleague.pk,
        reason="Kate is moving team",
    )
    client = Client()
    client.force_login(world.patient_user)

    before = _home(client)
    notice = KeyWorkerNotice.objects.filter(patient=world.patient, seen_at__isnull=True).latest(
        "created_at"
    )
    client.post(reverse("key_worker_notice_seen", args=[notice.pk]), {"next": "/portal/"})
    after = _home(client)

    assert "Your key worker is now Colin Lee" in before
    assert world.team_a.in_hours_phone in before
    assert world.team_a.out_of_hours_phone in before
    assert "Your key worker is now" not in after


def test_each_person_sees_only_their_own_key_worker_news(world: World) -> None:
    keyworker_assign(
        actor=world.key_worker,
        patient=world.patient,
        key_worker_id=world.colleague.pk,
        reason="Kate is moving team",
    )
    client = Client()
    client.force_login(world.other_patient_user)

    page = _home(client)

    assert "Your key worker is now Colin Lee" in page  # Bea's own key worker, from the start
    assert "Kate is moving team" not in page
    assert page.count('id="key-worker-notice"') == 1
