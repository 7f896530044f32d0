from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from waypoint.core.bounds import validate_date_in_range
from waypoint.core.errors import WaypointError


def apply_service_errors(form: forms.Form, error: WaypointError) -> None:
    """Show a service's field errors beside the fields, the rest in the error summary."""
    placed = False
    for field, message in error.fields.items():
        name = field.split(".")[0]
        if name in form.fields:
            form.add_error(name, message)
            if isinstance(form, NhsForm):
                form.mark_invalid(name)
            placed = True
        else:
            form.add_error(None, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


# The only value formats a browser accepts in these inputs (HTML Living Standard, "valid date
# string" and "valid normalized local date and time string"). A value in any other format, such
# as the en-GB locale's 17/05/1960, is silently dropped: the field shows empty and submits nothing.
ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def date_input_value(value: dt.date | dt.datetime | str | None) -> str:
    """The value for an ``<input type="date">``: ISO, whatever the locale's display format."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.strftime(ISO_DATE)


def datetime_input_value(value: dt.datetime | str | None) -> str:
    """The value for an ``<input type="datetime-local">``: ISO local time, to the minute."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime(ISO_DATETIME_LOCAL)


class NhsDateInput(forms.DateInput):
    """A date picker whose value is ISO, so a stored date shows and is sent back unchanged."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format=format or ISO_DATE)

    def format_value(self, value: Any) -> str | None:
        return date_input_value(value) or None


class NhsDateTimeInput(forms.DateTimeInput):
    """A local date-and-time picker whose value is ISO (``2026-11-23T14:05``) in local time."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format=format or ISO_DATETIME_LOCAL)

    def format_value(self, value: Any) -> str | None:
        return datetime_input_value(value) or None


def normalise_newlines(text: str) -> str:
    """Line breaks as ``\n``: browsers send every line break in a text area as CRLF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class NhsTextarea(forms.Textarea):
    """A text area that reads line breaks as ``\n``. Without it a stored address of two lines,
    sent back unchanged, would compare as changed (and be audited as a change)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        return normalise_newlines(value) if isinstance(value, str) else value


_WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.Select: "nhsuk-select",
    forms.Textarea: "nhsuk-textarea",
    forms.CheckboxSelectMultiple: "nhsuk-checkboxes__input",
    forms.RadioSelect: "nhsuk-radios__input",
    forms.CheckboxInput: "nhsuk-checkboxes__input",
}


def bound_dates(form: forms.BaseForm) -> None:
    """Every date and date-time field of ``form`` accepts only dates in Waypoint's range
    (core.bounds), so an out-of-range year is an error beside the field, not a failure later."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField | forms.DateTimeField) and (
            validate_date_in_range not in field.validators
        ):
            field.validators.append(validate_date_in_range)


class NhsForm(forms.Form):
    """A form whose widgets carry NHS.UK classes and accessible descriptions."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own signature
        bound_dates(self)
        for name, field in self.fields.items():
            if type(field.widget) is forms.Textarea:
                field.widget = NhsTextarea(attrs=field.widget.attrs)
            widget = field.widget
            css = next(
                (c for kind, c in _WIDGET_CLASSES.items() if isinstance(widget, kind)),
                "nhsuk-input",
            )
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{css} {existing}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self._field_id(name)}-hint"

    def _field_id(self, name: str) -> str:
        """The id Django gives the field's input (``id_<prefix>-<name>``), which the hint and
        error message ids extend (core/includes/field.html)."""
        auto_id = str(self.auto_id or "")
        html_name = self.add_prefix(name)
        return auto_id % html_name if "%s" in auto_id else auto_id or html_name

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.mark_invalid(name)

    def mark_invalid(self, name: str) -> None:
        """Error styling and the error message's id on the widget, for screen readers."""
        widget = self.fields[name].widget
        classes = widget.attrs.get("class", "")
        for css in ("nhsuk-input", "nhsuk-select", "nhsuk-textarea"):
            if classes.startswith(css) and f"{css}--error" not in classes:
                widget.attrs["class"] = f"{classes} {css}--error"
        described = widget.attrs.get("aria-describedby", "")
        error_id = f"{self._field_id(name)}-error"
        if error_id not in described.split():
            widget.attrs["aria-describedby"] = f"{described} {error_id}".strip()
