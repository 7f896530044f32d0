"""The survey's schedule comes from the environment and a bad value stops start-up."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # fixed interpreter and arguments
        [sys.executable, "-c", "import waypoint.config.settings"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_defaults_are_the_proposed_values() -> None:
    assert settings.WAYPOINT_EXPERIENCE_FIRST_DAYS == 90
    assert settings.WAYPOINT_EXPERIENCE_INTERVAL_DAYS == 180
    assert settings.WAYPOINT_EXPERIENCE_OPEN_DAYS == 30
    assert settings.WAYPOINT_REPORT_SMALL_NUMBER == 5


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"WAYPOINT_EXPERIENCE_FIRST_DAYS": "ninety"}, "must be an integer"),
        ({"WAYPOINT_EXPERIENCE_FIRST_DAYS": "0"}, "at least 1"),
        ({"WAYPOINT_EXPERIENCE_INTERVAL_DAYS": "3"}, "at least 7"),
        ({"WAYPOINT_EXPERIENCE_INTERVAL_DAYS": "30"}, "must be shorter than"),
        ({"WAYPOINT_REPORT_SMALL_NUMBER": "-1"}, "at least 0"),
    ],
)
def test_a_bad_value_stops_start_up(env: dict[str, str], message: str) -> None:
    result = _start(**env)
    assert result.returncode != 0
    assert message in result.stderr
