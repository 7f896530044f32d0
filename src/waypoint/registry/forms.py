from __future__ import annotations

from django import forms

from waypoint.core.forms import NhsDateInput, NhsForm
from waypoint.registry.models import (
    BiopsyDecision,
    ContactMethod,
    Her2Status,
    Laterality,
    MetastaticSiteCode,
    Presentation,
    ReceptorMarker,
    ReceptorStatus,
    Sex,
    Specimen,
)
from waypoint.registry.rules.codes import METASTATIC_SITES
from waypoint.registry.services import EMAIL_INVALID


class SearchForm(NhsForm):
    q = forms.CharField(
        max_length=100,
        required=False,
        label="NHS number, name or date of birth",
        help_text="For example 943 476 5919, Smith, or Jane Smith 17/05/1960.",
    )
    reason = forms.CharField(
        max_length=300,
        required=False,
        label="Why you need to look (recorded)",
        help_text="For example: caller Jane Smith rang the helpline about a fever.",
    )


class _PersonForm(NhsForm):
    """Who the person is and how to reach them: shared by registering and changing details."""

    nhs_number = forms.CharField(
        max_length=20,
        required=False,
        label="NHS number (if known)",
        help_text="10 digits. Leave blank if the person is not registered with the NHS.",
    )
    given_name = forms.CharField(max_length=100, label="First name")
    family_name = forms.CharField(max_length=100, label="Last name")
    birth_date = forms.DateField(widget=NhsDateInput(), label="Date of birth")
    sex = forms.ChoiceField(choices=Sex.choices, label="Sex")
    postcode = forms.CharField(max_length=10, required=False, label="Postcode")
    phone = forms.CharField(max_length=32, required=False, label="Phone")
    email = forms.EmailField(
        required=False, label="Email", error_messages={"invalid": EMAIL_INVALID}
    )
    preferred_contact_method = forms.ChoiceField(
        choices=ContactMethod.choices, label="How they prefer to be contacted"
    )


class PatientForm(_PersonForm):
    team = forms.TypedChoiceField(choices=[], coerce=int, label="Team")
    field_order = ["nhs_number", "given_name", "family_name", "birth_date", "sex", "team"]


def _blank_choice(choices: list[tuple[str, str]], label: str) -> list[tuple[str, str]]:
    return [("", label), *choices]


class SecondaryDiagnosisForm(NhsForm):
    diagnosed_on = forms.DateField(widget=NhsDateInput(), label="Date of secondary diagnosis")
    presentation = forms.ChoiceField(choices=Presentation.choices, label="Presentation")
    sites = forms.MultipleChoiceField(
        choices=[(s.code, s.label) for s in METASTATIC_SITES],
        widget=forms.CheckboxSelectMultiple,
        label="Where has it spread?",
        help_text="Select all that apply.",
    )
    other_site = forms.CharField(max_length=200, required=False, label="If other, which body site?")
    er = forms.ChoiceField(
        choices=_blank_choice(ReceptorStatus.choices, "Not assessed"),
        required=False,
        label="ER of metastatic tissue",
    )
    pr = forms.ChoiceField(
        choices=_blank_choice(ReceptorStatus.choices, "Not assessed"),
        required=False,
        label="PR of metastatic tissue",
    )
    her2 = forms.ChoiceField(
        choices=_blank_choice(Her2Status.choices, "Not assessed"),
        required=False,
        label="HER2 of metastatic tissue",
    )
    receptors_assessed_on = forms.DateField(
        widget=NhsDateInput(), required=False, label="Date of the receptor result"
    )
    biopsy_decision = forms.ChoiceField(
        choices=BiopsyDecision.choices, label="Biopsy of a metastasis"
    )
    biopsy_not_feasible_reason = forms.CharField(
        max_length=300, required=False, label="If not feasible, why?"
    )


