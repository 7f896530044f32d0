"""The forms of the second step. Codes are read forgivingly (spaces and dashes, as an app or a
printed sheet shows them, are ignored); what is wrong is said beside the box."""

from __future__ import annotations

from django import forms

from waypoint.access.mfa.services import PASSKEY_NAME_LENGTH, normalise_recovery_code
from waypoint.core.forms import NhsForm

_CODE_LENGTH = 6
_RECOVERY_LENGTH = 8


class AuthenticatorCodeForm(NhsForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows now, for example 123456.",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "nhsuk-input--width-10",
            }
        ),
        error_messages={"required": "Type the 6-digit code from your authenticator app."},
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split()).replace("-", "")
        if not (code.isdigit() and len(code) == _CODE_LENGTH):
            raise forms.ValidationError(
                "Type the 6 digits your authenticator app shows, without letters."
            )
        return code


class RecoveryCodeForm(NhsForm):
    code = forms.CharField(
        label="Recovery code",
        help_text="One of the codes you kept when you set up two-step verification, "
        "for example abcd-efgh. Each code works once.",
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "nhsuk-input--width-10",
            }
        ),
        error_messages={"required": "Type one of your recovery codes."},
    )

    def clean_code(self) -> str:
        code = normalise_recovery_code(str(self.cleaned_data["code"]))
        if len(code) != _RECOVERY_LENGTH or not code.isalnum():
            raise forms.ValidationError(
                "A recovery code is 8 letters and numbers, like abcd-efgh. Check it and try again."
            )
        return code


class PasskeyNameForm(NhsForm):
    name = forms.CharField(
        label="Name for this passkey",
        help_text="So you can tell your passkeys apart, for example 'Work laptop' or 'My phone'.",
        max_length=PASSKEY_NAME_LENGTH,
        error_messages={
            "required": "Give the passkey a name, for example 'Work laptop'.",
            "max_length": "Keep the name to 100 characters or fewer.",
        },
    )
