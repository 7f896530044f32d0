"""The parts every invitation shares: its secrets, its lookup, and the account it makes.

An invitation's link token is 32 random bytes (``secrets``), of which only the SHA-256 digest is
stored, as for API tokens. A letter's code is ten characters of Crockford's base 32 (50 bits):
typed by hand, so no I, L, O or U, and read forgivingly (``o`` is 0, ``i`` and ``l`` are 1, spaces
and dashes ignored). Fifty bits cannot be guessed at any rate a server answers, and every use is
then checked against the person's date of birth, with a few wrong tries ending the invitation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TypeVar

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import QuerySet

from waypoint.access.models import InvitationBase, InvitationStatus
from waypoint.accounts.models import User
from waypoint.core.forms import NhsForm

_TOKEN_BYTES = 32
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_LENGTH = 10
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Wrong dates of birth before an invitation is withdrawn and the team must send another.
MAX_FAILED_CHECKS = 5

InvitationT = TypeVar("InvitationT", bound=InvitationBase)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_secrets(*, with_letter_code: bool) -> tuple[str, str, str | None]:
    """A new link token, its digest, and (for a letter) a code to print."""
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    code = None
    if with_letter_code:
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
        code = f"{raw[:5]}-{raw[5:]}"
    return token, token_digest(token), code


def letter_code_normalise(typed: str) -> str | None:
    """The code as printed (``ABCDE-12345``), or None when what was typed cannot be one."""
    cleaned = "".join(c for c in typed.upper() if c not in " -\t").translate(_READ_AS)
    if len(cleaned) != _CODE_LENGTH or any(c not in _CODE_ALPHABET for c in cleaned):
        return None
    return f"{cleaned[:5]}-{cleaned[5:]}"


def invitation_expiry(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=settings.WAYPOINT_INVITATION_DAYS)


def invitation_by_token(model: type[InvitationT], token: str) -> InvitationT | None:
    if not token or len(token) > 100:
        return None
    return model._default_manager.filter(token_digest=token_digest(token)).first()


def invitation_by_letter_code(model: type[InvitationT], typed: str) -> InvitationT | None:
    code = letter_code_normalise(typed)
    if code is None:
        return None
    return model._default_manager.filter(letter_code=code).first()


class AccountSetupForm(NhsForm):
    """A username and a password (typed twice), checked with Django's password validators
    against the details the new account will carry."""

    username = forms.CharField(
        max_length=150,
        label="Choose a username",
        help_text="You will type it each time you sign in. Your email address is fine.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        help_text=(
            "At least 12 characters. A few words you will remember, that others would not "
            "guess, make a good password."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: object, person: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.person = person  # unsaved: the names and email the account will have

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"]).strip()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken. Choose another.")
        return username

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if isinstance(first, str) and isinstance(second, str):
            if first != second:
                self.add_error("password2", "The passwords do not match. Type them again.")
            else:
                self.person.username = str(cleaned.get("username") or "")
                try:
                    password_validation.validate_password(first, self.person)
                except forms.ValidationError as exc:
                    self.add_error("password1", exc)
        return cleaned


def invitation_failed_check(invitation: InvitationBase, *, now: dt.datetime) -> str:
    """Count one wrong date of birth typed with ``invitation`` (locked by the caller), withdrawing
    it at MAX_FAILED_CHECKS; says what happened, for the caller's audit event."""
    invitation.failed_checks += 1
    said = f"({invitation.failed_checks})"
    if invitation.failed_checks >= MAX_FAILED_CHECKS:
        invitation.withdrawn_at = now
        invitation.withdrawn_reason = "Too many wrong dates of birth"
        said += "; the invitation is withdrawn"
    invitation.save(update_fields=["failed_checks", "withdrawn_at", "withdrawn_reason"])
    return said


# How long a date of birth confirmed with an invitation is remembered, in that browser only,
# while the person chooses how they will sign in.
CONFIRMED_FOR = dt.timedelta(minutes=30)


def confirmed_remember(
    session: SessionBase, key: str, *, invitation: InvitationBase, now: dt.datetime
) -> None:
    session[key] = {"invitation": invitation.pk, "until": (now + CONFIRMED_FOR).isoformat()}


def confirmed_invitation(
    session: SessionBase, key: str, invitations: QuerySet[InvitationT], *, now: dt.datetime
) -> InvitationT | None:
    """The invitation whose date of birth this browser confirmed under ``key``, while that lasts
    and the invitation is still pending; else None."""
    held = session.get(key)
    if not isinstance(held, dict):
        return None
    try:
        until = dt.datetime.fromisoformat(str(held["until"]))
        invitation_id = int(held["invitation"])
    except (KeyError, TypeError, ValueError):
        return None
    if now >= until:
        return None
    invitation = invitations.filter(pk=invitation_id).first()
    if invitation is None or invitation.status_on(now) != InvitationStatus.PENDING:
        return None
    return invitation
