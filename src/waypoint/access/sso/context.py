"""The single-sign-on buttons for the sign-in page, from settings alone (no query)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from waypoint.access.sso.config import PatientProviderConfig, StaffProviderConfig


@dataclass(frozen=True)
class SsoButton:
    provider: str
    text: str
    href: str


def sso_buttons(request: HttpRequest) -> dict[str, object]:
    """``sso_buttons``: one per configured provider, the staff one first. The page's ``next``
    goes with each, so signing in through a provider lands where the password would have."""
    buttons = []
    nxt = request.GET.get("next", "")
    providers: list[StaffProviderConfig | PatientProviderConfig | None] = [
        settings.WAYPOINT_OIDC_STAFF,
        settings.WAYPOINT_OIDC_PATIENT,
    ]
    for config in providers:
        if config is None:
            continue
        href = reverse("sso_start", args=[config.provider])
        if nxt:
            href += "?" + urlencode({"next": nxt})
        buttons.append(SsoButton(provider=config.provider, text=config.button_text, href=href))
    return {"sso_buttons": buttons}
