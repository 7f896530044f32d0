from __future__ import annotations

from django import forms

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
            form.add_error(None, f"{field}: {message}")
            placed = True
    if not placed:
        form.add_error(None, error.message)


class NhsDateInput(forms.DateInput):
    input_type = "date"


_WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.Select: "nhsuk-select",
    forms.Textarea: "nhsuk-textarea",
    forms.CheckboxSelectMultiple: "nhsuk-checkboxes__input",
    forms.RadioSelect: "nhsuk-radios__input",
    forms.CheckboxInput: "nhsuk-checkboxes__input",
}


class NhsForm(forms.Form):
    """A form whose widgets carry NHS.UK classes and accessible descriptions."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own signature
        for name, field in self.fields.items():
            widget = field.widget
            css = next(
                (c for kind, c in _WIDGET_CLASSES.items() if isinstance(widget, kind)),
                "nhsuk-input",
            )
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{css} {existing}".strip()
            described = []
            if field.help_text:
                described.append(f"id_{name}-hint")
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)

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
        if f"id_{name}-error" not in described:
            widget.attrs["aria-describedby"] = f"{described} id_{name}-error".strip()
