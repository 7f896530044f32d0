from __future__ import annotations

from django import forms

from waypoint.core.forms import NhsDateInput, NhsForm
from waypoint.timeline.models import ContactKind, Response

KIND_CHOICES = [
    ("progression", "Progression"),
    ("response", "Response assessment"),
    ("mdt", "MDT discussion"),
    ("contact", "Contact"),
    ("admission", "Hospital admission"),
    ("support_review", "Support review"),
]


class TimelineRecordForm(NhsForm):
    """One event on a person's timeline. Which fields apply depends on ``kind``; the service
    (``timeline_event_errors``) says which are missing for it."""

    kind = forms.ChoiceField(label="What", choices=KIND_CHOICES)
    on = forms.DateField(label="Date", widget=NhsDateInput())
    result = forms.ChoiceField(
        label="Response (for a response assessment)",
        choices=[("", "–"), *Response.choices],
        required=False,
    )
    contact_kind = forms.ChoiceField(
        label="Contact by (for a contact)",
        choices=[("", "–"), *ContactKind.choices],
        required=False,
    )
    key_worker_introduced = forms.BooleanField(
        label="Told who their key worker is and how to reach them", required=False
    )
    reason = forms.CharField(
        label="Why admitted (for an admission)", max_length=300, required=False
    )
    discharged_on = forms.DateField(
        label="Discharged on (for an admission; leave empty while in hospital)",
        widget=NhsDateInput(),
        required=False,
    )
    planned = forms.BooleanField(label="A planned admission (not an emergency)", required=False)
    note = forms.CharField(label="Note or outcome", max_length=4000, required=False)
