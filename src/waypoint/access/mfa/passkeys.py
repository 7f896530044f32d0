"""The WebAuthn ceremonies' options and checks, by py_webauthn; nothing here writes.

Where a passkey may be used
    The relying party is ``WAYPOINT_WEBAUTHN_RP_ID`` (the base URL's host by default): a browser
    only uses a passkey on that domain, and py_webauthn checks the hash of it in every response.
    The origin the browser reports must also be one Waypoint expects. In production that is the
    configured base URL's origin alone: the Host header of a request is chosen by whoever sends it,
    so it cannot say where the ceremony should have happened. Outside production the request's
    own origin is accepted as well, because the development server and the test server run on
    whatever address and port they were given; the relying-party check still binds the passkey to
    its domain there.

Clone detection
    py_webauthn refuses an assertion whose signature counter is not above the one stored, unless
    both are zero (authenticators that keep no counter, such as synced passkeys, always send
    zero). A copied authenticator shows itself by sending a counter already seen; it is refused
    and the attempt counts as a failed sign-in.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
)
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from waypoint.access.models import PasskeyCredential
from waypoint.accounts.models import User

# Seconds the browser offers the person to use their passkey; a hint browsers may ignore.
CEREMONY_TIMEOUT_MS = 120_000
# The parts of an untrusted credential py_webauthn may fail on in ways other than its own errors
# (malformed base64, CBOR or JSON are ValueErrors; missing members are KeyErrors).
MALFORMED = (ValueError, TypeError, KeyError, IndexError)


def relying_party_id() -> str:
    return str(settings.WAYPOINT_WEBAUTHN_RP_ID)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def expected_origins(request: HttpRequest) -> list[str]:
    configured = _origin(str(settings.WAYPOINT_BASE_URL))
    if settings.WAYPOINT_PRODUCTION:
        return [configured]
    own = f"{request.scheme}://{request.get_host()}"
    return [configured] if own == configured else [configured, own]


def user_handle(user: User) -> bytes:
    """The WebAuthn user handle: stable for the account, and no name, number or email, which a
    passkey stored on a shared device would otherwise give away."""
    return salted_hmac(
        "waypoint.access.passkey-user-handle", str(user.pk), algorithm="sha256"
    ).digest()


def _descriptors(passkeys: list[PasskeyCredential]) -> list[PublicKeyCredentialDescriptor]:
    known = {t.value for t in AuthenticatorTransport}
    return [
        PublicKeyCredentialDescriptor(
            id=bytes(p.credential_id),
            transports=[AuthenticatorTransport(t) for t in p.transports if t in known] or None,
        )
        for p in passkeys
    ]


def registration_options(
    *, user: User, existing: list[PasskeyCredential]
) -> tuple[dict[str, Any], bytes]:
    """The options for ``navigator.credentials.create`` as JSON, and their challenge. The
    person's passkeys are excluded, so the same authenticator is not added twice."""
    options = generate_registration_options(
        rp_id=relying_party_id(),
        rp_name=str(settings.WAYPOINT_WEBAUTHN_RP_NAME),
        user_name=user.get_username(),
        user_id=user_handle(user),
        user_display_name=user.display_name,
        timeout=CEREMONY_TIMEOUT_MS,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(existing),
    )
    return json.loads(options_to_json(options)), options.challenge


def authentication_options(*, passkeys: list[PasskeyCredential]) -> tuple[dict[str, Any], bytes]:
    """The options for ``navigator.credentials.get``, offering only this person's passkeys (the
    password has already said who they are), and their challenge."""
    options = generate_authentication_options(
        rp_id=relying_party_id(),
        timeout=CEREMONY_TIMEOUT_MS,
        allow_credentials=_descriptors(passkeys),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return json.loads(options_to_json(options)), options.challenge


def parse_json_body(body: bytes) -> dict[str, Any] | None:
    """A JSON object from a request body, or None for anything else."""
    try:
        value = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None
