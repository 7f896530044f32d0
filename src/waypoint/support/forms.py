"""The team's and the person's support forms. Each keeps the names the pages post, so a form shown
again after an error sends the same fields as the card it came from."""

from __future__ import annotations

from django import forms

from waypoint.core.forms import NhsDateTimeInput, NhsForm
from waypoint.support.models import OfferKind, ReferralStatus


class ReferralForm(NhsForm):
    service_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label="What the referral is for", max_length=4000)


class PortalReferralForm(NhsForm):
    service_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label="Anything you would like the service to know (optional)",
        max_length=4000,
        required=False,
    )


class ReferralMoveForm(NhsForm):
    status = forms.ChoiceField(
        label="New status",
        choices=[
            (v, label) for v, label in ReferralStatus.choices if v != ReferralStatus.REQUESTED
        ],
    )
    booked_for = forms.DateTimeField(
        label="Booked for (if booked)", widget=NhsDateTimeInput(), required=False
    )
    note = forms.CharField(
        label="Note (reason if declined or cancelled)", max_length=300, required=False
    )


class OfferForm(NhsForm):
    kind = forms.ChoiceField(label="Offered", choices=OfferKind.choices)
    accepted = forms.ChoiceField(
        label="Taken up?",
        choices=[("", "Not yet known"), ("yes", "Yes"), ("no", "No")],
        required=False,
    )
    note = forms.CharField(label="Note", max_length=300, required=False)

    def accepted_answer(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("accepted") or "")


class PackOrderForm(NhsForm):
    """A printed resource pack, posted to the person (the service checks the same rules)."""

    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={"required": "Enter the name to post it to."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    address = forms.CharField(
        label="Address",
        max_length=1000,
        error_messages={"required": "Enter the address."},
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={"required": "Enter the postcode."},
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "class": "nhsuk-input nhsuk-input--width-10"}
        ),
    )
