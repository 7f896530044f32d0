"""The portal home page links to everything the person may want to do, every day, and the list of
who has looked at their record shows others' views rather than their own."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from tests.core.test_plain_words import visible_text
from tests.world import World

from waypoint.triage.models import CheckIn, CheckInStatus

pytestmark = pytest.mark.django_db


def _links(html: str) -> dict[str, str]:
    """Visible link text → href, for links on the page."""
    return {
        " ".join(re.sub(r"<[^>]+>", "", text).split()): href
        for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    }


def test_the_home_page_always_links_to_the_needs_assessment(client: Client, world: World) -> None:
    client.force_login(world.patient_user)
    links = _links(client.get("/portal/").content.decode())
    assert links["Your needs assessment: tell your team what matters to you now"] == (
        "/portal/assessment/"
    )


def test_once_started_the_link_says_carry_on(client: Client, world: World) -> None:
    client.force_login(world.patient_user)
    client.get("/portal/assessment/")  # opens one
    links = _links(client.get("/portal/").content.decode())
    assert "/portal/assessment/" in links["Carry on with your needs assessment"]


def test_the_weekly_check_in_notice_links_to_the_check_in(client: Client, world: World) -> None:
    now = timezone.now()
    CheckIn.objects.create(
        patient=world.patient,
        due_at=now,
        closes_at=now + dt.timedelta(days=3),
        status=CheckInStatus.DUE,
    )
    client.force_login(world.patient_user)
    html = client.get("/portal/").content.decode()
    assert "Your weekly check-in is due." in visible_text(html)
    assert _links(html)["Do your weekly check-in"] == "/portal/symptoms/?new=1"


def test_the_access_list_shows_staff_views_and_not_the_persons_own(
    client: Client, world: World
) -> None:
    nurse = Client()
    nurse.force_login(world.key_worker)
    nurse.get(f"/patients/{world.patient.pk}/")
    client.force_login(world.patient_user)
    for _ in range(3):
        client.get("/portal/")
    text = visible_text(client.get("/portal/access/").content.decode())
    assert "Kate Walker" in text
    assert "your own visits are not listed" in text
    rows = text.split("What they did", 1)[1]
    assert "You " not in rows
    assert world.patient_user.display_name not in rows
