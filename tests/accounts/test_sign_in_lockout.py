"""Sign-in lockout is by username and client address together (settings, AXES_* block)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client
from tests.world import PASSWORD, World

WARD = "198.51.100.10"
ELSEWHERE = "203.0.113.77"


def _sign_in(client: Client, username: str, password: str) -> int:
    return client.post("/login/", {"username": username, "password": password}).status_code


def _fail_five_times(client: Client, username: str = "kw") -> None:
    for _ in range(5):
        _sign_in(client, username, "not-the-password")


def test_five_failures_lock_the_username_at_that_address_but_not_elsewhere(world: World) -> None:
    at_ward = Client(REMOTE_ADDR=WARD)
    _fail_five_times(at_ward)

    assert _sign_in(at_ward, "kw", PASSWORD) == 429
    assert "_auth_user_id" not in at_ward.session

    elsewhere = Client(REMOTE_ADDR=ELSEWHERE)
    assert _sign_in(elsewhere, "kw", PASSWORD) == 302
    assert elsewhere.session["_auth_user_id"] == str(world.key_worker.pk)


def test_a_colleague_at_the_same_address_still_signs_in(world: World) -> None:
    _fail_five_times(Client(REMOTE_ADDR=WARD))
    assert _sign_in(Client(REMOTE_ADDR=WARD), "colleague", PASSWORD) == 302


def test_a_forged_forwarded_for_header_does_not_change_the_address(world: World) -> None:
    for n in range(5):
        Client(REMOTE_ADDR=WARD, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").post(
            "/login/", {"username": "kw", "password": "not-the-password"}
        )
    forged = Client(REMOTE_ADDR=WARD, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert _sign_in(forged, "kw", PASSWORD) == 429


def test_behind_a_proxy_the_address_comes_from_the_configured_header(
    world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_REAL_IP",)
    proxy = "10.0.0.2"
    _fail_five_times(Client(REMOTE_ADDR=proxy, HTTP_X_REAL_IP=WARD))

    assert _sign_in(Client(REMOTE_ADDR=proxy, HTTP_X_REAL_IP=WARD), "kw", PASSWORD) == 429
    assert _sign_in(Client(REMOTE_ADDR=proxy, HTTP_X_REAL_IP=ELSEWHERE), "kw", PASSWORD) == 302


def _settings_error(**env: str) -> str:
    result = subprocess.run(  # fixed interpreter and arguments
        [sys.executable, "-c", "import waypoint.config.settings"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stderr if result.returncode else ""


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"WAYPOINT_CLIENT_IP_HEADER": "X-Forwarded-For"}, "needs WAYPOINT_PROXY_COUNT"),
        ({"WAYPOINT_CLIENT_IP_HEADER": "X Real IP"}, "must be a header name"),
        ({"WAYPOINT_PROXY_COUNT": "-1"}, "at least 0"),
    ],
)
def test_a_client_address_setting_that_lets_clients_choose_stops_start_up(
    env: dict[str, str], message: str
) -> None:
    assert message in _settings_error(**env)


def test_forwarded_for_with_a_proxy_count_starts() -> None:
    env = {"WAYPOINT_CLIENT_IP_HEADER": "X-Forwarded-For", "WAYPOINT_PROXY_COUNT": "0"}
    assert _settings_error(**env) == ""
