"""The OpenID Connect providers Waypoint trusts, read from the environment once at start-up.

Settings call these functions with ``os.environ``; a provider that is half configured, or
configured in a way that would weaken what its tokens prove (an issuer over plain HTTP in
production, a patient client with both a secret and a private key), stops start-up with a message
naming the setting. Nothing here imports Django: the settings module imports it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

STAFF = "staff"
PATIENT = "patient"

# The algorithms a private_key_jwt client assertion may be signed with, all RSA (the key file
# holds an RSA key). NHS login asks for RS512.
ASSERTION_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
_CLAIM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]{0,99}")
_SCOPE = re.compile(r"[\x21\x23-\x5B\x5D-\x7E]+")  # RFC 6749 section 3.3


class SsoConfigurationError(ValueError):
    """A single-sign-on setting is wrong. Settings turn it into their ConfigurationError."""


@dataclass(frozen=True)
class ProviderConfig:
    """What every OpenID Connect provider needs: where it is, who Waypoint is to it, and what
    the sign-in page calls it."""

    provider: str  # "staff" or "patient": the IdentityProvider of the identities it links
    issuer: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    label: str

    @property
    def discovery_url(self) -> str:
        """OpenID Connect Discovery 1.0 section 4: the issuer without a trailing slash, then
        the well-known path."""
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


@dataclass(frozen=True)
class StaffProviderConfig(ProviderConfig):
    """An organisation's provider (a hospital's directory, a smartcard-backed national one).
    ``match_claim`` is the claim that finds a member of staff the first time: ``email`` (only
    when the provider says the address is verified) or the name of a claim holding the identifier
    an administrator puts in the account's staff identifier."""

    match_claim: str = "email"

    @property
    def button_text(self) -> str:
        return f"Sign in with {self.label}"


@dataclass(frozen=True)
class PatientProviderConfig(ProviderConfig):
    """The patients' provider (NHS login, or a local one). Its client authenticates with a
    secret or, as national patient services require, with a signed assertion (private_key_jwt)
    made with the private key in ``private_key_path``. An NHS number counts as verified only when
    ``proofing_claim`` (if set) holds ``proofing_value``, e.g. identity_proofing_level = P9."""

    private_key_path: str = ""
    private_key_id: str = ""
    assertion_algorithm: str = "RS512"
    nhs_number_claim: str = "nhs_number"
    proofing_claim: str = ""
    proofing_value: str = ""

    @property
    def button_text(self) -> str:
        return f"Continue with {self.label}"


def _get(env: Mapping[str, str], name: str) -> str:
    return env.get(name, "").strip()


def _issuer(name: str, value: str, *, production: bool) -> str:
    parts = urlsplit(value)
    allowed = {"https"} if production else {"https", "http"}
    if parts.scheme not in allowed or not parts.hostname or parts.query or parts.fragment:
        expected = "https://" if production else "https:// (or http:// outside production)"
        raise SsoConfigurationError(
            f"{name} must be the provider's issuer, an absolute {expected} URL without a query, "
            f"exactly as its discovery document gives it, got {value!r}"
        )
    return value


def _claim(name: str, value: str) -> str:
    if not _CLAIM_NAME.fullmatch(value):
        raise SsoConfigurationError(f"{name} must be a claim name such as email, got {value!r}")
    return value


def _scopes(name: str, value: str) -> tuple[str, ...]:
    scopes = tuple(dict.fromkeys(value.split()))
    if "openid" not in scopes or not all(_SCOPE.fullmatch(scope) for scope in scopes):
        raise SsoConfigurationError(
            f"{name} must be scopes separated by spaces, including openid, got {value!r}"
        )
    return scopes


def _common(
    env: Mapping[str, str], prefix: str, *, production: bool
) -> tuple[str, str, str] | None:
    """The issuer, client id and secret, or None when the provider is not configured at all."""
    issuer = _get(env, f"{prefix}_ISSUER")
    client_id = _get(env, f"{prefix}_CLIENT_ID")
    secret = _get(env, f"{prefix}_CLIENT_SECRET")
    if not issuer:
        others = [n for n, v in (("CLIENT_ID", client_id), ("CLIENT_SECRET", secret)) if v]
        if others:
            raise SsoConfigurationError(
                f"{prefix}_{others[0]} is set but {prefix}_ISSUER is not: set the provider's "
                f"issuer too, or unset both to turn this sign-in off"
            )
        return None
    if not client_id:
        raise SsoConfigurationError(
            f"{prefix}_ISSUER is set but {prefix}_CLIENT_ID is not: set the client id the "
            f"provider gave Waypoint"
        )
    return _issuer(f"{prefix}_ISSUER", issuer, production=production), client_id, secret


