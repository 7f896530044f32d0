"""WAYPOINT_REPORT_SMALL_NUMBER: a bad value stops Waypoint from starting."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("value", "message"),
    [("five", "must be an integer"), ("-1", "must be at least 0")],
)
def test_a_bad_small_number_stops_start_up(value: str, message: str) -> None:
    env = {**os.environ, "WAYPOINT_REPORT_SMALL_NUMBER": value}
    result = subprocess.run(  # fixed interpreter and arguments
        [sys.executable, "-c", "import waypoint.config.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert f"WAYPOINT_REPORT_SMALL_NUMBER {message}" in result.stderr


def test_the_default_is_five_and_zero_is_allowed() -> None:
    for value, expected in (("", "5"), ("0", "0"), ("10", "10")):
        env = {**os.environ, "WAYPOINT_REPORT_SMALL_NUMBER": value}
        result = subprocess.run(  # fixed interpreter and arguments
            [
                sys.executable,
                "-c",
                "import waypoint.config.settings as s; print(s.WAYPOINT_REPORT_SMALL_NUMBER)",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout.strip() == expected
