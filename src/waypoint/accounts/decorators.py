from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from waypoint.accounts.http import acting_user
from waypoint.accounts.policies import Permission, has_permission


def permission_required(
    *permissions: Permission,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Signed in and holding at least one of ``permissions``; otherwise 403 (no record named)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            actor = acting_user(request)
            if not any(has_permission(actor, p) for p in permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
