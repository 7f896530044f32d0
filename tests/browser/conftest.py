"""Browser tests: Debian's Chromium driven by Playwright against Django's live server."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from playwright.sync_api import Browser, Page, sync_playwright

from waypoint.core.testing import PASSWORD, World, build_world

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run in a
# thread with a running loop unless told it is safe, which it is here (tests run serially).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
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


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


def _clear_audit_trail_for_flush() -> None:
    """Live-server tests end with a flush (DELETE FROM every table). SQLite's append-only
    trigger rightly refuses to delete audit rows, so empty that table with the trigger briefly
    lifted, and put it back. PostgreSQL flushes with TRUNCATE, which row triggers do not see."""
    if connection.vendor != "sqlite":
        return
    append_only = importlib.import_module("waypoint.audit.migrations.0003_append_only")
    with connection.cursor() as cursor:
        for statement in append_only.SQLITE_DOWN:
            cursor.execute(statement)
        cursor.execute("DELETE FROM audit_auditevent")
        for statement in append_only.SQLITE_UP:
            cursor.execute(statement)


@pytest.fixture
def browser_world(transactional_db: None) -> Iterator[World]:
    yield build_world()
    _clear_audit_trail_for_flush()


def login(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def assert_accessible(page: Page) -> None:
    """axe-core, WCAG 2.2 AA rule set: no serious or critical violation."""
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in bad
    ]
    assert not bad, "\n".join(details)
