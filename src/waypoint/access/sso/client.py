"""Talking to an OpenID Connect provider, through Authlib: the authorisation code flow with PKCE
(S256), ``state`` and ``nonce``, and the ID token verified before anything in it is believed.

What Authlib verifies (authlib.integrations.base_client.sync_openid.OpenIDMixin.parse_id_token,
with joserfc): ``state`` against the one kept in this browser's session, which is used once; the
ID token's signature against the provider's published keys (jwks_uri), fetching them again once
when the token names a key not seen before, so the provider can rotate its keys; and the claims
below. Its default claim options check the issuer only when none are passed, and it checks the
audience only when told what to expect, so both are passed here, with ``exp``, ``iat``, ``sub``
and ``nonce`` made essential. ``exp`` and ``iat`` are checked against this server's clock with
Authlib's leeway of two minutes.

Two checks Authlib leaves to the caller are made here, by comparing values it has already
parsed: the discovery document must name the issuer Waypoint was configured with (OpenID Connect
Discovery section 4.3), and an ``iss`` on the callback (RFC 9207, against mix-up attacks) must be
that issuer. Claims fetched from the userinfo endpoint count only if their ``sub`` is the ID
token's (OpenID Connect Core section 5.3.2).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import MismatchingStateError
from authlib.integrations.django_client import OAuth
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from django.http import HttpRequest, HttpResponse
from joserfc.errors import JoseError

from waypoint.access.sso.config import (
    PatientProviderConfig,
    ProviderConfig,
    SsoConfigurationError,
    private_key_load,
)

# The provider's discovery document and keys are read again after this long, so a key the
# provider withdrew (one that leaked, say) stops being trusted within the hour, not at the next
# restart. A key the provider adds is picked up at once (see the module's docstring).
METADATA_MAX_AGE_SECONDS = 60 * 60
# Seconds to wait for the provider on each request. A provider that does not answer must not
# hold one of the server's workers for long: the person gets the "did not work" page instead.
PROVIDER_TIMEOUT_SECONDS = 10


class SsoFailed(Exception):
    """Signing in with the provider did not work. ``reason`` is a short code for the audit
    trail; ``detail`` says what happened, for the trail and the logs, never for the page."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class VerifiedIdentity:
    """Who the provider says this is, after the ID token was verified."""

    issuer: str
    subject: str
    claims: Mapping[str, object]


# Everything the provider, the network or a tampered callback can make Authlib and joserfc raise.
_PROTOCOL_ERRORS = (AuthlibBaseError, JoseError, ValueError, KeyError, TypeError, RuntimeError)


@functools.cache
def oidc_client(config: ProviderConfig) -> Any:  # authlib is untyped: a DjangoOAuth2App
    """One Authlib client per configuration, kept for the life of the process, so the provider's
    discovery document and keys are fetched once an hour rather than on every sign-in."""
    client_kwargs: dict[str, object] = {
        "scope": " ".join(config.scopes),
        "code_challenge_method": "S256",
        "default_timeout": PROVIDER_TIMEOUT_SECONDS,
    }
    secret: object = config.client_secret
    auth_methods = None
    if isinstance(config, PatientProviderConfig) and config.private_key_path:
        secret = private_key_load(config.private_key_path)
        client_kwargs["token_endpoint_auth_method"] = "private_key_jwt"  # noqa: S105  # a name
        auth_methods = [
            PrivateKeyJWT(alg=config.assertion_algorithm, headers={"kid": config.private_key_id})
        ]
    else:
        client_kwargs["token_endpoint_auth_method"] = "client_secret_basic"  # noqa: S105  # a name
    return OAuth().register(
        name=f"waypoint_{config.provider}",
        client_id=config.client_id,
        client_secret=secret,
        server_metadata_url=config.discovery_url,
        client_kwargs=client_kwargs,
        client_auth_methods=auth_methods,
    )


def _client(config: ProviderConfig) -> Any:
    try:
        return oidc_client(config)
    except SsoConfigurationError as exc:
        # The key file was readable at start-up and is not now (moved, permissions changed).
        raise SsoFailed("sso_client_key_unreadable", str(exc)[:300]) from exc


