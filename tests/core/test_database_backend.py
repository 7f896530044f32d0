from __future__ import annotations

import os

from django.db import connection


def test_suite_runs_on_the_database_it_was_asked_for(db: None) -> None:
    """scripts/test.sh runs the suite once per backend; a run that silently fell back to the
    default SQLite file would report PostgreSQL as passing without having touched it."""
    expected = os.environ.get("WAYPOINT_EXPECT_DB_VENDOR")
    if expected:
        assert connection.vendor == expected, f"asked for {expected}, got {connection.vendor}"
    else:
        assert connection.vendor in {"sqlite", "postgresql"}
