"""gunicorn, started as production starts it (gunicorn.conf.py, WAYPOINT_PRODUCTION=true behind
a proxy that says the request came over HTTPS), answers without a Server header and with the
security headers: HSTS, the Content-Security-Policy and no-store on pages."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.config.production_env import HOST, REPOSITORY, production_environment


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = production_environment(tmp_path) | {
        "WAYPOINT_BIND": f"127.0.0.1:{port}",
        "WAYPOINT_WORKERS": "1",
        "WAYPOINT_ACCESS_LOG": "",
        "WAYPOINT_TRUSTED_PROXY_HEADER": "X-Forwarded-Proto",
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(  # fixed interpreter and arguments
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=REPOSITORY,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, log.read_text()
            try:
                httpx.get(f"{base}/health/live", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _get(base: str, path: str) -> httpx.Response:
    return httpx.get(
        f"{base}{path}",
        headers={"Host": HOST, "X-Forwarded-Proto": "https"},
        timeout=60,
    )


def test_gunicorn_sends_no_server_header(gunicorn: str) -> None:
    for path in ("/login/", "/static/waypoint/waypoint.css", "/no-such-page/"):
        response = _get(gunicorn, path)
        assert "server" not in response.headers, (path, response.headers["server"])
        assert "date" in response.headers  # the other lines gunicorn writes are kept


def test_a_production_page_carries_hsts_the_policy_and_no_store(gunicorn: str) -> None:
    response = _get(gunicorn, "/login/")
    assert response.status_code == 200
    assert response.headers["strict-transport-security"] == ("max-age=31536000; includeSubDomains")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    assert "secure" in response.headers["set-cookie"].lower()


def test_plain_http_is_redirected_to_https(gunicorn: str) -> None:
    response = httpx.get(f"{gunicorn}/login/", headers={"Host": HOST}, timeout=60)
    assert response.status_code == 301
    assert response.headers["location"] == f"https://{HOST}/login/"
    assert "server" not in response.headers
