from __future__ import annotations

from typing import Any

from django import template

from waypoint.triage.models import SymptomReport
from waypoint.triage.presentation import (
    HELP_NOW,
    LEVEL_ICON,
    LEVEL_TAG,
    HelpNow,
    source_words,
    thresholds_in_force_words,
)

register = template.Library()


@register.filter
def level_tag(level: str) -> str:
    return LEVEL_TAG.get(level, "")


@register.filter
def level_icon(level: str) -> str:
    return LEVEL_ICON.get(level, "")


@register.filter
def reported_by(report: SymptomReport) -> str:
    return source_words(report)


@register.filter
def field_of(form: Any, name: str) -> Any:
    """The bound field ``name`` of ``form`` (for fields added at run time)."""
    return form[name]


@register.simple_tag
def help_now() -> HelpNow:
    """The warning signs and what to do, from the one advice source (triage/rules/advice.py)."""
    return HELP_NOW


@register.simple_tag
def thresholds_in_force() -> str:
    """Which thresholds grade reports now: the default set or this deployment's overrides."""
    return thresholds_in_force_words()
