from __future__ import annotations

from typing import Any

from django import template

from waypoint.triage.presentation import LEVEL_ICON, LEVEL_TAG

register = template.Library()


@register.filter
def level_tag(level: str) -> str:
    return LEVEL_TAG.get(level, "")


@register.filter
def level_icon(level: str) -> str:
    return LEVEL_ICON.get(level, "")


@register.filter
def field_of(form: Any, name: str) -> Any:
    """The bound field ``name`` of ``form`` (for fields added at run time)."""
    return form[name]
