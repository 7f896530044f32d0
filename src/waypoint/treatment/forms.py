from __future__ import annotations

from django import forms

from waypoint.core.forms import NhsDateInput, NhsForm
from waypoint.treatment.models import StopReason, TreatmentIntent, TreatmentKind


class StartLineForm(NhsForm):
    kind = forms.ChoiceField(label="Kind of treatment", choices=TreatmentKind.choices)
    drugs = forms.CharField(
        label="Drugs", max_length=300, help_text="For example: Palbociclib and letrozole."
    )
    intent = forms.ChoiceField(label="Intent", choices=TreatmentIntent.choices)
    started_on = forms.DateField(label="Started on", widget=NhsDateInput())


class StopLineForm(NhsForm):
    stopped_on = forms.DateField(label="Stopped on", widget=NhsDateInput())
    reason = forms.ChoiceField(label="Why it stopped", choices=StopReason.choices)


class CycleForm(NhsForm):
    started_on = forms.DateField(label="Cycle started on", widget=NhsDateInput())
    dose_modified = forms.BooleanField(
        label="Dose reduced or delayed", required=False, help_text="Usually for side effects."
    )
    note = forms.CharField(label="Note", max_length=500, required=False)
