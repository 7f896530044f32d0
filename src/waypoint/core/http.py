from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.http import HttpRequest


def access_reason(request: HttpRequest, given: str | None = None) -> str:
    """Reason for access, from a ``reason`` parameter or the ``X-Access-Reason`` header."""
    return (given or request.headers.get("X-Access-Reason", "")).strip()[:300]


def page_number(request: HttpRequest) -> int:
    """The ``page`` query parameter, 1 when it is missing or not a positive number."""
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def client_address(request: HttpRequest) -> str:
    """The client's address as sign-in lockouts see it (REMOTE_ADDR, or the one trusted proxy
    header configured in settings), so that lockouts, token limits and the audit trail agree.
    Empty when the request carries none that can be trusted."""
    return get_client_ip_address(request) or ""
