"""The main pages work under the Content-Security-Policy (core/headers.py): loaded in Chromium,
none makes the browser refuse a script, a style, a font, an image or a request. A refusal shows
as a console message and a securitypolicyviolation event; both are collected and any one fails."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, login
from tests.world import World

pytestmark = pytest.mark.browser

# Runs before any of the page's own scripts; Playwright's init scripts are not subject to the
# policy, so the listener is in place whatever the page does.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} refused ${e.blockedURI || "inline"} ` +
    `(${e.sourceFile || "page"}:${e.lineNumber})`);
});
"""
REFUSAL = ("Content Security Policy", "Refused to")


class Watched:
    """A page whose policy refusals are all kept, from the console and from the event."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(WATCH)
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if any(word in message.text for word in REFUSAL):
            self.console.append(f"{self.page.url}: {message.text}")

    def visit(self, url: str, ready: Callable[[Page], None] | None = None) -> None:
        response = self.page.goto(url)
        assert response is not None and response.ok, url
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        if ready is not None:
            ready(self.page)
        self.page.wait_for_load_state("load")
        self.check()

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("() => window.__violations || []")
        return [f"{self.page.url}: {v}" for v in found]

    def check(self) -> None:
        problems = self.violations() + self.console
        assert not problems, "\n".join(problems)


@pytest.fixture
def watched(new_page: NewPage, live_server: LiveServer) -> Callable[[], Watched]:
    # The live server's first answer loads every URL and the API schema; on a busy machine that
    # alone can outlast a page's 10-second timeout, so it is paid here, outside any page.
    new_page().request.get(f"{live_server.url}/login/", timeout=120_000)
    return lambda: Watched(new_page())


def test_the_watch_sees_a_refused_inline_style(
    watched: Callable[[], Watched], live_server: LiveServer, world: World
) -> None:
    """The check is not vacuous: an inline style added to a page is refused and reported."""
    page = watched()
    page.visit(f"{live_server.url}/login/")
    page.page.evaluate(
        "() => document.head.insertAdjacentHTML('beforeend', '<style>body{color:red}</style>')"
    )
    page.page.wait_for_function("() => window.__violations.length > 0")
    assert "style-src" in page.violations()[0]


def test_sign_in_and_the_portal_home_run_under_the_policy(
    watched: Callable[[], Watched], live_server: LiveServer, world: World
) -> None:
    page = watched()
    page.visit(f"{live_server.url}/login/")
    # The script that marks the page as running JavaScript is a file now, and still runs.
    assert "js-enabled" in page.page.evaluate("() => document.body.className")
    login(page.page, live_server, world.patient_user.username)
    page.visit(f"{live_server.url}/portal/")
    expect(page.page.get_by_role("heading", level=1)).to_be_visible()
    page.check()


def test_the_caseload_triage_queue_and_reports_run_under_the_policy(
    watched: Callable[[], Watched], live_server: LiveServer, world: World
) -> None:
    page = watched()
    login(page.page, live_server, world.key_worker.username)
    page.visit(f"{live_server.url}/caseload/")
    expect(page.page.get_by_role("heading", level=1)).to_have_text("Caseload")
    page.visit(f"{live_server.url}/triage/")
    expect(page.page.get_by_role("heading", level=1)).to_contain_text("Triage queue")
    page.visit(f"{live_server.url}/reports/")
    page.visit(f"{live_server.url}/patients/{world.patient.pk}/")


def test_the_helpline_grades_live_through_htmx_under_the_policy(
    watched: Callable[[], Watched], live_server: LiveServer, world: World
) -> None:
    page = watched()
    login(page.page, live_server, world.helpline_nurse.username)
    page.visit(f"{live_server.url}/helpline/call/?patient={world.patient.pk}")
    page.page.get_by_label("Temperature", exact=True).fill("39.5")
    page.page.get_by_label("Temperature", exact=True).press("Tab")
    expect(page.page.locator("#grade-panel")).to_contain_text("waypoint-triage-1")
    page.check()


def test_the_admin_runs_under_the_policy(
    watched: Callable[[], Watched], live_server: LiveServer, world: World
) -> None:
    page = watched()
    login(page.page, live_server, world.admin.username)
    for path in (
        "/admin/",
        "/admin/accounts/user/",
        "/admin/careteam/oncallshift/add/",
        f"/admin/careteam/team/{world.team_a.pk}/change/",
    ):
        page.visit(f"{live_server.url}{path}")
    # The admin's own scripts run: its theme button switches the theme.
    theme = "() => document.documentElement.dataset.theme"
    before = page.page.evaluate(theme)
    page.page.locator("button.theme-toggle").first.click()
    assert page.page.evaluate(theme) != before
    page.check()


def test_the_api_docs_run_under_the_policy(
    watched: Callable[[], Watched], live_server: LiveServer, world: World
) -> None:
    page = watched()
    login(page.page, live_server, world.key_worker.username)
    page.visit(
        f"{live_server.url}/api/v1/docs",
        ready=lambda p: expect(p.locator(".swagger-ui .opblock").first).to_be_visible(),
    )
