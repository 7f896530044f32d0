from __future__ import annotations

from django import template

from waypoint.standards.rules.standards import TITLES

register = template.Library()


@register.filter
def standard_title(code: str) -> str:
    return TITLES.get(code, code)
