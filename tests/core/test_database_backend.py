from __future__ import annotations

import os

from django.db import connection


def test_suite_runs_on_the_database_it_was_asked_for(db: None) -> None:
    expected = os.environ.get("WAYPOINT_EXPECT_DB_VENDOR")
    if expected:
        assert connection.vendor == expected
    else:
        assert connection.vendor in {"sqlite", "postgresql"}
