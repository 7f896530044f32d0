"""Setting up, removing and using the second step. Each change to what is set up is one
transaction with its audit event (object type ``user_account``, no patient).

Rules, and why
    * One authenticator app per account. To replace it the person removes it and adds the new
      one; both need a session that has itself passed the second step (below). Someone who lost
      their phone signs in with a recovery code, which passes it. This is simpler than asking for
      a code again at each change, and as safe: the session has just proved the factor.
    * Once anything is set up, changing it needs a session that passed the second step (or
      single sign-on). A session signed in with a password alone (one older than the change that
      added a method, say) must not be able to remove or replace a factor it never proved.
    * Where the second step is required, the last authenticator app or passkey cannot be
      removed: the person would be unable to work until they set one up again.
    * Recovery codes are made when the first method is set up, ten at a time; making new ones
      voids the old. When the last method goes (where that is allowed), so do the codes:
      recovery codes alone are no second step.
"""

from __future__ import annotations

import time
from binascii import unhexlify
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from webauthn import verify_authentication_response, verify_registration_response
from webauthn.helpers import base64url_to_bytes
from webauthn.helpers.exceptions import WebAuthnException

from waypoint.access.mfa.passkeys import MALFORMED, relying_party_id
from waypoint.access.mfa.selectors import has_second_factor, second_factor_required
from waypoint.access.models import PasskeyCredential
from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.accounts.services import ACCOUNT_OBJECT
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import Conflict, Forbidden, NotFound, ValidationFailed

RECOVERY_CODE_COUNT = 10
PASSKEY_NAME_LENGTH = 100  # PasskeyCredential.name
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# A time step either side of now, for a phone's clock a little out (django-otp's default).
TOTP_TOLERANCE = 1

_PROVE_FIRST = (
    "To change two-step verification, sign out, then sign in again using your authenticator "
    "app, a passkey or a recovery code."
)
_LAST_METHOD = (
    "You cannot remove your only way to take the second step: staff must use two-step "
    "verification. Add another authenticator app or passkey first, then remove this one."
)


class CodeCheck(StrEnum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    WAIT = "wait"  # django-otp's throttle: too many wrong codes in a row, for a few seconds


@dataclass(frozen=True)
class Added:
    """A method set up, and the recovery codes made with it (empty if the person had some)."""

    device: TOTPDevice | PasskeyCredential
    recovery_codes: list[str] = field(default_factory=list)


def format_recovery_code(token: str) -> str:
    """``abcd-efgh``: two halves are easier to copy and to read out than eight letters."""
    return f"{token[:4]}-{token[4:]}"


def normalise_recovery_code(typed: str) -> str:
    return "".join(typed.split()).replace("-", "").lower()


def _locked_account(actor: User) -> User:
    """The actor's row, locked: two changes to one account's factors happen one after the other,
    so two tabs cannot each remove "the other" last method."""
    return User.objects.select_for_update().get(pk=actor.pk)


def _may_change(user: User, *, session_verified: bool) -> None:
    if not session_verified and has_second_factor(user):
        raise Forbidden(_PROVE_FIRST)


def _audit(
    actor: User | None, user: User, action: AuditAction, detail: str, reason: str = ""
) -> None:
    audit_record(
        actor=actor,
        action=action,
        patient=None,
        object_type=ACCOUNT_OBJECT,
        object_id=user.pk,
        reason=reason,
        detail=f"{user.username}: {detail}",
    )


def _new_recovery_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    tokens = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in tokens)
    return [format_recovery_code(t) for t in tokens]


def _first_recovery_codes(user: User) -> list[str]:
    if StaticToken.objects.filter(device__user=user).exists():
        return []
    return _new_recovery_codes(user)


def _after_removal(user: User) -> str:
    """What is left; with no method left the recovery codes go too."""
    if has_second_factor(user):
        return ""
    StaticDevice.objects.filter(user=user).delete()
    return "; two-step verification is now off and the recovery codes are void"


