"""Walking a journey as the person would: at every step a full-page screenshot, an axe-core check,
and every link on the page followed (each once per journey, as the signed-in person, while the
page is current: a link back into a form that is later sent need not answer afterwards).

A journey's problems (accessibility violations, links that do not answer) are gathered in one
list and reported together by ``Journey.finish()``, so one run shows all of them; what the person
should see on screen is asserted in the test itself, step by step.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

from playwright.sync_api import Locator, Page

from tests.browser.conftest import REPOSITORY, WCAG_TAGS, load_axe

SCREENSHOTS = REPOSITORY / "test-results" / "screenshots"
# Wednesday 2 December 2026, 10am in London: in hours, two months after the world's people were
# diagnosed (T0 = 1 October 2026), so their needs assessments and standards are overdue.
A_WEDNESDAY_MORNING = dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC)

# The third-party page that Waypoint serves but does not write: screenshotted and its links
# followed, but not checked with axe-core. Why, and what is done instead: test_journey_admin.py.
NOT_OURS = re.compile(r"^/api/v1/docs")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def menu_link(page: Page, name: str) -> Locator:
    """A link in the header menu, opening "More" first when the menu has folded it away."""
    link = page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        page.get_by_role("button", name="Browse More").click()
    return link


@dataclass
class Journey:
    """One person's way through Waypoint in one browser context."""

    page: Page
    base_url: str
    name: str
    steps: int = 0
    folder: Path = field(init=False)
    links: dict[str, str] = field(default_factory=dict)  # link -> the page it was first seen on
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.folder = SCREENSHOTS / self.name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)

    def step(self, label: str) -> None:
        """Records the page as it is now: a full-page screenshot, axe-core, and its links."""
        self.page.wait_for_load_state()
        self.steps += 1
        self.page.screenshot(
            path=self.folder / f"{self.steps:02d}-{_slug(label)}.png", full_page=True
        )
        if not NOT_OURS.match(urlsplit(self.page.url).path):
            self._check_accessibility(label)
        self._follow_links()

    def _follow_links(self) -> None:
        hrefs: list[str] = self.page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.href)"
        )
        here = urldefrag(self.page.url).url
        for href in hrefs:
            url = urldefrag(href).url
            if not url.startswith(self.base_url) or url == here or url in self.links:
                continue
            self.links[url] = here
            response = self.page.request.get(url, fail_on_status_code=False)
            if response.status >= 400:
                self.problems.append(f"link {url} (on {here}) answered {response.status}")

    def _check_accessibility(self, label: str) -> None:
        load_axe(self.page)
        result: dict[str, Any] = self.page.evaluate(
            # Only violations are read, and asking for only those makes axe-core much quicker.
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']})",
            WCAG_TAGS,
        )
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                self.problems.append(
                    f"axe on {label} ({self.page.url}): {violation['id']} ({violation['impact']}): "
                    f"{violation['help']} at {targets}"
                )

    def finish(self) -> None:
        """Reports every accessibility violation and failing link met on the way."""
        assert not self.problems, f"{self.name}:\n" + "\n".join(self.problems)
