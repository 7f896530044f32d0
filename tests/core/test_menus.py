"""Every persona follows every item of their menu and reaches a page, never an error."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from tests.core.page_text import text
from tests.world import World

PERSONAS = [
    "key_worker",
    "colleague",
    "other_team_nurse",
    "oncologist",
    "helpline_nurse",
    "manager",
    "admin",
    "patient_user",
    "other_patient_user",
]


class _MenuLinks(HTMLParser):
    """The links of the header's menu (``<nav aria-label="Menu">``)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._in_menu = False
        self._href: str | None = None
        self._words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "nav" and a.get("aria-label") == "Menu":
            self._in_menu = True
        elif tag == "a" and self._in_menu:
            self._href = a.get("href") or ""
            self._words = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._words.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_menu = False
        elif tag == "a" and self._href is not None:
            self.links.append((" ".join("".join(self._words).split()), self._href))
            self._href = None


def menu_links(html: str) -> list[tuple[str, str]]:
    parser = _MenuLinks()
    parser.feed(html)
    return parser.links


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_menu_item_answers_a_page(world: World, persona: str) -> None:
    client = Client()
    client.force_login(getattr(world, persona))
    home = client.get("/", follow=True)
    assert home.status_code == 200
    links = menu_links(home.content.decode())
    assert links, f"{persona} has no menu"
    for words, href in links:
        response = client.get(href, follow=True)
        assert response.status_code == 200, (persona, words, href, response.status_code)
        html = response.content.decode()
        assert "Bad Request" not in html and "There is a problem with the service" not in html


def test_the_helpline_nurse_sees_their_queue_without_anyone_elses_missed_check_ins(
    world: World,
) -> None:
    client = Client()
    client.force_login(world.helpline_nurse)
    response = client.get("/triage/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Triage queue: Acute Oncology Helpline" in text(html, "nhsuk-main-wrapper")
    assert "Missed check-ins" not in html


def test_the_key_worker_still_sees_missed_check_ins(world: World) -> None:
    client = Client()
    client.force_login(world.key_worker)
    html = client.get("/triage/").content.decode()
    assert "Missed check-ins" in html
