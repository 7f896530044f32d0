from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from waypoint.accounts.models import ApiToken, Role, User
from waypoint.core.errors import ValidationFailed

_TOKEN_BYTES = 32
_LAST_USED_RESOLUTION = dt.timedelta(minutes=5)
# Count one request in the token's row for the scope, restarting at 1 in a new minute, and say
# how many the minute now holds: one atomic statement on PostgreSQL and SQLite (3.35+).
_RATE_TAKE_SQL = """
INSERT INTO accounts_apitokenrate AS rate (token_id, scope, minute, used) VALUES (%s, %s, %s, 1)
ON CONFLICT (token_id, scope) DO UPDATE SET
    used = CASE WHEN rate.minute = excluded.minute THEN rate.used + 1 ELSE 1 END,
    minute = excluded.minute
RETURNING used
"""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, label: str = "") -> tuple[ApiToken, str]:
    """Make a token for ``user``; the plain token is returned once and never stored."""
    if not user.is_active:
        raise ValidationFailed("This account is inactive.", fields={"user": "inactive"})
    plain = "wp_" + secrets.token_urlsafe(_TOKEN_BYTES)
    token = ApiToken.objects.create(
        user=user, label=label[:100], prefix=plain[3:11], digest=_digest(plain)
    )
    return token, plain


class TokenState(StrEnum):
    """What a bearer token turned out to be; only ``VALID`` may act."""

    VALID = "valid"
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class TokenLookup:
    state: TokenState
    token: ApiToken | None = None

    @property
    def user(self) -> User | None:
        return (
            self.token.user if self.token is not None and self.state == TokenState.VALID else None
        )


def api_token_lookup(*, token: str) -> TokenLookup:
    """The stored token a bearer token names, and whether it may act. A revoked token, or one of
    an inactive account, is still named (for the audit trail) but never valid."""
    if not token.startswith("wp_") or len(token) > 200:
        return TokenLookup(TokenState.UNKNOWN)
    found = ApiToken.objects.select_related("user").filter(digest=_digest(token)).first()
    if found is None:
        return TokenLookup(TokenState.UNKNOWN)
    if found.revoked_at is not None:
        return TokenLookup(TokenState.REVOKED, found)
    if not found.user.is_active:
        return TokenLookup(TokenState.INACTIVE, found)
    now = timezone.now()
    if found.last_used_at is None or now - found.last_used_at > _LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=found.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - _LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return TokenLookup(TokenState.VALID, found)


def api_token_authenticate(*, token: str) -> User | None:
    return api_token_lookup(token=token).user


def api_token_rate_take(*, token: ApiToken, scope: str, limit: int, now: dt.datetime) -> int:
    """Count one request against ``token``'s ``limit`` a minute for ``scope``: 0 when it is within
    the limit, otherwise the seconds until the minute ends (for Retry-After).

    A fixed window per calendar minute, counted in the database in one statement (an upsert that
    restarts the count when the minute has changed), so that concurrent requests on every server
    process share one count. A client may send up to twice the limit across a minute's end; that
    is enough to hold back a runaway script or a stolen token.
    """
    seconds = int(now.timestamp())
    minute = seconds // 60
    with connection.cursor() as cursor:
        cursor.execute(_RATE_TAKE_SQL, [token.pk, scope, minute])
        row = cursor.fetchone()
    used = int(row[0]) if row else 1
    if used <= limit:
        return 0
    return 60 - seconds % 60


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    work_phone: str = "",
    job_title: str = "",
) -> User:
    if role not in Role.values:
        raise ValidationFailed("Unknown role.", fields={"role": f"must be one of {Role.values}"})
    if User.objects.filter(username=username).exists():
        raise ValidationFailed("That username is taken.", fields={"username": "already exists"})
    user = User(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        work_phone=work_phone,
        job_title=job_title,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user
