from __future__ import annotations

import pytest

from waypoint.config.env import ConfigurationError, env_bool, env_int, env_list


def test_booleans_accept_the_usual_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in [("true", True), ("1", True), ("off", False), ("No", False)]:
        monkeypatch.setenv("WP_TEST_FLAG", raw)
        assert env_bool("WP_TEST_FLAG", not expected) is expected
    monkeypatch.setenv("WP_TEST_FLAG", "")
    assert env_bool("WP_TEST_FLAG", True) is True


def test_a_bad_boolean_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WP_TEST_FLAG", "maybe")
    with pytest.raises(ConfigurationError, match="WP_TEST_FLAG"):
        env_bool("WP_TEST_FLAG", False)


def test_integers_are_checked_against_their_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WP_TEST_INT", "12")
    assert env_int("WP_TEST_INT", 1, minimum=1) == 12
    monkeypatch.setenv("WP_TEST_INT", "0")
    with pytest.raises(ConfigurationError, match="at least 1"):
        env_int("WP_TEST_INT", 1, minimum=1)
    monkeypatch.setenv("WP_TEST_INT", "twelve")
    with pytest.raises(ConfigurationError, match="integer"):
        env_int("WP_TEST_INT", 1)


def test_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WP_TEST_LIST", "a.example, b.example,,")
    assert env_list("WP_TEST_LIST", []) == ["a.example", "b.example"]


def test_an_unsupported_database_url_stops_start_up(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": "mysql://x@localhost/db"}
    result = subprocess.run(  # fixed interpreter and arguments
        [sys.executable, "-c", "import waypoint.config.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DATABASE_URL must point at PostgreSQL or SQLite" in result.stderr
