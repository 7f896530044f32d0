from __future__ import annotations

from django import forms

from waypoint.core.forms import NhsForm


class DeclineForm(NhsForm):
    reason = forms.CharField(
        label="Why (recorded)",
        max_length=300,
        error_messages={"required": "Record why it was declined."},
    )


class DecisionForm(NhsForm):
    decision = forms.CharField(
        label="Psychosocial referral made, or why not",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        error_messages={"required": "Record the referral made, or why not."},
    )