def _metadata(client: Any, config: ProviderConfig) -> Mapping[str, object]:
    loaded_at = client.server_metadata.get("_loaded_at")
    if loaded_at is not None and time.time() - loaded_at > METADATA_MAX_AGE_SECONDS:
        # Authlib loads the document when "_loaded_at" is absent; emptying its copy (the
        # document and the keys fetched with it) makes the next call read both afresh.
        client.server_metadata.clear()
    try:
        metadata: Mapping[str, object] = client.load_server_metadata()
    except requests.RequestException as exc:
        raise SsoFailed("sso_provider_unreachable", f"discovery: {exc}"[:300]) from exc
    except ValueError as exc:
        raise SsoFailed("sso_provider_unreachable", "discovery document is not JSON") from exc
    if metadata.get("issuer") != config.issuer:
        raise SsoFailed(
            "sso_discovery_mismatch",
            f"discovery names issuer {metadata.get('issuer')!r}, configured {config.issuer!r}",
        )
    return metadata


def authorization_redirect(
    request: HttpRequest, *, config: ProviderConfig, redirect_uri: str
) -> HttpResponse:
    """The redirect to the provider. Authlib makes the PKCE verifier, ``state`` and ``nonce``
    and keeps them in this session until the provider sends the browser back."""
    client = _client(config)
    _metadata(client, config)
    try:
        response: HttpResponse = client.authorize_redirect(request, redirect_uri)
    except requests.RequestException as exc:
        raise SsoFailed("sso_provider_unreachable", str(exc)[:300]) from exc
    except _PROTOCOL_ERRORS as exc:
        raise SsoFailed("sso_provider_error", f"{type(exc).__name__}: {exc}"[:300]) from exc
    return response


def _claims_options(config: ProviderConfig) -> dict[str, dict[str, object]]:
    return {
        "iss": {"essential": True, "value": config.issuer},
        "aud": {"essential": True, "value": config.client_id},
        "sub": {"essential": True},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "nonce": {"essential": True},
    }


def identity_from_callback(request: HttpRequest, *, config: ProviderConfig) -> VerifiedIdentity:
    """Exchange the callback's code for tokens and return the verified identity, or raise
    SsoFailed. The kept ``state`` is spent whatever happens, so a callback cannot be replayed."""
    error = request.GET.get("error")
    if error:
        raise SsoFailed(
            "sso_provider_error",
            f"{error}: {request.GET.get('error_description', '')}"[:300],
        )
    client = _client(config)
    metadata = _metadata(client, config)
    returned_issuer = request.GET.get("iss")
    if returned_issuer is not None and returned_issuer != config.issuer:
        raise SsoFailed("sso_wrong_issuer", f"callback from issuer {returned_issuer!r}")
    try:
        token = client.authorize_access_token(request, claims_options=_claims_options(config))
    except MismatchingStateError as exc:
        raise SsoFailed("sso_state", "no sign-in was started with this state here") from exc
    except requests.RequestException as exc:
        raise SsoFailed("sso_provider_unreachable", str(exc)[:300]) from exc
    except _PROTOCOL_ERRORS as exc:
        raise SsoFailed("sso_token_refused", f"{type(exc).__name__}: {exc}"[:300]) from exc
    id_claims = token.get("userinfo")
    if not id_claims:
        # Authlib verifies an ID token only when there is one; a provider that sends none has
        # proved nothing about who this is.
        raise SsoFailed("sso_token_refused", "the token response carried no ID token")
    claims: dict[str, object] = {}
    if metadata.get("userinfo_endpoint"):
        try:
            extra = client.userinfo(token=token)
        except requests.RequestException as exc:
            raise SsoFailed("sso_provider_unreachable", f"userinfo: {exc}"[:300]) from exc
        except _PROTOCOL_ERRORS as exc:
            raise SsoFailed("sso_token_refused", f"userinfo: {exc}"[:300]) from exc
        if extra.get("sub") != id_claims["sub"]:
            raise SsoFailed("sso_token_refused", "userinfo is about another subject")
        claims.update(extra)
    # What the signed ID token says wins over the userinfo answer.
    claims.update(id_claims)
    return VerifiedIdentity(issuer=config.issuer, subject=str(id_claims["sub"]), claims=claims)
