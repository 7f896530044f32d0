"""Forms for the helpline call, the queue actions and the portal symptom check.

Forms turn answers into the same report body the API takes, so that a report entered on a page is
graded by exactly the same code as one sent to the API.
"""

from __future__ import annotations

from typing import Any

from django import forms

from waypoint.core.bounds import validate_date_in_range
from waypoint.core.forms import NhsDateInput, NhsDateTimeInput, NhsForm
from waypoint.registry.rules.nhs_number import normalise_nhs_number
from waypoint.triage.models import CallerRelationship, Disposition
from waypoint.triage.rules.vocabulary import SACT_KINDS, SYMPTOMS, Kind, Symptom

SACT_KIND_CHOICES = [
    ("chemotherapy", "Chemotherapy"),
    ("targeted", "Targeted, HER2-directed or antibody–drug conjugate"),
    ("immunotherapy", "Immunotherapy"),
    ("endocrine", "Endocrine (hormone) therapy only"),
]
assert [k for k, _ in SACT_KIND_CHOICES] == list(SACT_KINDS)  # noqa: S101  # kept in step


def field_name(code: str) -> str:
    return f"s_{code}"


def symptom_field(symptom: Symptom) -> forms.Field:
    """A clinician's field for one symptom (the helpline form)."""
    label = symptom.label
    if symptom.kind is Kind.FEATURE:
        return forms.BooleanField(required=False, label=label, help_text=symptom.hint)
    if symptom.kind is Kind.GRADED:
        choices = [("", "Not reported"), ("0", "0 – none")] + [
            (str(i), f"{i} – {words}") for i, words in enumerate(symptom.grades, start=1)
        ]
        if len(symptom.grades) < 4:
            choices.append(("4", "4 – life-threatening"))
        return forms.ChoiceField(required=False, label=label, choices=choices)
    if symptom.kind is Kind.COUNTED:
        return forms.IntegerField(
            required=False, label=label, min_value=0, max_value=1000, help_text=symptom.hint
        )
    return forms.DecimalField(
        required=False,
        label=label,
        max_digits=4,
        decimal_places=2,
        help_text=symptom.hint,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )


def symptoms_from_answers(answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Report items from form answers keyed by symptom code; unanswered items are left out."""
    items: list[dict[str, Any]] = []
    for code, symptom in SYMPTOMS.items():
        value = answers.get(code)
        if value in (None, "", False):
            continue
        if symptom.kind is Kind.FEATURE:
            items.append({"code": code, "present": True})
        elif symptom.kind is Kind.GRADED:
            items.append({"code": code, "grade": int(value)})
        elif symptom.kind is Kind.COUNTED:
            items.append({"code": code, symptom.field: int(value)})
        else:
            items.append({"code": code, symptom.field: float(value)})
    return items


class SymptomFieldsMixin:
    """Adds one field per symptom (``s_<code>``) to a clinician's form."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_symptom_fields(self) -> None:
        for code, symptom in SYMPTOMS.items():
            self.fields[field_name(code)] = symptom_field(symptom)

    def symptom_answers(self) -> dict[str, Any]:
        return {code: self.cleaned_data.get(field_name(code)) for code in SYMPTOMS}

    def grouped_symptom_fields(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {"features": [], "graded": [], "measured": []}
        for code, symptom in SYMPTOMS.items():
            key = {Kind.FEATURE: "features", Kind.GRADED: "graded"}.get(symptom.kind, "measured")
            groups[key].append(field_name(code))
        return groups


class TreatmentContextMixin:
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_context_fields(self) -> None:
        self.fields["last_sact_on"] = forms.DateField(
            required=False,
            label="Date of last systemic anti-cancer therapy",
            help_text="Leave empty to use the treatment record.",
            widget=NhsDateInput(),
            validators=[validate_date_in_range],
        )
        self.fields["sact_kind"] = forms.ChoiceField(
            required=False,
            label="Kind of therapy",
            choices=[("", "From the treatment record"), *SACT_KIND_CHOICES],
        )

    def context(self) -> dict[str, Any] | None:
        last = self.cleaned_data.get("last_sact_on")
        kind = self.cleaned_data.get("sact_kind")
        if not last and not kind:
            return None
        return {"last_sact_on": last.isoformat() if last else None, "sact_kind": kind or None}


class HelplineCallForm(SymptomFieldsMixin, TreatmentContextMixin, NhsForm):
    caller_name = forms.CharField(label="Caller's name", max_length=200)
    caller_relationship = forms.ChoiceField(
        label="Caller is", choices=[("", "Choose"), *CallerRelationship.choices]
    )
    callback_number = forms.CharField(
        label="Number to call back on",
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    called_at = forms.DateTimeField(
        required=False,
        label="Time of call",
        help_text="Leave empty for now.",
        widget=NhsDateTimeInput(),
    )
    person_given_name = forms.CharField(required=False, label="Given name", max_length=100)
    person_family_name = forms.CharField(required=False, label="Family name", max_length=100)
    person_birth_date = forms.DateField(
        required=False, label="Date of birth", widget=NhsDateInput()
    )
    person_nhs_number = forms.CharField(required=False, label="NHS number", max_length=20)
    free_text = forms.CharField(
        required=False,
        label="The caller's words",
        help_text="What they said, in their words. Waypoint screens it for red flags.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    advice_given = forms.CharField(
        label="Advice given", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    disposition = forms.ChoiceField(
        label="What happens next", choices=Disposition.choices, widget=forms.RadioSelect
    )
    follow_up_due = forms.DateTimeField(
        required=False,
        label="Follow-up due",
        help_text="Keeps the report on the team's queue until the follow-up is recorded.",
        widget=NhsDateTimeInput(),
    )
    notes = forms.CharField(
        required=False, label="Notes", widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_context_fields()
        self.add_symptom_fields()
        for name in list(self.fields):
            if name.startswith("s_") or name in ("last_sact_on", "sact_kind"):
                self._style(name)

    def _style(self, name: str) -> None:
        widget = self.fields[name].widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "nhsuk-checkboxes__input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "nhsuk-select")
        else:
            widget.attrs.setdefault("class", "nhsuk-input nhsuk-input--width-5")


class GradeOnlyForm(SymptomFieldsMixin, TreatmentContextMixin, forms.Form):
    """The symptom part of the helpline form, for the live grade (nothing required)."""

    free_text = forms.CharField(required=False, max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_context_fields()
        self.add_symptom_fields()


class AcknowledgeForm(NhsForm):
    action_taken = forms.CharField(
        label="Action taken",
        help_text="For example: called back, advised to attend the assessment unit.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class CloseForm(NhsForm):
    outcome = forms.CharField(
        label="Outcome",
        help_text="What happened: admitted, treated at home, follow-up booked…",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    action_taken = forms.CharField(
        required=False,
        label="Action taken",
        help_text="Needed if nobody has acknowledged the report yet.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


class LinkCallForm(NhsForm):
    nhs_number = forms.CharField(
        label="NHS number of the registered person",
        max_length=20,
        error_messages={"required": "Enter the person's NHS number."},
    )

    def clean_nhs_number(self) -> str:
        try:
            return normalise_nhs_number(self.cleaned_data["nhs_number"])
        except ValueError as exc:
            raise forms.ValidationError(f"The NHS number is not valid: {exc}") from exc
