"""Headers on every answer Waypoint gives: what the browser may run, and that nothing is kept.

The Content-Security-Policy lets a page run scripts, apply styles and load fonts only from
Waypoint itself: no inline script or style, no event-handler attributes, nothing from a third
party. If text someone typed ever reached a page unescaped, the browser would still refuse to run
it. Pages, the admin and the API's Swagger UI (ninja serves it from its own static files) all work
under it; tests/browser/test_content_security_policy.py loads them and fails on any violation.

``Cache-Control: no-store`` goes on every response Django produces. Pages and API answers carry
patient data, and a shared ward computer or a proxy must not keep a copy; telling the few that
carry none apart is not worth the risk of a miss. Static files are the exception: WhiteNoise
answers them itself, before this middleware, with its own long cache lifetimes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """First in the chain, so static files and error pages carry the policy too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response


class NoStoreMiddleware:
    """After WhiteNoise, so static files never reach it. It replaces any other Cache-Control a
    view set: no page or API answer is cached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response
