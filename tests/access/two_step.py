"""Helpers for the two-step verification tests: signing in through the real pages, and codes
computed with django-otp's own TOTP at the frozen time."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.world import PASSWORD
from waypoint.access.mfa import services
from waypoint.accounts.models import User

# A moment with room either side of a 30-second step: codes computed here are the current step's.
FROZEN_AT = "2026-11-23 10:00:05+00:00"


def code_for(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + offset_steps)
    return f"{totp.token():06d}"


def code_for_key(key_hex: str) -> str:
    return f"{TOTP(bytes.fromhex(key_hex)).token():06d}"


def password_step(username: str, *, client: Client | None = None, next_url: str = ""):  # type: ignore[no-untyped-def]
    client = client or Client()
    data = {"username": username, "password": PASSWORD}
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    if next_url:
        data["next"] = next_url
    response = client.post(url, data)
    return client, response


def signed_in(username: str) -> Client:
    client, response = password_step(username)
    assert response.status_code == 302
    assert response["Location"] != reverse("login_verify")
    return client


def authenticator_for(user: User) -> tuple[TOTPDevice, list[str]]:
    """An authenticator app set up through the service, as if its code had been typed."""
    key = "3132333435363738393031323334353637383930"
    with_codes = services.authenticator_add(
        actor=user, key=key, code=code_for_key(key), session_verified=False
    )
    device = with_codes.device
    assert isinstance(device, TOTPDevice)
    # As if it had been set up yesterday: the code typed then is long spent, and today's are new.
    device.last_t = -1
    device.save(update_fields=["last_t"])
    return device, with_codes.recovery_codes


def secret_on_page(html: str) -> str:
    match = re.search(r"data-secret>([A-Z2-7 ]+)<", html)
    assert match, "no secret on the page"
    return match.group(1).replace(" ", "")
