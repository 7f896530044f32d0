"""``/health/live`` and ``/health/ready``, for load balancers, orchestrators and monitoring.

Both answer without a session (no login, outside the API's authentication) and are never cached.
``live`` touches nothing, not even the database: it says the process answers, so it is restarted
only when it does not. ``ready`` says whether Waypoint is doing its work (triage/health.py) and
answers 503 with the reasons when not; its body is counts and ages, never a patient's details.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from waypoint.triage.health import readiness_check


@login_not_required
@never_cache
@require_safe
def live(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "live"})


@login_not_required
@never_cache
@require_safe
def ready(request: HttpRequest) -> HttpResponse:
    readiness = readiness_check(now=timezone.now())
    body = {
        "status": "ready" if readiness.ready else "not ready",
        "reasons": readiness.reasons,
        **readiness.checks,
    }
    return JsonResponse(body, status=200 if readiness.ready else 503)
