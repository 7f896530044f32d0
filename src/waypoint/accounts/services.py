from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from waypoint.accounts.models import CLINICAL_ROLES, ApiToken, Role, User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import Forbidden, NotFound, ValidationFailed

ACCOUNT_OBJECT = "user_account"
API_KEY_OBJECT = "api_token"  # the audit trail's name for API tokens (core.bearer too)
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
    actor: User | None = None,
) -> User:
    """A new account. ``actor`` None is Waypoint itself (set-up, the demo, tests)."""
    _may_manage_accounts(actor)
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
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=None,
        object_type=ACCOUNT_OBJECT,
        object_id=user.pk,
        detail=f"{username} as {Role(role).label.lower()}",
    )
    return user


def _may_manage_accounts(actor: User | None) -> None:
    if actor is not None and not has_permission(actor, Permission.MANAGE_ACCOUNTS):
        raise Forbidden("Only an administrator manages accounts.")


def user_access_problems(*, actor: User, user: User, role: str, is_active: bool) -> dict[str, str]:
    """Why this change to ``user``'s access cannot be made, by field; empty when it can. An
    administrator cannot take away their own access: someone must be left to give it back."""
    errors: dict[str, str] = {}
    if role not in Role.values:
        errors["role"] = f"must be one of {Role.values}"
    if user.pk == actor.pk:
        if role != user.role:
            errors["role"] = "You cannot change your own role. Ask another administrator."
        if not is_active:
            errors["is_active"] = "You cannot turn off your own account."
    return errors


@transaction.atomic
def user_access_change(
    *, actor: User, user_id: int, role: str, is_active: bool, as_lead_of: str = ""
) -> User:
    """Change an account's role, or whether it may sign in. The role decides what the account
    may do, and Django's admin is open to administrators only (``is_staff`` and
    ``is_superuser`` follow the role, never set on their own), so every change is audited.

    ``as_lead_of`` names the teams the actor leads, when the caller (careteam's membership
    services) has checked that they lead every team the person belongs to: a lead may then move
    a colleague between the clinical roles, or turn off a leaver's account, and nothing more."""
    if as_lead_of:
        if not has_permission(actor, Permission.VIEW_TEAM_PATIENTS):
            raise Forbidden("Only a clinician who leads the team changes a colleague's role.")
    else:
        _may_manage_accounts(actor)
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    if as_lead_of and (user.role not in CLINICAL_ROLES or role not in CLINICAL_ROLES):
        raise Forbidden("A team lead moves colleagues between the clinical roles only.")
    errors = user_access_problems(actor=actor, user=user, role=role, is_active=is_active)
    if errors:
        raise ValidationFailed("The account could not be changed.", fields=errors)
    changes = []
    if role != user.role:
        changes.append(f"role {Role(user.role).label.lower()} to {Role(role).label.lower()}")
    if is_active != user.is_active:
        changes.append("may sign in" if is_active else "may no longer sign in")
    if not changes:
        return user
    user.role = role
    user.is_active = is_active
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.save(update_fields=["role", "is_active", "is_staff", "is_superuser"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=None,
        object_type=ACCOUNT_OBJECT,
        object_id=user.pk,
        detail=f"{user.username}: {'; '.join(changes)}"
        + (f" (as lead of {as_lead_of})" if as_lead_of else ""),
    )
    return user


@transaction.atomic
def user_password_set(*, actor: User, user_id: int, password: str | None) -> User:
    """An administrator sets an account's password, or (``None``) turns password sign-in off.
    Whoever knows the new password can sign in as that person, so it is audited."""
    _may_manage_accounts(actor)
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=None,
        object_type=ACCOUNT_OBJECT,
        object_id=user.pk,
        detail=f"{user.username}: password {'set' if password else 'sign-in turned off'}",
    )
    return user


@transaction.atomic
def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    """Stop a token working, for good: a revoked token is kept (its history) and never restored."""
    _may_manage_accounts(actor)
    token = ApiToken.objects.select_for_update().select_related("user").filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            patient=None,
            object_type=API_KEY_OBJECT,
            object_id=token.prefix,
            detail=f"revoked ({token.user.username})",
        )
    return token


@transaction.atomic
def user_sessions_end(*, actor: User, user_id: int, reason: str) -> User:
    """End every signed-in session of an account at once, on every device: the account's
    session stamp is raised, so each session's signature (``User._get_session_auth_hash``) no
    longer matches and Django signs it out on its next request. A person may do it to their own
    account ("Sign out everywhere"); an administrator to anyone's."""
    if actor.pk != user_id:
        _may_manage_accounts(actor)
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    user.session_stamp = F("session_stamp") + 1
    user.save(update_fields=["session_stamp"])
    user.refresh_from_db(fields=["session_stamp"])
    audit_record(
        actor=actor,
        action=AuditAction.SIGN_OUT,
        patient=None,
        object_type=ACCOUNT_OBJECT,
        object_id=user.pk,
        detail=f"{user.username}: every session ended ({reason})",
    )
    return user
