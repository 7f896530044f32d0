from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, object]:
    return {
        "helpline_phone": settings.WAYPOINT_HELPLINE_PHONE,
        "helpline_hours": settings.WAYPOINT_HELPLINE_HOURS,
    }
