from __future__ import annotations

import re

from django.test import Client
from tests.world import World


def _current_items(html: str) -> list[str]:
    return re.findall(r'aria-current="page">(?:<strong[^>]*>)?([^<]+)<', html)


def test_only_the_most_specific_menu_item_is_current_on_a_symptom_question(
    client: Client, world: World
) -> None:
    client.force_login(world.patient_user)
    response = client.get("/portal/symptoms/", follow=True)
    assert response.status_code == 200
    assert _current_items(response.content.decode()) == ["Report symptoms"]


def test_home_is_current_on_the_portal_home_page(client: Client, world: World) -> None:
    client.force_login(world.patient_user)
    response = client.get("/portal/")
    assert _current_items(response.content.decode()) == ["Home"]


def test_a_staff_page_marks_one_menu_item(client: Client, world: World) -> None:
    client.force_login(world.key_worker)
    response = client.get("/caseload/")
    assert _current_items(response.content.decode()) == ["Caseload"]
