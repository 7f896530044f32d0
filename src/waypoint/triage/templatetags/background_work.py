"""The warning that escalations and messages are not going out, on the staff pages that depend on
them (the triage queue, the caseload) and on every admin page."""

from __future__ import annotations

from django import template
from django.template.context import Context
from django.utils import timezone

from waypoint.triage.health import BackgroundWork, background_work_status

register = template.Library()


@register.inclusion_tag("triage/includes/background_work_banner.html", takes_context=True)
def background_work_banner(context: Context, admin: bool = False) -> dict[str, object]:
    """``admin``: in the admin's own warning style, since its pages do not load NHS.UK frontend.
    Nothing is read for someone not signed in (the admin's login page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    work: BackgroundWork | None = None
    if user is not None and user.is_authenticated:
        work = background_work_status(now=timezone.now())
    return {"work": work, "admin": admin}
