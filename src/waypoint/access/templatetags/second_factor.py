"""The two-step verification part of the account security page, drawn from what is set up for
the signed-in person (the page's own view need not know about it)."""

from __future__ import annotations

from typing import Any

from django import template

from waypoint.access.mfa.middleware import needs_second_step
from waypoint.access.mfa.selectors import second_factor_summary
from waypoint.accounts.models import User

register = template.Library()


@register.inclusion_tag("access/mfa/_security_body.html", takes_context=True)
def second_factor_section(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # the security page needs a signed-in person
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "summary": second_factor_summary(user),
        "must_set_up": needs_second_step(request),
    }
