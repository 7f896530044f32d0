"""Helpers for admin pages that save through a service instead of the admin's own ``save()``."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission


def adopt_saved(obj: models.Model, saved: models.Model) -> None:
    """Make the admin's unsaved ``obj`` the row a service saved, so the admin's message, history
    and redirect name the real row."""
    for field in saved._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


def admin_may(request: HttpRequest, permission: Permission) -> bool:
    user = request.user
    return isinstance(user, User) and has_permission(user, permission)
