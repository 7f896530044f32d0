from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from waypoint.accounts.models import ApiToken, Role, User
from waypoint.core.errors import ValidationFailed

_TOKEN_BYTES = 32
_LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


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


def api_token_authenticate(*, token: str) -> User | None:
    if not token.startswith("wp_") or len(token) > 200:
        return None
    found = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if found is None:
        return None
    now = timezone.now()
    if found.last_used_at is None or now - found.last_used_at > _LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=found.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - _LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return found.user


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
