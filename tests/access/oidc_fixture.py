"""A real OpenID Connect provider for the single-sign-on tests: the `oidc-provider` package from
npm (tests/access/oidc_provider/server.mjs), started once per run on 127.0.0.1 and stopped
afterwards whatever happens.

Waypoint signs in through it exactly as through a hospital's or a national provider: discovery,
the redirect with PKCE, ``state`` and ``nonce``, the provider's own sign-in page, the code
exchange (client_secret_basic for staff, private_key_jwt for patients), the ID token signed with
the provider's published keys. Rotating those keys restarts the provider with new ones.

Node is needed: without it these tests fail (they never skip), naming what to install.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from joserfc.jwk import RSAKey

from waypoint.access.sso.config import (
    PatientProviderConfig,
    StaffProviderConfig,
    patient_provider_from_env,
    staff_provider_from_env,
)

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
STAFF_CLIENT_ID = "waypoint-staff"
STAFF_CLIENT_SECRET = "test-staff-client-secret-not-used-anywhere-else"
PATIENT_CLIENT_ID = "waypoint-patient"
# Waypoint's address in the tests that drive it with Django's test client; the provider allows
# any port on 127.0.0.1 (RFC 8252 loopback), so the live server's address works too.
WAYPOINT = "http://127.0.0.1"
START_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _rsa_key() -> RSAKey:
    key = RSAKey.generate_key(2048, private=True)
    key.ensure_kid()
    return key


class TestProvider:
    """The running provider, and what a test may ask of it."""

    __test__ = False  # not a test class, for pytest's collection

    def __init__(self, workdir: Path, node: str) -> None:
        self.node = node
        self.workdir = workdir
        self.port = _free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = workdir / "provider.log"
        self.signing_keys_path = workdir / "signing-keys.json"
        patient_key = _rsa_key()
        self.patient_key_path = workdir / "patient-client-key.pem"
        self.patient_key_path.write_bytes(patient_key.as_pem(private=True))
        self.patient_jwks_path = workdir / "patient-client-jwks.json"
        self.patient_jwks_path.write_text(
            json.dumps({"keys": [patient_key.as_dict(private=False)]}), encoding="utf-8"
        )
        self.signing_kid = ""
        self._new_signing_key()

    def _new_signing_key(self) -> None:
        key = _rsa_key()
        key_dict = key.as_dict(private=True)
        key_dict["use"] = "sig"
        key_dict["alg"] = "RS256"
        self.signing_keys_path.write_text(json.dumps({"keys": [key_dict]}), encoding="utf-8")
        self.signing_kid = str(key.kid)

    def start(self) -> None:
        env = os.environ | {
            "OIDC_TEST_SIGNING_KEYS": str(self.signing_keys_path),
            "OIDC_TEST_PATIENT_JWKS": str(self.patient_jwks_path),
            "OIDC_TEST_STAFF_SECRET": STAFF_CLIENT_SECRET,
        }
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603  # our own script, no shell
            [self.node, "server.mjs", str(self.port)],
            cwd=PROVIDER_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the test OpenID provider stopped at start:\n{self.log()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.discovery_url, timeout=2).ok:
                    return
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"the test OpenID provider did not start in {START_SECONDS}s:\n{self.log()}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def rotate_keys(self) -> None:
        """The provider starts signing with a new key and publishes only that one."""
        self.stop()
        self._new_signing_key()
        self.start()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def _put(self, name: str, body: dict[str, Any]) -> None:
        response = requests.put(f"{self.issuer}/__test__/{name}", json=body, timeout=5)
        response.raise_for_status()

    def accounts(self, accounts: dict[str, dict[str, Any]]) -> None:
        """The people the provider knows, by subject, with their claims."""
        self._put("accounts", accounts)

    def misbehave(self, **misbehaviour: str) -> None:
        self._put("misbehaviour", misbehaviour)

    # Waypoint's configuration for this provider, parsed as settings parse the environment.

    def staff_config(self, **env: str) -> StaffProviderConfig:
        config = staff_provider_from_env(
            {
                "WAYPOINT_OIDC_STAFF_ISSUER": self.issuer,
                "WAYPOINT_OIDC_STAFF_CLIENT_ID": STAFF_CLIENT_ID,
                "WAYPOINT_OIDC_STAFF_CLIENT_SECRET": STAFF_CLIENT_SECRET,
            }
            | env,
            production=False,
        )
        assert config is not None
        return config

    def patient_config(self, **env: str) -> PatientProviderConfig:
        config = patient_provider_from_env(
            {
                "WAYPOINT_OIDC_PATIENT_ISSUER": self.issuer,
                "WAYPOINT_OIDC_PATIENT_CLIENT_ID": PATIENT_CLIENT_ID,
                "WAYPOINT_OIDC_PATIENT_PRIVATE_KEY_FILE": str(self.patient_key_path),
                "WAYPOINT_OIDC_PATIENT_PROOFING_CLAIM": "identity_proofing_level",
                "WAYPOINT_OIDC_PATIENT_PROOFING_VALUE": "P9",
            }
            | env,
            production=False,
        )
        assert config is not None
        return config

    def sign_in(
        self,
        authorization_url: str,
        *,
        login: str = "",
        cancel: bool = False,
        waypoint: str = WAYPOINT,
    ) -> str:
        """Follows Waypoint's redirect to the provider as a browser would, signs in on the
        provider's page as ``login`` (or presses Cancel), and returns the address the provider
        sends the browser back to (Waypoint's callback, with its code and state, or an error),
        without visiting it."""
        session = requests.Session()
        url = authorization_url
        response = session.get(url, allow_redirects=False, timeout=10)
        for _ in range(20):
            if response.is_redirect:
                url = urljoin(url, response.headers["Location"])
                if url.startswith(waypoint + "/"):
                    return url
                response = session.get(url, allow_redirects=False, timeout=10)
            elif response.status_code == 200 and urlsplit(url).path.startswith("/interaction/"):
                form = {"cancel": "1"} if cancel else {"login": login}
                response = session.post(url, data=form, allow_redirects=False, timeout=10)
            else:
                raise AssertionError(
                    f"the provider answered {response.status_code} at {url}: {response.text[:500]}"
                )
        raise AssertionError("the provider never sent the browser back to Waypoint")


def _node() -> str:
    node = shutil.which("node")
    npm = shutil.which("npm")
    if node is None or npm is None:
        pytest.fail(
            "The single-sign-on tests need Node.js (20.19 or later) and npm, to run a real OpenID "
            "provider (tests/access/oidc_provider). Install them (Debian: apt-get install nodejs "
            "npm) and run the tests again."
        )
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        result = subprocess.run(  # noqa: S603  # npm with fixed arguments, no shell
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=PROVIDER_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"npm ci in {PROVIDER_DIR} failed:\n{result.stdout}\n{result.stderr}")
    return node


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestProvider]:
    provider = TestProvider(tmp_path_factory.mktemp("oidc-provider"), _node())
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture
def oidc(oidc_provider: TestProvider) -> Iterator[TestProvider]:
    """The provider, behaving and knowing nobody at the start of each test."""
    if oidc_provider.process is None or oidc_provider.process.poll() is not None:
        oidc_provider.start()
    oidc_provider.accounts({})
    oidc_provider.misbehave()
    yield oidc_provider
    if oidc_provider.process is not None:
        oidc_provider.misbehave()


@pytest.fixture
def sso_configured(oidc: TestProvider, settings: Any) -> TestProvider:
    """Waypoint configured with both of the provider's clients, on the address the provider
    knows."""
    settings.WAYPOINT_OIDC_STAFF = oidc.staff_config()
    settings.WAYPOINT_OIDC_PATIENT = oidc.patient_config()
    settings.WAYPOINT_BASE_URL = WAYPOINT
    return oidc
