from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.models import CLINICAL_ROLES, Role
from waypoint.core.session import session_expires_in, session_lifetime_left
from waypoint.registry.rules.nhs_number import format_nhs_number

register = template.Library()


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    current: bool


_NAV: dict[str, list[tuple[str, str]]] = {
    Role.KEY_WORKER: [
        ("Triage", "triage_queue"),
        ("Caseload", "caseload"),
        ("Unassigned", "unassigned"),
        ("Find a person", "patient_search"),
        ("Support", "support_directory"),
        ("Standards", "standards_dashboard"),
        ("Reports", "reports"),
        ("Cover", "covers"),
        ("Experience", "experience_results"),
    ],
    Role.ONCOLOGIST: [
        ("Triage", "triage_queue"),
        ("Caseload", "caseload"),
        ("Unassigned", "unassigned"),
        ("Find a person", "patient_search"),
        ("Experience", "experience_results"),
        ("Reports", "reports"),
    ],
    Role.HELPLINE_NURSE: [
        ("Log a call", "helpline_call"),
        ("Triage", "triage_queue"),
        ("Unregistered callers", "triage_unregistered"),
        ("Find a person", "patient_search"),
        ("Register a person", "patient_new"),
    ],
    Role.SERVICE_MANAGER: [
        ("Overview", "overview"),
        ("Standards", "standards_dashboard"),
        ("Reports", "reports"),
        ("Cover", "covers"),
        ("Experience", "experience_results"),
    ],
    Role.ADMIN: [
        ("Audit trail", "audit_search"),
        ("Messages", "outbox"),
        ("Pack orders", "pack_orders"),
        ("Overview", "overview"),
        ("Reports", "reports"),
        ("Admin", "admin:index"),
        ("Experience", "experience_results"),
    ],
    Role.PATIENT: [
        ("Home", "portal_home"),
        ("Report symptoms", "portal_symptoms"),
        ("Who has seen my record", "portal_access"),
    ],
    # A carer reaches only the people they help; each person's page links what they shared.
    Role.CARER: [
        ("People I help", "carer_home"),
    ],
}


@register.simple_tag
def nav_items(request: HttpRequest) -> list[NavItem]:
    """The menu for the person's role; at most one item is current: the longest matching prefix.

    "Home" (/portal/) is a prefix of "Report symptoms" (/portal/symptoms/), so a plain prefix test
    would mark both; the most specific item is the page the person is on.
    """
    role = getattr(request.user, "role", "")
    links = [(text, reverse(name)) for text, name in _NAV.get(role, [])]
    # Every clinician's team page: leads run the team there, members see who is in it and the
    # letters to print. No query here: the page itself decides what each may see and do.
    if role in CLINICAL_ROLES:
        links.append(("My team", reverse("team_list")))
    matching = [href for _, href in links if request.path.startswith(href)]
    current = max(matching, key=len, default=None)
    return [NavItem(text=text, href=href, current=href == current) for text, href in links]


@dataclass(frozen=True)
class SessionTimeout:
    expires_in: int  # seconds to whichever end comes first
    lifetime_left: int  # seconds to the absolute end, which "Stay signed in" cannot move
    warn_before: int


@register.simple_tag
def session_timeout(request: HttpRequest) -> SessionTimeout:
    """For the timeout warning (core/includes/session_timeout.html)."""
    return SessionTimeout(
        expires_in=session_expires_in(request),
        lifetime_left=session_lifetime_left(request),
        warn_before=settings.WAYPOINT_SESSION_WARNING_SECONDS,
    )


@register.filter
def nhs_number(value: str | None) -> str:
    return format_nhs_number(value) if value else "Not recorded"


@register.filter
def uk_date(value: dt.date | dt.datetime | None) -> str:
    """23 November 2026 (docs/design/ux.md: dates in UK format)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


@register.filter
def uk_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.strftime("%I").lstrip("0") or "12"
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{local:%p}".replace("AM", "am").replace(
        "PM", "pm"
    )


@register.filter
def tel(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit() or ch == "+")


def _span(delta: dt.timedelta) -> str:
    minutes = int(abs(delta.total_seconds()) // 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


@register.filter
def clock(deadline: dt.datetime | None, now: dt.datetime) -> str:
    """A response clock in words: "due in 23 min", "overdue by 2 h" (docs/design/ux.md)."""
    if deadline is None:
        return "no clock"
    if deadline >= now:
        return f"due in {_span(deadline - now)}"
    return f"overdue by {_span(now - deadline)}"
