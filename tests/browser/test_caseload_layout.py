"""The key worker's caseload on a 1280 × 900 desktop screen with a full page of 50 people, many
with care standards due or overdue: nothing is cut off, the page stays short enough to scan, and
what is overdue comes first in each row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import NewPage, assert_accessible, login
from tests.world import World, make_patient
from waypoint.careteam.services import keyworker_assign

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
ROWS = 50
# 50 rows of one or two lines of text (about 24 px each) and at most three short lines in the
# due column come to under 100 px a row, 5,000 px for the table; the header, counts, filters,
# pagination and footer take about 900 px more. 6,000 px leaves a little room for a name or a
# cover note wrapping, and is a quarter of the 25,000 px a page of tall rows used to take.
MAX_PAGE_HEIGHT = 6_000
# Three lines of small text (the tallest due cell: two items and the link to the rest) and the
# cell's padding; a row taller than this is no longer "one or two lines" to the eye.
MAX_ROW_HEIGHT = 100


def _fill_caseload(world: World) -> None:
    """49 more of Kate's own people beside Ada: diagnosed two months ago (several standards
    overdue), three weeks ago (some overdue, some due) or this week (all still due)."""
    today = timezone.localdate()
    ages = (dt.timedelta(days=60), dt.timedelta(days=22), dt.timedelta(days=3))
    for i in range(ROWS - 1):
        patient = make_patient(
            team=world.team_a,
            given=f"Person{i:02d}",
            family=f"Caseload{i:02d}",
            metastatic_on=today - ages[i % 3],
            sites=("bone", "liver", "lung") if i % 4 == 0 else ("bone",),
        )
        keyworker_assign(
            actor=None, patient=patient, key_worker_id=world.key_worker.pk, reason="New diagnosis"
        )


MEASURE = """
table => {
  const scroll = table.closest('.wp-table-scroll');
  const cells = [...table.querySelectorAll('tbody td.wp-due')];
  return {
    scroll: {scrollWidth: scroll.scrollWidth, clientWidth: scroll.clientWidth},
    cells: cells.map(c => ({scrollWidth: c.scrollWidth, clientWidth: c.clientWidth})),
    rowHeights: [...table.querySelectorAll('tbody tr')].map(r => r.getBoundingClientRect().height),
    pageHeight: document.documentElement.scrollHeight,
    pageWidth: document.documentElement.scrollWidth,
    items: cells.map(c => [...c.querySelectorAll('li')].map(li => ({
      overdue: li.classList.contains('wp-due__item--overdue'),
      text: li.innerText,
      height: li.getBoundingClientRect().height,
    }))),
  };
}
"""


def _measure(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.locator("#caseload-table").evaluate(MEASURE)
    return result


def test_a_full_caseload_fits_a_desktop_screen_with_overdue_standards_first(
    new_page: NewPage, live_server: LiveServer, world: World
) -> None:
    _fill_caseload(world)
    page = new_page(viewport=DESKTOP)
    login(page, live_server, "kw")
    expect(page.locator("#caseload-table tbody tr")).to_have_count(ROWS)
    m = _measure(page)

    # Nothing cut off: the table needs no sideways scrolling, nor does any due cell.
    assert m["scroll"]["scrollWidth"] <= m["scroll"]["clientWidth"], m["scroll"]
    assert m["pageWidth"] <= DESKTOP["width"], m["pageWidth"]
    assert len(m["cells"]) == ROWS
    wide = [c for c in m["cells"] if c["scrollWidth"] > c["clientWidth"]]
    assert not wide, wide

    # Compact: short rows, and a page that can be scanned.
    assert max(m["rowHeights"]) <= MAX_ROW_HEIGHT, sorted(m["rowHeights"])[-5:]
    assert m["pageHeight"] < MAX_PAGE_HEIGHT, m["pageHeight"]

    # Each due item is one line with a plain name, never a bare code; overdue ones come first
    # and say so in words.
    items = [item for row in m["items"] for item in row]
    assert any(i["overdue"] for i in items) and any(not i["overdue"] for i in items)
    for row in m["items"]:
        assert len(row) <= 2, row
        flags = [i["overdue"] for i in row]
        assert flags == sorted(flags, reverse=True), row
        for item in row:
            assert item["height"] <= 30, item
            assert ("Overdue" in item["text"]) == item["overdue"], item
    texts = " ".join(i["text"] for i in items)
    for code in ("KW2", "MDT1", "SUP1"):
        assert code not in texts
    assert "Introduce key worker" in texts

    # The rest of a person's standards are one link away.
    ada = page.locator("#caseload-table tbody tr", has_text="LOVELACE, Ada")
    expect(ada.locator("td.wp-due a")).to_have_attribute(
        "href", f"/patients/{world.patient.pk}/standards/"
    )
    assert_accessible(page)