def _refuse_removing_last(user: User) -> None:
    methods = (
        TOTPDevice.objects.filter(user=user, confirmed=True).count()
        + PasskeyCredential.objects.filter(user=user).count()
    )
    if second_factor_required(user) and methods <= 1:
        raise Conflict(_LAST_METHOD)


def authenticator_add(*, actor: User, key: str, code: str, session_verified: bool) -> Added:
    """Keeps the authenticator app whose secret is ``key`` once it shows it can make a code: a
    device is saved, confirmed, only when the code typed is right. The code's time step is kept
    as used, so the same code cannot then sign anyone in."""
    with transaction.atomic():
        user = _locked_account(actor)
        _may_change(user, session_verified=session_verified)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise Conflict(
                "You already have an authenticator app. Remove it first, then add the new one."
            )
        totp = TOTP(unhexlify(key))
        totp.time = time.time()
        if not code.isdigit() or not totp.verify(int(code), tolerance=TOTP_TOLERANCE):
            raise ValidationFailed(
                "The code is not right.",
                fields={"code": "The code is not right. Type the 6-digit code your app shows now."},
            )
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(
            user=user,
            name=AUTHENTICATOR_NAME,
            key=key,
            confirmed=True,
            last_t=totp.t(),
            drift=totp.drift,
        )
        codes = _first_recovery_codes(user)
        _audit(user, user, AuditAction.CREATE, "authenticator app added for two-step verification")
        return Added(device=device, recovery_codes=codes)


def authenticator_remove(*, actor: User, session_verified: bool) -> None:
    with transaction.atomic():
        user = _locked_account(actor)
        _may_change(user, session_verified=session_verified)
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        if not devices.exists():
            raise NotFound("There is no authenticator app to remove.")
        _refuse_removing_last(user)
        TOTPDevice.objects.filter(user=user).delete()
        left = _after_removal(user)
        _audit(user, user, AuditAction.UPDATE, f"authenticator app removed{left}")


def passkey_add(
    *,
    actor: User,
    name: str,
    credential: dict[str, Any],
    challenge: bytes,
    origins: list[str],
    session_verified: bool,
) -> Added:
    """Keeps a passkey once py_webauthn has checked the browser's answer: the challenge this
    server issued, the relying party, the origin and that the person was present."""
    name = name.strip()
    if not name or len(name) > PASSKEY_NAME_LENGTH:
        raise ValidationFailed(
            "Give the passkey a name.",
            fields={"name": "Give the passkey a name of up to 100 characters, like 'Work laptop'."},
        )
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=relying_party_id(),
            expected_origin=origins,
        )
    except (WebAuthnException, *MALFORMED) as exc:
        raise ValidationFailed(
            "The passkey could not be checked, so it was not added. Try again."
        ) from exc
    transports = credential.get("response", {}).get("transports", [])
    with transaction.atomic():
        user = _locked_account(actor)
        _may_change(user, session_verified=session_verified)
        if PasskeyCredential.objects.filter(credential_id=verified.credential_id).exists():
            raise Conflict("This passkey is already added.")
        passkey = PasskeyCredential.objects.create(
            user=user,
            name=name,
            credential_id=verified.credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            transports=[t for t in transports if isinstance(t, str)][:10]
            if isinstance(transports, list)
            else [],
        )
        codes = _first_recovery_codes(user)
        _audit(user, user, AuditAction.CREATE, f"passkey {name!r} added for two-step verification")
        return Added(device=passkey, recovery_codes=codes)


def passkey_remove(*, actor: User, passkey_id: int, session_verified: bool) -> None:
    with transaction.atomic():
        user = _locked_account(actor)
        _may_change(user, session_verified=session_verified)
        passkey = PasskeyCredential.objects.filter(pk=passkey_id, user=user).first()
        if passkey is None:
            raise NotFound("There is no such passkey on your account.")
        _refuse_removing_last(user)
        name = passkey.name
        passkey.delete()
        left = _after_removal(user)
        _audit(user, user, AuditAction.UPDATE, f"passkey {name!r} removed{left}")