class PatientEditForm(_PersonForm):
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    died_on = forms.DateField(
        widget=NhsDateInput(),
        required=False,
        label="Date of death",
        help_text="Only if the person has died. This ends the key worker's assignment.",
    )
    field_order = [
        "nhs_number",
        "given_name",
        "family_name",
        "birth_date",
        "sex",
        "postcode",
        "address",
    ]


class PrimaryDiagnosisForm(NhsForm):
    diagnosed_on = forms.DateField(widget=NhsDateInput(), label="Date of primary diagnosis")
    laterality = forms.ChoiceField(choices=Laterality.choices, label="Which breast")
    er = forms.ChoiceField(choices=ReceptorStatus.choices, label="ER")
    pr = forms.ChoiceField(choices=ReceptorStatus.choices, label="PR")
    her2 = forms.ChoiceField(choices=Her2Status.choices, label="HER2")


class CarerForm(NhsForm):
    name = forms.CharField(max_length=200, label="Carer's name")
    relationship = forms.CharField(
        max_length=100, label="Relationship", help_text="For example: daughter, husband, friend."
    )
    phone = forms.CharField(max_length=32, required=False, label="Phone")
    email = forms.EmailField(
        required=False, label="Email", error_messages={"invalid": EMAIL_INVALID}
    )
    consent_given_on = forms.DateField(
        widget=NhsDateInput(),
        required=False,
        label="Date the person agreed we may contact this carer",
        help_text="A carer is recorded only with the person's consent.",
    )
    consent_scope = forms.CharField(
        max_length=300,
        required=False,
        label="What they agreed to",
        initial="May be contacted about care and given updates",
    )


class ReceptorResultForm(NhsForm):
    marker = forms.ChoiceField(choices=ReceptorMarker.choices, label="Marker")
    value = forms.ChoiceField(
        choices=Her2Status.choices,
        label="Result",
        help_text="Low and equivocal apply to HER2 only.",
    )
    observed_on = forms.DateField(widget=NhsDateInput(), label="Date of the result")
    specimen = forms.ChoiceField(
        choices=Specimen.choices,
        label="Tissue tested",
        help_text="A metastatic result becomes the person's current receptor status.",
    )
    note = forms.CharField(max_length=300, required=False, label="Note")


class BiopsyForm(NhsForm):
    performed_on = forms.DateField(widget=NhsDateInput(), label="Date of the biopsy")
    site = forms.ChoiceField(
        choices=[("", "Breast, or not known"), *MetastaticSiteCode.choices],
        required=False,
        label="Site biopsied",
        help_text="A biopsy of a metastatic site records the biopsy as done (BX1).",
    )
    body_site = forms.CharField(
        max_length=200,
        required=False,
        label="Where exactly",
        help_text="For example: liver segment 6.",
    )
    note = forms.CharField(max_length=500, required=False, label="Result or note")


class ProxyForm(NhsForm):
    """Someone the person trusts, to act for them on Waypoint, and what they may see and do."""

    name = forms.CharField(max_length=200, label="Their name")
    relationship = forms.CharField(
        max_length=100, label="Who they are to the person", help_text="For example: daughter."
    )
    email = forms.EmailField(
        required=False,
        label="Their email address",
        help_text="Their invitation goes here, or by text to the mobile number below.",
        error_messages={"invalid": EMAIL_INVALID},
    )
    phone = forms.CharField(max_length=32, required=False, label="Their mobile number")
    appointments = forms.BooleanField(
        required=False, initial=True, label="See support meetings and referrals"
    )
    resource_pack = forms.BooleanField(
        required=False, initial=True, label="Read the secondary resource pack"
    )
    report_symptoms = forms.BooleanField(
        required=False, label="Use the symptom check on the person's behalf"
    )
    timeline = forms.BooleanField(required=False, label="See the timeline of the person's care")
    consent_note = forms.CharField(
        max_length=300,
        label="How and when the person agreed",
        help_text="For example: Ada asked for this at clinic on 3 December.",
    )
