from __future__ import annotations

from django import template

from waypoint.workspace import audit_words as presentation

register = template.Library()


@register.filter
def object_words(object_type: str) -> str:
    return presentation.object_words(object_type)


@register.filter
def role_words(role: str) -> str:
    return presentation.role_words(role)
