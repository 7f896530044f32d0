from __future__ import annotations

from django import forms

from waypoint.core.forms import NhsDateInput, NhsForm
from waypoint.registry.rules.codes import METASTATIC_SITES


class CaseloadFilterForm(NhsForm):
    scope = forms.ChoiceField(
        choices=[("mine", "My patients"), ("team", "My teams")], required=False, label="Show"
    )
    q = forms.CharField(required=False, label="Name or NHS number", max_length=100)
    site = forms.ChoiceField(
        choices=[("", "Any site"), *[(s.code, s.label) for s in METASTATIC_SITES]],
        required=False,
        label="Metastatic site",
    )
    key_worker = forms.TypedChoiceField(
        choices=[], coerce=int, required=False, empty_value=None, label="Key worker"
    )
    unassigned = forms.BooleanField(required=False, label="Only people without a key worker")
    sort = forms.ChoiceField(
        choices=[
            ("name", "Name A to Z"),
            ("-name", "Name Z to A"),
            ("-diagnosed", "Most recent diagnosis"),
            ("diagnosed", "Earliest diagnosis"),
            ("-age", "Oldest first"),
            ("age", "Youngest first"),
        ],
        required=False,
        label="Sort by",
    )


class AssignForm(NhsForm):
    user = forms.TypedChoiceField(choices=[], coerce=int, label="Key worker")
    reason = forms.CharField(
        max_length=300,
        label="Reason",
        initial="New secondary diagnosis",
        help_text="For example: new secondary diagnosis, moved closer to home, nurse left.",
    )
    # The page the form was sent from, to go back to (shown again on its own after an error).
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)


class CoverForm(NhsForm):
    absent_user = forms.TypedChoiceField(choices=[], coerce=int, label="Who is away")
    cover_user = forms.TypedChoiceField(choices=[], coerce=int, label="Who covers")
    starts_on = forms.DateField(widget=NhsDateInput(), label="First day away")
    ends_on = forms.DateField(widget=NhsDateInput(), label="Last day away")
    reason = forms.CharField(max_length=200, initial="Annual leave", label="Reason")


class BulkReassignForm(NhsForm):
    from_user = forms.TypedChoiceField(choices=[], coerce=int, label="Key worker who is leaving")
    to_user = forms.TypedChoiceField(
        choices=[],
        coerce=int,
        required=False,
        empty_value=None,
        label="Move their patients to",
        help_text="Leave as 'Share across the team' to balance caseloads automatically.",
    )
    reason = forms.CharField(max_length=300, label="Reason", initial="Key worker left the team")