def staff_provider_from_env(
    env: Mapping[str, str], *, production: bool
) -> StaffProviderConfig | None:
    prefix = "WAYPOINT_OIDC_STAFF"
    common = _common(env, prefix, production=production)
    if common is None:
        return None
    issuer, client_id, secret = common
    if not secret:
        raise SsoConfigurationError(
            f"{prefix}_CLIENT_SECRET must be set: Waypoint authenticates to the organisation's "
            f"provider with the client secret it issued"
        )
    return StaffProviderConfig(
        provider=STAFF,
        issuer=issuer,
        client_id=client_id,
        client_secret=secret,
        scopes=_scopes(f"{prefix}_SCOPES", _get(env, f"{prefix}_SCOPES") or "openid email profile"),
        label=_get(env, f"{prefix}_LABEL") or "your organisation's account",
        match_claim=_claim(f"{prefix}_MATCH_CLAIM", _get(env, f"{prefix}_MATCH_CLAIM") or "email"),
    )


def _private_key(name: str, path: str) -> RSAKey:
    try:
        pem = Path(path).read_bytes()
    except OSError as exc:
        raise SsoConfigurationError(f"{name}: cannot read {path}: {exc.strerror or exc}") from exc
    try:
        key = RSAKey.import_key(pem)
    except (JoseError, ValueError, TypeError) as exc:
        raise SsoConfigurationError(
            f"{name}: {path} does not hold an RSA private key in PEM form"
        ) from exc
    if not key.is_private:
        raise SsoConfigurationError(
            f"{name}: {path} holds a public key; Waypoint needs the private key to sign with"
        )
    return key


def private_key_load(path: str) -> RSAKey:
    """The patient client's signing key, checked as at start-up."""
    return _private_key("WAYPOINT_OIDC_PATIENT_PRIVATE_KEY_FILE", path)


def patient_provider_from_env(
    env: Mapping[str, str], *, production: bool
) -> PatientProviderConfig | None:
    prefix = "WAYPOINT_OIDC_PATIENT"
    common = _common(env, prefix, production=production)
    key_path = _get(env, f"{prefix}_PRIVATE_KEY_FILE")
    if common is None:
        if key_path:
            raise SsoConfigurationError(
                f"{prefix}_PRIVATE_KEY_FILE is set but {prefix}_ISSUER is not: set the "
                f"provider's issuer and client id too, or unset it"
            )
        return None
    issuer, client_id, secret = common
    if secret and key_path:
        raise SsoConfigurationError(
            f"Set one of {prefix}_CLIENT_SECRET and {prefix}_PRIVATE_KEY_FILE, not both: the "
            f"provider expects one way of authenticating"
        )
    if not secret and not key_path:
        raise SsoConfigurationError(
            f"{prefix}_ISSUER is set but neither {prefix}_CLIENT_SECRET nor "
            f"{prefix}_PRIVATE_KEY_FILE is: set the one the provider registered"
        )
    key_id = ""
    algorithm = _get(env, f"{prefix}_ASSERTION_ALG") or "RS512"
    if key_path:
        key = _private_key(f"{prefix}_PRIVATE_KEY_FILE", key_path)
        key_id = _get(env, f"{prefix}_PRIVATE_KEY_ID") or key.thumbprint()
        if algorithm not in ASSERTION_ALGORITHMS:
            raise SsoConfigurationError(
                f"{prefix}_ASSERTION_ALG must be one of {', '.join(sorted(ASSERTION_ALGORITHMS))},"
                f" got {algorithm!r}"
            )
    proofing_claim = _get(env, f"{prefix}_PROOFING_CLAIM")
    proofing_value = _get(env, f"{prefix}_PROOFING_VALUE")
    if bool(proofing_claim) != bool(proofing_value):
        raise SsoConfigurationError(
            f"Set both {prefix}_PROOFING_CLAIM and {prefix}_PROOFING_VALUE (for NHS login: "
            f"identity_proofing_level and P9), or neither"
        )
    return PatientProviderConfig(
        provider=PATIENT,
        issuer=issuer,
        client_id=client_id,
        client_secret=secret,
        scopes=_scopes(f"{prefix}_SCOPES", _get(env, f"{prefix}_SCOPES") or "openid profile email"),
        label=_get(env, f"{prefix}_LABEL") or "NHS login",
        private_key_path=key_path,
        private_key_id=key_id,
        assertion_algorithm=algorithm,
        nhs_number_claim=_claim(
            f"{prefix}_NHS_NUMBER_CLAIM", _get(env, f"{prefix}_NHS_NUMBER_CLAIM") or "nhs_number"
        ),
        proofing_claim=_claim(f"{prefix}_PROOFING_CLAIM", proofing_claim) if proofing_claim else "",
        proofing_value=proofing_value,
    )
