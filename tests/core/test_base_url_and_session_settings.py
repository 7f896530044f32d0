"""Links in messages follow where `make run` serves, and the session settings are checked: the
timeout warning must come before the session ends, at either end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
SHOW = "show-base-url: ; @echo $$WAYPOINT_BASE_URL"


def _make_base_url(*args: str, env: dict[str, str] | None = None) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "WAYPOINT_BASE_URL"}
    result = subprocess.run(  # noqa: S603  # fixed program and arguments
        ["make", "-s", "--no-print-directory", "--eval", SHOW, "show-base-url", *args],  # noqa: S607
        cwd=REPOSITORY,
        env=clean | (env or {}),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def _settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = (
        "from django.conf import settings; import django; django.setup(); "
        "print(settings.WAYPOINT_BASE_URL, settings.SESSION_COOKIE_AGE, "
        "settings.WAYPOINT_SESSION_WARNING_SECONDS)"
    )
    return subprocess.run(  # noqa: S603  # fixed interpreter and arguments
        [sys.executable, "-c", script],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "waypoint.config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_make_run_links_follow_host_and_port() -> None:
    assert _make_base_url() == "http://127.0.0.1:8000"
    assert _make_base_url("PORT=8123") == "http://127.0.0.1:8123"
    assert _make_base_url("HOST=0.0.0.0", "PORT=9000") == "http://0.0.0.0:9000"


def test_a_base_url_in_the_environment_wins_over_host_and_port() -> None:
    env = {"WAYPOINT_BASE_URL": "https://waypoint.example.nhs.uk"}
    assert _make_base_url("PORT=8123", env=env) == "https://waypoint.example.nhs.uk"


def test_settings_read_the_base_url_and_session_lengths() -> None:
    result = _settings(
        {
            "WAYPOINT_BASE_URL": "http://127.0.0.1:8123/",
            "WAYPOINT_SESSION_SECONDS": "600",
            "WAYPOINT_SESSION_WARNING_SECONDS": "60",
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://127.0.0.1:8123", "600", "60"]


def test_a_base_url_without_a_scheme_stops_start_up() -> None:
    result = _settings({"WAYPOINT_BASE_URL": "127.0.0.1:8123"})
    assert result.returncode != 0
    assert "WAYPOINT_BASE_URL must start with http:// or https://" in result.stderr


def test_a_warning_as_long_as_the_session_stops_start_up() -> None:
    result = _settings(
        {"WAYPOINT_SESSION_SECONDS": "300", "WAYPOINT_SESSION_WARNING_SECONDS": "300"}
    )
    assert result.returncode != 0
    assert "WAYPOINT_SESSION_WARNING_SECONDS must be shorter" in result.stderr


def test_a_warning_as_long_as_an_idle_time_stops_start_up() -> None:
    staff = _settings(
        {"WAYPOINT_STAFF_IDLE_MINUTES": "2", "WAYPOINT_SESSION_WARNING_SECONDS": "120"}
    )
    patients = _settings(
        {
            "WAYPOINT_STAFF_IDLE_MINUTES": "5",
            "WAYPOINT_PATIENT_IDLE_MINUTES": "3",
            "WAYPOINT_SESSION_WARNING_SECONDS": "200",
        }
    )
    for result in (staff, patients):
        assert result.returncode != 0
        assert "WAYPOINT_SESSION_WARNING_SECONDS must be shorter than WAYPOINT_STAFF_IDLE" in (
            result.stderr
        )


def test_a_warning_shorter_than_both_idle_times_starts() -> None:
    result = _settings(
        {"WAYPOINT_STAFF_IDLE_MINUTES": "2", "WAYPOINT_SESSION_WARNING_SECONDS": "119"}
    )
    assert result.returncode == 0, result.stderr
