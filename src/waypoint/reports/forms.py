from __future__ import annotations

from django import forms

from waypoint.core.forms import NhsDateInput, NhsForm


class ReportFilterForm(NhsForm):
    """The page's plain GET form: one team, one organisation, or everything the viewer may see,
    and the period for new diagnoses and response times. A team or organisation outside the
    viewer's scope is not a form error but 404 (``selectors.report_scope_for``)."""

    organisation = forms.IntegerField(label="Organisation", required=False, widget=forms.Select)
    team = forms.IntegerField(label="Team", required=False, widget=forms.Select)
    since = forms.DateField(
        label="From", required=False, widget=NhsDateInput, help_text="The first day counted"
    )
    until = forms.DateField(
        label="To",
        required=False,
        widget=NhsDateInput,
        help_text="The last day counted; empty for today",
    )

    def set_choices(
        self, *, teams: list[tuple[int, str]], organisations: list[tuple[int, str]]
    ) -> None:
        self.fields["team"].widget.choices = [("", "All teams"), *teams]
        self.fields["organisation"].widget.choices = [
            ("", "All organisations you may see"),
            *organisations,
        ]
