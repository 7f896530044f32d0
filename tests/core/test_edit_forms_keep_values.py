"""Every edit page, opened and saved unchanged as a browser would, leaves the record as it was.

Each case opens the edit page as the persona who edits it, reads the form's values as Chromium
would submit them (tests/core/browser_forms.py: a date in any format but ISO is dropped, line
breaks come back as CRLF), posts them back, and compares the record (and its audit trail or
revision) before and after.

The product's other forms (diagnoses, receptor results, biopsies, carers, treatment lines and
cycles, timeline records, cover, referrals, offers, bookings) only add records; they have no edit
page. ``test_every_edit_page_is_in_the_table`` fails when one is added without a case here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from tests.assessments.test_care_plans import pdf_text
from tests.core.browser_forms import page_form, sanitise
from tests.world import World

from waypoint.accounts.models import User
from waypoint.assessments import care_plans
from waypoint.assessments.models import CarePlanRevision
from waypoint.audit.models import AuditEvent
from waypoint.core.forms import NhsDateInput, NhsDateTimeInput, NhsForm
from waypoint.registry.models import Patient
from waypoint.registry.services import patient_update


def _today() -> dt.date:
    return timezone.localdate()


def _uk(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _patient_row(world: World) -> dict[str, Any]:
    patient = Patient.objects.get(pk=world.patient.pk)
    return {
        "fields": {f.name: getattr(patient, f.attname) for f in Patient._meta.concrete_fields},
        "audit": list(
            AuditEvent.objects.filter(patient=patient)
            .exclude(action__in=["view", "list", "search"])
            .values_list("pk", flat=True)
        ),
    }


def _rich_details(world: World) -> None:
    patient_update(
        actor=None,
        patient=world.patient,
        changes={
            "address": "Flat 2\n14 Park Row\nLeeds",
            "postcode": "LS1 5HD",
            "email": "ada@example.org",
            "preferred_contact_method": "email",
        },
    )


def _died(world: World) -> None:
    _rich_details(world)
    patient_update(
        actor=None, patient=world.patient, changes={"died_on": _today() - dt.timedelta(days=3)}
    )


def _plan(world: World) -> None:
    care_plans.care_plan_revise(
        actor=world.key_worker,
        patient_id=world.patient.pk,
        actions=[
            care_plans.ActionInput(
                action="Referral to Macmillan benefits advice",
                owner="Kate, key worker",
                due_on=_today() + dt.timedelta(days=2),
                status="in_progress",
                concern="practical.money",
            ),
            care_plans.ActionInput(
                action="Ask the GP about sleep",
                owner="Ada",
                due_on=_today() + dt.timedelta(days=43),
            ),
            care_plans.ActionInput(action="Join the peer group", owner="Ada"),
        ],
        note="Shared with the GP.\nReview after the next scan.",
        agreed_with_person=False,
    )


def _plan_content(world: World) -> dict[str, Any]:
    revisions = care_plans.revisions_of(world.patient)
    latest = revisions[0]
    return {
        "note": latest.note,
        "agreed_with_person": latest.agreed_with_person,
        "actions": [
            (a.position, a.concern, a.action, a.owner, a.due_on, a.status)
            for a in latest.actions.all()
        ],
    }


@dataclass(frozen=True)
class EditCase:
    url_name: str
    persona: Callable[[World], User]
    path: Callable[[World], str]
    prepare: Callable[[World], None]
    snapshot: Callable[[World], Any]
    done: str


CASES = {
    "patient details": EditCase(
        url_name="patient_edit",
        persona=lambda w: w.key_worker,
        path=lambda w: f"/patients/{w.patient.pk}/edit/",
        prepare=_rich_details,
        snapshot=_patient_row,
        done="Nothing was changed",
    ),
    "details of a person who has died": EditCase(
        url_name="patient_edit",
        persona=lambda w: w.key_worker,
        path=lambda w: f"/patients/{w.patient.pk}/edit/",
        prepare=_died,
        snapshot=_patient_row,
        done="Nothing was changed",
    ),
    # Saving the plan records that it was agreed again (a new revision, which care standard CP1
    # counts), so what must not change is what the plan says: every action, date, note.
    "care and support plan": EditCase(
        url_name="care_plan_edit",
        persona=lambda w: w.key_worker,
        path=lambda w: f"/patients/{w.patient.pk}/care-plan/edit/",
        prepare=_plan,
        snapshot=_plan_content,
        done="Revision 2 of the plan is saved",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_an_edit_page_saved_unchanged_leaves_the_record_as_it_was(
    world: World, case: EditCase
) -> None:
    case.prepare(world)
    before = case.snapshot(world)
    client = Client()
    client.force_login(case.persona(world))
    page = client.get(case.path(world))
    assert page.status_code == 200
    data = page_form(page.content.decode()).data()

    response = client.post(case.path(world), data, follow=True)

    assert response.redirect_chain, response.content.decode()[:3000]
    assert case.done in response.content.decode()
    assert case.snapshot(world) == before


def test_the_plan_saved_unchanged_keeps_its_by_when_dates_on_the_page(world: World) -> None:
    _plan(world)
    client = Client()
    client.force_login(world.key_worker)
    path = f"/patients/{world.patient.pk}/care-plan/edit/"
    client.post(path, page_form(client.get(path).content.decode()).data())

    assert CarePlanRevision.objects.filter(patient=world.patient).count() == 2
    shown = client.get(f"/patients/{world.patient.pk}/care-plan/").content.decode()
    current = shown[: shown.index("Earlier plan")]
    assert _uk(_today() + dt.timedelta(days=2)) in current
    assert _uk(_today() + dt.timedelta(days=43)) in current
    # The PDF shared with the GP carries them too.
    pdf = pdf_text(client.get(f"/patients/{world.patient.pk}/care-plan/2.pdf").content)
    assert _uk(_today() + dt.timedelta(days=2)) in pdf
    assert _uk(_today() + dt.timedelta(days=43)) in pdf


def _url_names(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[str]:
    names: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            space = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names += _url_names(pattern.url_patterns, space)
        elif pattern.name:
            names.append(prefix + pattern.name)
    return names


# Pages named like edit pages that show nothing stored to keep: a new password is never shown.
NOT_RECORD_EDITS = {"password_change"}


def test_every_edit_page_is_in_the_table() -> None:
    edit_pages = {
        name
        for name in _url_names(get_resolver().url_patterns)
        if ":" not in name
        and any(word in name for word in ("edit", "change", "update"))
        and name not in NOT_RECORD_EDITS
    }
    assert edit_pages == {case.url_name for case in CASES.values()}


def _all_forms() -> list[type[forms.Form]]:
    import importlib
    import pkgutil

    import waypoint

    for module in pkgutil.walk_packages(waypoint.__path__, "waypoint."):
        if (
            module.name.endswith(("forms", "views", "plan_views"))
            and ".migrations" not in module.name
        ):
            importlib.import_module(module.name)
    found: list[type[forms.Form]] = []
    pending: list[type[forms.Form]] = [forms.Form]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("waypoint."):
                found.append(sub)
    return found


def test_every_date_field_of_every_form_shows_a_stored_date_in_iso(world: World) -> None:
    """A date picker only accepts 2026-12-05; the en-GB display format 05/12/2026 is dropped."""
    checked = 0
    moment = dt.datetime(2026, 12, 5, 14, 30, tzinfo=timezone.get_current_timezone())
    for form_class in _all_forms():
        try:
            form = form_class()
        except TypeError:
            continue
        for name, field in form.fields.items():
            if isinstance(field, forms.DateTimeField):
                assert isinstance(field.widget, NhsDateTimeInput), (form_class, name)
                html = field.widget.render(name, moment)
                assert 'value="2026-12-05T14:30"' in html, (form_class, name, html)
                assert sanitise("datetime-local", "2026-12-05T14:30") == "2026-12-05T14:30"
                checked += 1
            elif isinstance(field, forms.DateField):
                assert isinstance(field.widget, NhsDateInput), (form_class, name)
                form.initial[name] = dt.date(2026, 12, 5)
                html = form[name].as_widget()
                assert 'value="2026-12-05"' in html, (form_class, name, html)
                checked += 1
    assert checked >= 20, "the forms' date fields were not found"


def test_a_bound_nhs_form_reads_crlf_line_breaks_as_newlines() -> None:
    class Address(NhsForm):
        address = forms.CharField(widget=forms.Textarea)

    form = Address({"address": "Flat 2\r\n14 Park Row\r\nLeeds"})
    assert form.is_valid()
    assert form.cleaned_data["address"] == "Flat 2\n14 Park Row\nLeeds"


def test_every_hand_written_date_input_gets_its_value_through_the_iso_filter() -> None:
    """Templates that write a date picker by hand fill it with ``|input_date`` (or
    ``|input_datetime``), never with a display format such as ``|uk_date``."""
    from pathlib import Path

    import waypoint

    tag = re.compile(r"<input\b[^>]*\btype=\"(date|datetime-local)\"[^>]*>")
    wrong: list[str] = []
    for template in Path(waypoint.__path__[0]).rglob("templates/**/*.html"):
        for match in tag.finditer(template.read_text(encoding="utf-8")):
            value = re.search(r'value="([^"]*)"', match[0])
            if value and "{{" in value[1]:
                wanted = "|input_date" if match[1] == "date" else "|input_datetime"
                if wanted not in value[1]:
                    wrong.append(f"{template.name}: {match[0]}")
    assert not wrong, "\n".join(wrong)
