"""The reports page carries the experience survey's figures for the same teams and period, with
the page's own suppression: exact for the team's clinicians, small numbers hidden for managers."""

from __future__ import annotations

import pytest
from tests.experience.test_results import surveyed  # noqa: F401  # the survey fixture

pytestmark = pytest.mark.django_db


def _section(page: str) -> str:
    return page[page.index('id="experience-heading"') :]


def test_a_clinician_sees_the_teams_exact_survey_figures(surveyed, client):  # noqa: F811
    client.force_login(surveyed.key_worker)
    page = client.get("/reports/", {"team": surveyed.team_a.pk}).content.decode()
    section = _section(page)
    assert 'href="#experience"' in page  # in the page's contents list
    # Team A: 8 surveys sent in December, 6 answered; 3 of 5 could name their key worker.
    assert "surveys sent 8, answered 6 (response rate 75%)" in section
    assert '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">3</td>' in section
    assert "60%" in section


def test_a_manager_sees_the_survey_figures_with_small_numbers_suppressed(surveyed, client):  # noqa: F811
    client.force_login(surveyed.manager)
    section = _section(client.get("/reports/", {"team": surveyed.team_a.pk}).content.decode())
    assert "fewer than 5" in section
    assert "withheld" in section
    assert "First comment" not in section
