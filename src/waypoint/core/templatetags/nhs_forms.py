"""Template filters for forms in NHS.UK markup: the ISO values date pickers need, and where the
error summary's links point.

Hand-written inputs use ``{{ value|input_date }}`` (never ``|date`` or ``|uk_date``, which give
the display format a date picker rejects); Django forms get the same through
``waypoint.core.forms.NhsDateInput``.
"""

from __future__ import annotations

import datetime as dt

from django import forms, template

from waypoint.core.forms import date_input_value, datetime_input_value

register = template.Library()


@register.filter
def input_date(value: dt.date | dt.datetime | str | None) -> str:
    return date_input_value(value)


@register.filter
def input_datetime(value: dt.datetime | str | None) -> str:
    return datetime_input_value(value)


def _choice_group(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    return ""


@register.filter
def choice_group(field: forms.BoundField) -> str:
    """ "radios" or "checkboxes" for a field drawn as a group of options in a fieldset, else ""."""
    return _choice_group(field)


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def error_anchor(field: forms.BoundField) -> str:
    """The id the error summary links to: the field's input, or the first of a group's options
    (NHS.UK error summary: "link to the first radio button or checkbox")."""
    auto_id = field.auto_id or field.html_name
    return f"{auto_id}_0" if _choice_group(field) else auto_id
