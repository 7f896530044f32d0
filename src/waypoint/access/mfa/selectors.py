"""What is set up for a person's second step, read without writing.

An authenticator app (django-otp's TOTP device) and passkeys are the ways to take the second
step; recovery codes (django-otp's static device) are the fall-back when neither is to hand, and
count for nothing on their own: an account with only recovery codes left has no second step.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from waypoint.access.models import PasskeyCredential
from waypoint.accounts.models import Role, User

# Patients and carers may set up a second step but are never made to. Named here as well as in
# ``User.is_staff_member`` so that the rule reads whole in the one place that enforces it.
_NEVER_REQUIRED = frozenset({Role.PATIENT, Role.CARER})


def second_factor_required(user: User) -> bool:
    """Whether this person must take a second step before using Waypoint."""
    return bool(settings.WAYPOINT_REQUIRE_STAFF_SECOND_FACTOR) and (
        user.is_staff_member and user.role not in _NEVER_REQUIRED
    )


def authenticator_for(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def passkeys_for(user: User) -> list[PasskeyCredential]:
    return list(PasskeyCredential.objects.filter(user=user))


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def has_second_factor(user: User) -> bool:
    """Whether signing in as this person asks for a second step."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or PasskeyCredential.objects.filter(user=user).exists()
    )


def recovery_device_for(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@dataclass(frozen=True)
class SecondFactorSummary:
    """What the account security page shows."""

    authenticator: TOTPDevice | None
    passkeys: list[PasskeyCredential]
    recovery_codes_left: int
    required: bool

    @property
    def is_set_up(self) -> bool:
        return self.authenticator is not None or bool(self.passkeys)

    @property
    def method_count(self) -> int:
        return (1 if self.authenticator is not None else 0) + len(self.passkeys)


def second_factor_summary(user: User) -> SecondFactorSummary:
    return SecondFactorSummary(
        authenticator=authenticator_for(user),
        passkeys=passkeys_for(user),
        recovery_codes_left=recovery_codes_left(user),
        required=second_factor_required(user),
    )
