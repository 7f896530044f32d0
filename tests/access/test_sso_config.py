"""Reading the single-sign-on settings: off when unset, and a clear refusal to start for anything
half configured or weaker than it looks. Pure: no database, no provider."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from joserfc.jwk import RSAKey

from waypoint.access.sso.config import (
    SsoConfigurationError,
    patient_provider_from_env,
    staff_provider_from_env,
)

STAFF = {
    "WAYPOINT_OIDC_STAFF_ISSUER": "https://login.trust.example/",
    "WAYPOINT_OIDC_STAFF_CLIENT_ID": "waypoint",
    "WAYPOINT_OIDC_STAFF_CLIENT_SECRET": "s3cret",
}
PATIENT = {
    "WAYPOINT_OIDC_PATIENT_ISSUER": "https://auth.login.nhs.example",
    "WAYPOINT_OIDC_PATIENT_CLIENT_ID": "waypoint-portal",
    "WAYPOINT_OIDC_PATIENT_CLIENT_SECRET": "s3cret",
}


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "client.pem"
    path.write_bytes(RSAKey.generate_key(2048, private=True).as_pem(private=True))
    return path


def test_nothing_set_means_no_single_sign_on() -> None:
    assert staff_provider_from_env({}, production=True) is None
    assert patient_provider_from_env({}, production=True) is None


def test_a_staff_provider_has_the_documented_defaults() -> None:
    config = staff_provider_from_env(STAFF, production=True)

    assert config is not None
    assert config.issuer == "https://login.trust.example/"
    assert config.discovery_url == "https://login.trust.example/.well-known/openid-configuration"
    assert config.scopes == ("openid", "email", "profile")
    assert config.match_claim == "email"
    assert config.button_text == "Sign in with your organisation's account"


def test_a_patient_provider_is_called_nhs_login_unless_named() -> None:
    config = patient_provider_from_env(PATIENT, production=True)

    assert config is not None
    assert config.button_text == "Continue with NHS login"
    assert config.nhs_number_claim == "nhs_number"
    assert config.proofing_claim == ""
    named = patient_provider_from_env(
        PATIENT | {"WAYPOINT_OIDC_PATIENT_LABEL": "the hospital app"}, production=True
    )
    assert named is not None
    assert named.button_text == "Continue with the hospital app"


def test_a_private_key_file_means_private_key_jwt_with_its_thumbprint_as_key_id(
    key_file: Path,
) -> None:
    env = PATIENT | {
        "WAYPOINT_OIDC_PATIENT_CLIENT_SECRET": "",
        "WAYPOINT_OIDC_PATIENT_PRIVATE_KEY_FILE": str(key_file),
    }

    config = patient_provider_from_env(env, production=True)

    assert config is not None
    assert config.private_key_path == str(key_file)
    assert config.assertion_algorithm == "RS512"
    assert config.private_key_id == RSAKey.import_key(key_file.read_bytes()).thumbprint()


@pytest.mark.parametrize(
    ("env", "production", "message"),
    [
        (STAFF | {"WAYPOINT_OIDC_STAFF_ISSUER": "http://login.trust.example"}, True, "https://"),
        (STAFF | {"WAYPOINT_OIDC_STAFF_ISSUER": "login.trust.example"}, False, "issuer"),
        (STAFF | {"WAYPOINT_OIDC_STAFF_ISSUER": "https://x.example/?a=1"}, False, "query"),
        ({"WAYPOINT_OIDC_STAFF_CLIENT_ID": "waypoint"}, False, "ISSUER is not"),
        (STAFF | {"WAYPOINT_OIDC_STAFF_CLIENT_ID": ""}, False, "CLIENT_ID is not"),
        (STAFF | {"WAYPOINT_OIDC_STAFF_CLIENT_SECRET": ""}, False, "CLIENT_SECRET must be set"),
        (STAFF | {"WAYPOINT_OIDC_STAFF_SCOPES": "email profile"}, False, "openid"),
        (STAFF | {"WAYPOINT_OIDC_STAFF_MATCH_CLAIM": "staff id"}, False, "claim name"),
    ],
)
def test_a_half_configured_staff_provider_stops_start_up_saying_why(
    env: dict[str, str], production: bool, message: str
) -> None:
    with pytest.raises(SsoConfigurationError, match=message):
        staff_provider_from_env(env, production=production)


def test_plain_http_is_allowed_for_a_provider_outside_production() -> None:
    env = STAFF | {"WAYPOINT_OIDC_STAFF_ISSUER": "http://127.0.0.1:9000"}

    config = staff_provider_from_env(env, production=False)

    assert config is not None


def test_a_patient_client_with_both_a_secret_and_a_key_file_stops_start_up(
    key_file: Path,
) -> None:
    env = PATIENT | {"WAYPOINT_OIDC_PATIENT_PRIVATE_KEY_FILE": str(key_file)}

    with pytest.raises(SsoConfigurationError, match="not both"):
        patient_provider_from_env(env, production=True)


def test_a_patient_client_with_neither_a_secret_nor_a_key_file_stops_start_up() -> None:
    env = PATIENT | {"WAYPOINT_OIDC_PATIENT_CLIENT_SECRET": ""}

    with pytest.raises(SsoConfigurationError, match="neither"):
        patient_provider_from_env(env, production=True)


def test_an_unreadable_key_file_stops_start_up(tmp_path: Path) -> None:
    env = PATIENT | {
        "WAYPOINT_OIDC_PATIENT_CLIENT_SECRET": "",
        "WAYPOINT_OIDC_PATIENT_PRIVATE_KEY_FILE": str(tmp_path / "missing.pem"),
    }

    with pytest.raises(SsoConfigurationError, match="cannot read"):
        patient_provider_from_env(env, production=True)


def test_a_key_file_without_a_private_key_stops_start_up(tmp_path: Path) -> None:
    public = tmp_path / "public.pem"
    public.write_bytes(RSAKey.generate_key(2048, private=True).as_pem(private=False))
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a key", encoding="utf-8")
    for path, message in ((public, "public key"), (garbage, "RSA private key")):
        env = PATIENT | {
            "WAYPOINT_OIDC_PATIENT_CLIENT_SECRET": "",
            "WAYPOINT_OIDC_PATIENT_PRIVATE_KEY_FILE": str(path),
        }
        with pytest.raises(SsoConfigurationError, match=message):
            patient_provider_from_env(env, production=True)


def test_an_unknown_assertion_algorithm_stops_start_up(key_file: Path) -> None:
    env = PATIENT | {
        "WAYPOINT_OIDC_PATIENT_CLIENT_SECRET": "",
        "WAYPOINT_OIDC_PATIENT_PRIVATE_KEY_FILE": str(key_file),
        "WAYPOINT_OIDC_PATIENT_ASSERTION_ALG": "HS256",
    }

    with pytest.raises(SsoConfigurationError, match="ASSERTION_ALG"):
        patient_provider_from_env(env, production=True)


def test_a_proofing_claim_needs_its_value() -> None:
    env = PATIENT | {"WAYPOINT_OIDC_PATIENT_PROOFING_CLAIM": "identity_proofing_level"}

    with pytest.raises(SsoConfigurationError, match="PROOFING_VALUE"):
        patient_provider_from_env(env, production=True)


def test_a_key_file_without_an_issuer_stops_start_up(key_file: Path) -> None:
    with pytest.raises(SsoConfigurationError, match="ISSUER is not"):
        patient_provider_from_env(
            {"WAYPOINT_OIDC_PATIENT_PRIVATE_KEY_FILE": str(key_file)}, production=True
        )


def test_settings_refuse_to_start_with_a_half_configured_provider() -> None:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith("WAYPOINT_OIDC_")
    } | {"WAYPOINT_OIDC_STAFF_CLIENT_ID": "waypoint"}

    result = subprocess.run(  # this interpreter, fixed arguments
        [sys.executable, "-c", "import waypoint.config.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "ConfigurationError: WAYPOINT_OIDC_STAFF_CLIENT_ID is set but" in result.stderr
