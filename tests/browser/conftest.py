"""Browser tests: Debian's Chromium driven by Playwright against Django's live server."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.world import PASSWORD, World, build_world, clear_audit_trail_for_flush

# Playwright's sync API keeps an event loop running in the test thread, and Django refuses ORM
# calls from a thread with a running loop (SynchronousOnlyOperation). Here that is safe: the
# loop only drives the browser, and the test's own queries never run concurrently with it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPOSITORY = Path(__file__).resolve().parents[2]
AXE = REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Anything but the live server, such as the NHS.UK stylesheet's Frutiger fonts on assets.nhs.uk:
# with no network, those requests hang and hold up the page's load event for seconds.
OFF_SITE = re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/])")

NewPage = Callable[..., Page]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole run; each test gets fresh contexts (cookies, storage)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[NewPage]:
    """Opens a page in a new browser context (a separate person); all are closed afterwards."""
    contexts: list[BrowserContext] = []
    off_site: list[str] = []

    def refuse(route: Route) -> None:
        off_site.append(route.request.url)
        route.abort()

    def open_page(**context_options: Any) -> Page:
        options: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}
        context = browser.new_context(**(options | context_options))
        context.set_default_timeout(10_000)
        context.route(OFF_SITE, refuse)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    # Pages must not call third parties: no fonts, scripts or trackers from elsewhere.
    assert not off_site, f"pages requested off-site resources: {sorted(set(off_site))}"


@pytest.fixture
def page(new_page: NewPage) -> Page:
    return new_page()


@pytest.fixture
def world(transactional_db: None) -> Iterator[World]:
    """The personas, committed, so the live server's thread sees them (unlike tests/conftest.py's
    ``world``, which lives inside a transaction that only the test's own connection can see)."""
    yield build_world()
    clear_audit_trail_for_flush()


def login(page: Page, live_server: LiveServer, username: str, password: str = PASSWORD) -> None:
    """Signs in through the form, as a person would, and waits for the page that follows."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def load_axe(page: Page) -> None:
    """Puts axe-core into the page. Not as a <script> tag: the Content-Security-Policy refuses
    inline scripts, while code Playwright evaluates is not subject to it."""
    page.evaluate("() => {\n" + AXE.read_text(encoding="utf-8") + "\n}")


def assert_accessible(page: Page) -> None:
    """axe-core with the WCAG 2.2 AA rules: no serious or critical violation on the page."""
    load_axe(page)
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in bad
    ]
    assert not bad, f"{page.url}\n" + "\n".join(details)
