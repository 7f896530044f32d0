"""A report costs the same number of queries for 10 people as for 40."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.reports.conftest import person

pytestmark = pytest.mark.django_db

# Session and user, the scope, six breakdowns each for people now and new diagnoses, the
# response-time counts and (SQLite) one duration query per level, survival, the audit event, and
# the experience survey's one aggregate.
MAX_QUERIES = 26
# Token and user, the token's sign-in lockout check, the scope, six breakdowns, the audit event,
# and on PostgreSQL `SET LOCAL jit`.
API_MAX_QUERIES = 14


def grow(world, n: int, offset: int) -> None:  # type: ignore[no-untyped-def]
    receptors = [
        ("positive", "positive", "negative"),
        ("negative", "negative", "positive"),
        ("negative", "negative", "low"),
        ("negative", "negative", "negative"),
    ]
    for i in range(offset, offset + n):
        person(
            world,
            team=world.team_a if i % 2 else world.team_b,
            t0=dt.date(2026, 1 + i % 10, 1 + i % 27),
            born=dt.date(1940 + i % 50, 1 + i % 12, 1 + i % 28),
            primary=receptors[i % 4],
            sites=("bone", "liver") if i % 3 else ("lung",),
            died_on=dt.date(2026, 11, 1) if i % 5 == 0 else None,
        )


@pytest.mark.parametrize("viewer", ["manager", "key_worker"])
def test_the_page_and_the_api_cost_constant_queries(
    world, client, api_as, django_assert_max_num_queries, viewer
) -> None:
    user = getattr(world, viewer)
    client.force_login(user)
    api = api_as(user)
    for size, offset in ((10, 0), (30, 10)):
        grow(world, size, offset)
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get("/reports/").status_code == 200
        for endpoint in ("prevalence", "incidence", "response-times", "survival"):
            with django_assert_max_num_queries(API_MAX_QUERIES):
                assert api.get(f"/reports/{endpoint}").status_code == 200
