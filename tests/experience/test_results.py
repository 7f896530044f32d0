"""Survey figures against hand-computed values; who sees what; small numbers; queries."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.experience.factories import FIRST_DUE, at, invite, people, reachable

from waypoint.audit.models import AuditEvent
from waypoint.experience import services
from waypoint.experience.selectors import experience_summary

pytestmark = pytest.mark.django_db

# Six paper answers in team A (of eight invited in December 2026), one in team B (of one).
TEAM_A_ANSWERS = [
    {"names_key_worker": "yes", "key_worker_name": "Nurse", "contact_in_hours": "yes",
     "contact_out_of_hours": "yes", "offered_peer_support": "yes", "offered_helpline": "yes",
     "care_coordinated": "always", "comment": "First comment"},
    {"names_key_worker": "yes", "contact_in_hours": "yes", "contact_out_of_hours": "no",
     "offered_peer_support": "yes", "offered_helpline": "yes", "care_coordinated": "mostly"},
    {"names_key_worker": "yes", "contact_in_hours": "yes", "contact_out_of_hours": "no",
     "offered_peer_support": "yes", "offered_helpline": "no", "care_coordinated": "mostly"},
    {"names_key_worker": "no", "contact_in_hours": "yes", "contact_out_of_hours": "no",
     "offered_peer_support": "yes", "offered_helpline": "dont_remember",
     "care_coordinated": "sometimes"},
    {"names_key_worker": "not_sure", "contact_in_hours": "yes", "offered_peer_support": "yes",
     "offered_helpline": "no", "care_coordinated": "never"},
    {"contact_in_hours": "yes", "offered_peer_support": "no", "offered_helpline": "no",
     "care_coordinated": "not_sure", "comment": "Last comment"},
]  # fmt: skip
# code: (positive, answered), worked out by hand from the answers above
EXPECTED_A = {
    "names_key_worker": (3, 5),
    "contact_in_hours": (6, 6),
    "contact_out_of_hours": (1, 4),
    "offered_peer_support": (5, 6),
    "offered_resource_pack": (0, 0),
    "offered_helpline": (2, 6),
    "care_coordinated": (3, 6),
    "key_worker_named_correctly": (0, 1),
}
DECEMBER = dt.date(2026, 12, 1)
PERIOD = {"since": "2026-12-01", "until": "2027-01-31"}


@pytest.fixture
def surveyed(world):
    team_a = [world.patient, world.other_patient, *people(world.team_a, 6)]
    invite(team_a)
    reachable(world.team_b_patient)
    invite([world.team_b_patient])
    for i, (person, answers) in enumerate(zip(team_a[2:], TEAM_A_ANSWERS, strict=True)):
        services.experience_paper_record(
            actor=world.key_worker,
            patient_id=person.pk,
            answers=answers,
            now=at(FIRST_DUE + dt.timedelta(days=1), 9 + i),
        )
    services.experience_paper_record(
        actor=world.other_team_nurse,
        patient_id=world.team_b_patient.pk,
        answers={"names_key_worker": "yes", "comment": "Team B comment"},
        now=at(FIRST_DUE + dt.timedelta(days=1)),
    )
    with time_machine.travel(at(dt.date(2027, 1, 15)), tick=False):
        yield world


def test_the_summary_matches_the_hand_counted_figures(surveyed):
    summary = experience_summary(
        team_ids=[surveyed.team_a.pk], since=dt.date(2026, 12, 1), until=dt.date(2027, 1, 31)
    )
    assert (summary.total.invitations, summary.total.responses) == (8, 6)
    assert summary.total.response_rate == 75.0
    assert {s.code: (s.positive, s.answered) for s in summary.total.shares} == EXPECTED_A
    assert [s.percent for s in summary.total.shares][:3] == [60.0, 100.0, 25.0]
    assert [m.month for m in summary.months] == [DECEMBER, dt.date(2027, 1, 1)]
    assert summary.months[0].figures == summary.total
    assert summary.months[1].figures.invitations == 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.since = DECEMBER  # type: ignore[misc]  # frozen on purpose


def test_the_summary_counts_every_team_it_is_given(surveyed):
    both = experience_summary(
        team_ids=[surveyed.team_a.pk, surveyed.team_b.pk],
        since=dt.date(2026, 12, 1),
        until=dt.date(2026, 12, 31),
    )
    assert (both.total.invitations, both.total.responses) == (9, 7)
    assert both.total.shares[0].positive == 4
    outside = experience_summary(
        team_ids=[surveyed.team_a.pk], since=dt.date(2027, 1, 1), until=dt.date(2027, 1, 31)
    )
    assert outside.total.invitations == 0


def test_the_team_key_worker_sees_exact_figures_and_comments_newest_first(surveyed, api_as):
    body = api_as(surveyed.key_worker).get("/experience/results", PERIOD).json()
    assert body["small_number_threshold"] is None
    assert body["team_ids"] == [surveyed.team_a.pk]
    shares = {s["code"]: (s["positive"], s["answered"]) for s in body["total"]["shares"]}
    assert shares == EXPECTED_A
    assert [c["text"] for c in body["comments"]] == ["Last comment", "First comment"]
    assert body["comments"][0] == {
        "month": "2026-12",
        "team": "Breast Team A",
        "text": "Last comment",
    }
    assert (
        AuditEvent.objects.filter(
            actor=surveyed.key_worker, object_type="experience_comment", action="list"
        ).count()
        == 2
    )


def test_the_results_page_for_the_team(surveyed, client):
    client.force_login(surveyed.key_worker)
    page = client.get("/experience/", PERIOD).content.decode()
    assert "Patient experience: All teams you may see" in page
    assert "Response rate: <strong>75%</strong>" in page
    assert "<svg" in page and 'role="img"' in page
    assert '<table class="nhsuk-table" id="shares-table">' in page
    assert "Last comment" in page and "Team B comment" not in page
    for name in ("Person", "Ada", "Lovelace"):
        assert name not in page
    assert AuditEvent.objects.filter(
        actor=surveyed.key_worker, object_type="experience_results", action="view"
    ).exists()


def test_a_manager_sees_aggregates_with_small_numbers_suppressed_and_no_comments(
    surveyed, api_as, client
):
    body = (
        api_as(surveyed.manager)
        .get("/experience/results", {**PERIOD, "team": surveyed.team_a.pk})
        .json()
    )
    assert body["small_number_threshold"] == 5
    assert body["comments"] == []
    shares = {s["code"]: s for s in body["total"]["shares"]}
    assert (shares["contact_in_hours"]["positive"], shares["contact_in_hours"]["percent"]) == (
        6,
        100.0,
    )
    assert shares["offered_peer_support"]["percent"] == 83.3
    assert shares["names_key_worker"]["positive"] is None  # 3: fewer than 5
    assert shares["names_key_worker"]["percent"] is None
    assert shares["contact_out_of_hours"]["answered"] is None  # 4
    assert shares["offered_resource_pack"]["answered"] == 0  # zero identifies no one
    assert body["total"]["response_rate"] == 75.0

    client.force_login(surveyed.manager)
    page = client.get("/experience/", {**PERIOD, "team": surveyed.team_a.pk}).content.decode()
    assert "fewer than 5" in page
    assert "withheld" in page
    assert "First comment" not in page and "In their own words" not in page


def test_a_manager_may_choose_the_organisation(surveyed, api_as):
    body = (
        api_as(surveyed.manager)
        .get("/experience/results", {**PERIOD, "organisation": surveyed.organisation.pk})
        .json()
    )
    assert body["scope"] == "St Elsewhere Hospital"
    assert (body["total"]["invitations"], body["total"]["responses"]) == (9, 7)


def test_the_csv_always_suppresses_small_numbers(surveyed, client):
    client.force_login(surveyed.key_worker)
    response = client.get("/experience/export.csv", PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    whole = {r["measure"]: r for r in rows if r["month"] == "whole period"}
    assert (whole["response_rate"]["count"], whole["response_rate"]["of"]) == ("6", "8")
    assert whole["names_key_worker"]["count"] == "fewer than 5"
    assert whole["names_key_worker"]["percent"] == "withheld"
    assert whole["contact_in_hours"]["percent"] == "100%"
    assert {r["month"] for r in rows} == {"whole period", "2026-12", "2027-01"}
    assert "comment" not in response.content.decode().lower()
    assert AuditEvent.objects.filter(
        actor=surveyed.key_worker, object_type="experience_results", action="export"
    ).exists()


def test_an_other_team_nurse_sees_only_their_own_team(surveyed, api_as):
    api = api_as(surveyed.other_team_nurse)
    body = api.get("/experience/results", PERIOD).json()
    assert body["team_ids"] == [surveyed.team_b.pk]
    assert [c["text"] for c in body["comments"]] == ["Team B comment"]
    assert api.get("/experience/results", {"team": surveyed.team_a.pk}).status_code == 404


@pytest.mark.parametrize("persona", ["patient_user", "other_patient_user", "helpline_nurse"])
def test_patients_and_outsiders_get_404(surveyed, client, api_as, persona):
    user = getattr(surveyed, persona)
    client.force_login(user)
    assert client.get("/experience/").status_code == 404
    assert client.get("/experience/export.csv").status_code == 404
    assert api_as(user).get("/experience/results").status_code == 404


def test_a_period_that_ends_before_it_starts_is_refused(surveyed, api_as):
    response = api_as(surveyed.key_worker).get(
        "/experience/results", {"since": "2027-01-01", "until": "2026-12-01"}
    )
    assert response.status_code == 422
    assert "since" in response.json()["error"]["fields"]


def test_the_default_period_is_the_last_12_months(surveyed, api_as):
    body = api_as(surveyed.key_worker).get("/experience/results").json()
    assert (body["since"], body["until"]) == ("2026-02-01", "2027-01-15")
    assert len(body["months"]) == 12


def test_the_results_page_costs_the_same_queries_however_many_answers(surveyed, client):
    client.force_login(surveyed.key_worker)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/experience/", PERIOD).status_code == 200
        return len(captured)

    before = queries()
    more = people(surveyed.team_a, 10)
    with time_machine.travel(at(FIRST_DUE), tick=False):
        invite(more)
        for person in more:
            services.experience_paper_record(
                actor=surveyed.key_worker,
                patient_id=person.pk,
                answers={"names_key_worker": "yes", "comment": "More"},
                now=at(FIRST_DUE),
            )
    assert queries() == before
    assert before <= 12
