"""Passkeys at the service level, answered by a small software authenticator (an EC P-256 key
from ``cryptography``, its messages in CBOR) so that py_webauthn checks real attestation and
assertion responses: the challenge is used once, the origin and relying party must match, and a
signature counter that does not go up is refused (a cloned authenticator)."""

from __future__ import annotations

import hashlib
import json
import os
import struct
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import bytes_to_base64url

from tests.world import World
from waypoint.access.mfa import services
from waypoint.access.models import PasskeyCredential
from waypoint.audit.models import AuditAction, AuditEvent
from waypoint.core.errors import NotFound, ValidationFailed

RP_ID = "localhost"
ORIGIN = "http://localhost:8000"


@pytest.fixture(autouse=True)
def _relying_party(settings) -> None:  # type: ignore[no-untyped-def]
    settings.WAYPOINT_WEBAUTHN_RP_ID = RP_ID


class SoftAuthenticator:
    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.count = 0

    def _client_data(self, kind: str, challenge: bytes, origin: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": bytes_to_base64url(challenge), "origin": origin}
        ).encode()

    def _auth_data(self, rp_id: str, *, attested: bytes = b"") -> bytes:
        flags = 0x01 | 0x04 | (0x40 if attested else 0)  # present, verified, credential data
        rp_hash = hashlib.sha256(rp_id.encode()).digest()
        return rp_hash + bytes([flags]) + struct.pack(">I", self.count) + attested

    def create(
        self, challenge: bytes, *, origin: str = ORIGIN, rp_id: str = RP_ID
    ) -> dict[str, Any]:
        numbers = self.key.public_key().public_numbers()
        cose = cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )
        attested = (
            bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id + cose
        )
        attestation = cbor2.dumps(
            {"fmt": "none", "attStmt": {}, "authData": self._auth_data(rp_id, attested=attested)}
        )
        client_data = self._client_data("webauthn.create", challenge, origin)
        return {
            "id": bytes_to_base64url(self.credential_id),
            "rawId": bytes_to_base64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "attestationObject": bytes_to_base64url(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        }

    def get(
        self, challenge: bytes, *, origin: str = ORIGIN, count_up: bool = True
    ) -> dict[str, Any]:
        if count_up:
            self.count += 1
        auth_data = self._auth_data(RP_ID)
        client_data = self._client_data("webauthn.get", challenge, origin)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return {
            "id": bytes_to_base64url(self.credential_id),
            "rawId": bytes_to_base64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "authenticatorData": bytes_to_base64url(auth_data),
                "signature": bytes_to_base64url(signature),
            },
            "clientExtensionResults": {},
        }


def _add(
    world: World, authenticator: SoftAuthenticator, challenge: bytes = b"c" * 32
) -> services.Added:
    return services.passkey_add(
        actor=world.key_worker,
        name="Work laptop",
        credential=authenticator.create(challenge),
        challenge=challenge,
        origins=[ORIGIN],
        session_verified=False,
    )


def test_a_passkey_is_kept_once_its_answer_checks_out_with_ten_recovery_codes(world: World) -> None:
    added = _add(world, SoftAuthenticator())

    passkey = PasskeyCredential.objects.get(user=world.key_worker)
    assert passkey.name == "Work laptop"
    assert passkey.transports == ["internal"]
    assert len(added.recovery_codes) == 10
    event = AuditEvent.objects.get(action=AuditAction.CREATE, actor=world.key_worker)
    assert "passkey 'Work laptop' added" in event.detail


def test_an_answer_to_another_challenge_is_refused(world: World) -> None:
    authenticator = SoftAuthenticator()

    with pytest.raises(ValidationFailed):
        services.passkey_add(
            actor=world.key_worker,
            name="Work laptop",
            credential=authenticator.create(b"a" * 32),
            challenge=b"b" * 32,
            origins=[ORIGIN],
            session_verified=False,
        )
    assert not PasskeyCredential.objects.exists()


def test_an_answer_made_on_another_site_is_refused(world: World) -> None:
    authenticator = SoftAuthenticator()
    challenge = b"c" * 32

    with pytest.raises(ValidationFailed):
        services.passkey_add(
            actor=world.key_worker,
            name="Work laptop",
            credential=authenticator.create(challenge, origin="https://evil.example"),
            challenge=challenge,
            origins=[ORIGIN],
            session_verified=False,
        )
    assert not PasskeyCredential.objects.exists()


def test_a_malformed_answer_is_refused_in_words(world: World) -> None:
    with pytest.raises(ValidationFailed, match="could not be checked"):
        services.passkey_add(
            actor=world.key_worker,
            name="Work laptop",
            credential={"id": "!!", "response": {"attestationObject": "not cbor"}},
            challenge=b"c" * 32,
            origins=[ORIGIN],
            session_verified=False,
        )


def test_signing_in_moves_the_counter_on_and_records_the_use(world: World) -> None:
    authenticator = SoftAuthenticator()
    _add(world, authenticator)

    used = services.passkey_check(
        user=world.key_worker,
        credential=authenticator.get(b"s" * 32),
        challenge=b"s" * 32,
        origins=[ORIGIN],
    )

    assert used is not None
    used.refresh_from_db()
    assert used.sign_count == 1
    assert used.last_used_at is not None


def test_a_counter_that_did_not_go_up_is_refused_as_a_clone(world: World) -> None:
    authenticator = SoftAuthenticator()
    _add(world, authenticator)
    services.passkey_check(
        user=world.key_worker,
        credential=authenticator.get(b"1" * 32),
        challenge=b"1" * 32,
        origins=[ORIGIN],
    )

    copied = authenticator.get(b"2" * 32, count_up=False)

    assert (
        services.passkey_check(
            user=world.key_worker, credential=copied, challenge=b"2" * 32, origins=[ORIGIN]
        )
        is None
    )


def test_someone_elses_passkey_does_not_sign_this_person_in(world: World) -> None:
    authenticator = SoftAuthenticator()
    _add(world, authenticator)

    assert (
        services.passkey_check(
            user=world.colleague,
            credential=authenticator.get(b"s" * 32),
            challenge=b"s" * 32,
            origins=[ORIGIN],
        )
        is None
    )


def test_removing_a_passkey_is_audited_and_another_persons_is_not_found(world: World) -> None:
    _add(world, SoftAuthenticator())
    passkey = PasskeyCredential.objects.get(user=world.key_worker)

    with pytest.raises(NotFound):
        services.passkey_remove(actor=world.colleague, passkey_id=passkey.pk, session_verified=True)
    services.passkey_remove(actor=world.key_worker, passkey_id=passkey.pk, session_verified=True)

    assert not PasskeyCredential.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, actor=world.key_worker)
    assert "passkey 'Work laptop' removed" in event.detail