def recovery_codes_regenerate(*, actor: User, session_verified: bool) -> list[str]:
    """Ten new recovery codes; the old ones stop working at once."""
    with transaction.atomic():
        user = _locked_account(actor)
        _may_change(user, session_verified=session_verified)
        if not has_second_factor(user):
            raise ValidationFailed(
                "Set up an authenticator app or a passkey first; recovery codes come with it."
            )
        codes = _new_recovery_codes(user)
        _audit(user, user, AuditAction.UPDATE, "new recovery codes made; the old ones are void")
        return codes


def second_factor_reset(*, actor: User | None, user_id: int, reason: str) -> User:
    """Removes every authenticator app, passkey and recovery code of an account, for someone who
    has lost them all. An administrator's action (``actor`` None for ``manage.py mfa_reset``,
    run by whoever operates the server); the reason is kept in the audit trail."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("Say why.", fields={"reason": "Say why the reset is needed."})
    if actor is not None and not has_permission(actor, Permission.MANAGE_ACCOUNTS):
        raise Forbidden("Only an administrator may reset someone's two-step verification.")
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None:
            raise NotFound("There is no such account.")
        apps = TOTPDevice.objects.filter(user=user).delete()[0]
        passkeys = PasskeyCredential.objects.filter(user=user).delete()[0]
        StaticDevice.objects.filter(user=user).delete()
        _audit(
            actor,
            user,
            AuditAction.UPDATE,
            f"two-step verification reset ({apps} authenticator app(s), {passkeys} passkey(s) "
            "and the recovery codes removed)",
            reason=reason,
        )
        return user


# --- Using them at sign-in ---------------------------------------------------------------------


def authenticator_check(*, user: User, code: str) -> tuple[CodeCheck, TOTPDevice | None]:
    """Checks a code from the person's authenticator app. django-otp refuses a code from a time
    step at or before the last one accepted (``last_t``), so a code works once, and slows
    guessing by refusing any code for a few seconds after wrong ones."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None:
            return CodeCheck.WRONG, None
        if not device.verify_is_allowed()[0]:
            return CodeCheck.WAIT, device
        if device.verify_token(code):
            return CodeCheck.ACCEPTED, device
        return CodeCheck.WRONG, device


def recovery_code_use(*, user: User, code: str) -> tuple[CodeCheck, StaticDevice | None]:
    """Uses up one recovery code: django-otp deletes it as it matches, so it works once."""
    typed = normalise_recovery_code(code)
    with transaction.atomic():
        device = (
            StaticDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None or not has_second_factor(user):
            return CodeCheck.WRONG, None
        if not device.verify_is_allowed()[0]:
            return CodeCheck.WAIT, device
        if device.verify_token(typed):
            return CodeCheck.ACCEPTED, device
        return CodeCheck.WRONG, device


def passkey_check(
    *, user: User, credential: dict[str, Any], challenge: bytes, origins: list[str]
) -> PasskeyCredential | None:
    """The person's passkey that signed ``challenge``, with its counter and last use brought up
    to date; None if the answer is not one of their passkeys' or does not check out (including a
    counter that did not go up: see passkeys.py on clone detection)."""
    raw_id = credential.get("rawId") or credential.get("id")
    if not isinstance(raw_id, str):
        return None
    try:
        credential_id = base64url_to_bytes(raw_id)
    except MALFORMED:
        return None
    with transaction.atomic():
        passkey = (
            PasskeyCredential.objects.select_for_update()
            .filter(user=user, credential_id=credential_id)
            .first()
        )
        if passkey is None:
            return None
        try:
            verified = verify_authentication_response(
                credential=credential,
                expected_challenge=challenge,
                expected_rp_id=relying_party_id(),
                expected_origin=origins,
                credential_public_key=bytes(passkey.public_key),
                credential_current_sign_count=passkey.sign_count,
            )
        except (WebAuthnException, *MALFORMED):
            return None
        passkey.sign_count = verified.new_sign_count
        passkey.last_used_at = timezone.now()
        passkey.save(update_fields=["sign_count", "last_used_at"])
        return passkey
