from __future__ import annotations

from django import forms

from waypoint.accounts.models import Role
from waypoint.careteam.models import INVITABLE_ROLES
from waypoint.core.forms import NhsForm

ROLE_CHOICES = [(r.value, Role(r).label) for r in INVITABLE_ROLES]


class InviteForm(NhsForm):
    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
    email = forms.EmailField(
        max_length=254,
        label="Work email address",
        help_text="The invitation is sent here. Use their NHS email address.",
    )
    job_title = forms.CharField(max_length=120, required=False, label="Job title (optional)")
    role = forms.ChoiceField(
        choices=ROLE_CHOICES,
        label="Role",
        help_text="What they will do in Waypoint. Key workers are named for patients.",
        widget=forms.RadioSelect,
    )
    is_lead = forms.BooleanField(required=False, label="Make them a lead of the team")


class MemberForm(NhsForm):
    role = forms.ChoiceField(choices=ROLE_CHOICES, label="Role", widget=forms.RadioSelect)
    is_lead = forms.BooleanField(required=False, label="Lead of the team")


class LeadForm(NhsForm):
    is_lead = forms.BooleanField(required=False, label="Lead of the team")


class ReassignForm(NhsForm):
    to_user = forms.TypedChoiceField(
        choices=[],
        coerce=int,
        required=False,
        empty_value=None,
        label="Move their patients to",
        help_text="Or share them across the team's other key workers, by caseload.",
    )
    reason = forms.CharField(max_length=300, label="Reason", initial="Key worker left the team")


class EndMembershipForm(NhsForm):
    turn_off_account = forms.BooleanField(
        required=False,
        label="They are leaving: turn off their account too",
        help_text="They will no longer be able to sign in. Their records and history are kept.",
    )
