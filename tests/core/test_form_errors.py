"""A form that cannot be saved says so in the NHS.UK error summary and beside the field, keeps
what was typed, and never shows a green banner; a problem that is not about a field is never
dressed as a success.

What a person reads is checked: the error summary's text and links, each inline error message,
the field marked as in error and described by its message, and the banners that are (not) there.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest
from django.shortcuts import render
from django.test import Client, RequestFactory
from django.utils import timezone
from tests.core.page_text import text, texts
from tests.world import World

from waypoint.assessments import care_plans
from waypoint.support.models import Referral, SupportService
from waypoint.timeline.models import HospitalAdmission
from waypoint.triage.models import HelplineCall


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _assert_shows_error(html: str, *, summary: str, inline: str, field_id: str) -> None:
    """The summary lists the error and links to the field; the message stands beside the field,
    which is marked and described by it; nothing on the page looks like a success."""
    assert "There is a problem" in text(html, "nhsuk-error-summary__title")
    assert summary in text(html, "nhsuk-error-summary__list")
    assert f'href="#{field_id}"' in html
    assert inline in text(html, "nhsuk-error-message")
    assert "nhsuk-form-group--error" in html
    tag = re.search(rf'<(input|select|textarea)[^>]*id="{field_id}"[^>]*>', html)
    assert tag, f"no input with id {field_id}"
    assert f"{field_id}-error" in (re.search(r'aria-describedby="([^"]*)"', tag[0]) or [""])[0]
    assert 'id="' + field_id + '-error"' in html
    assert not texts(html, "nhsuk-notification-banner"), "a banner is shown beside the errors"
    assert "Important" not in html


def test_an_admission_without_a_reason_is_shown_beside_the_field(world: World) -> None:
    client = _client(world.key_worker)
    response = client.post(
        f"/patients/{world.patient.pk}/timeline/",
        {
            "kind": "admission",
            "on": timezone.localdate().isoformat(),
            "note": "Came in through A&E",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    _assert_shows_error(
        html,
        summary="Why admitted (for an admission): Say why the person was admitted.",
        inline="Error: Say why the person was admitted.",
        field_id="id_reason",
    )
    assert 'value="Came in through A&amp;E"' in html  # what was typed is kept
    assert '<details class="nhsuk-details" open>' in html
    assert not HospitalAdmission.objects.exists()


def test_a_timeline_date_that_is_not_a_date_is_an_error_not_a_crash(world: World) -> None:
    response = _client(world.key_worker).post(
        f"/patients/{world.patient.pk}/timeline/", {"kind": "mdt", "on": "31/02/2026"}
    )
    assert response.status_code == 422
    _assert_shows_error(
        response.content.decode(),
        summary="Date: Enter a valid date.",
        inline="Enter a valid date.",
        field_id="id_on",
    )


@pytest.fixture
def referral(world: World) -> Referral:
    from waypoint.support.services import referral_create

    service = SupportService.objects.create(
        name="Benefits advice",
        kind="benefits",
        provider="Provider",
        area_served="National",
        mode="phone",
        response_days=14,
    )
    return referral_create(
        actor=world.key_worker, patient_id=world.patient.pk, service_id=service.pk, reason="Money"
    )


def test_booking_a_referral_without_a_date_asks_for_the_date_beside_it(
    world: World, referral: Referral
) -> None:
    client = _client(world.key_worker)
    path = f"/patients/{world.patient.pk}/support/referrals/{referral.pk}/"
    client.post(path, {"status": "accepted"}, follow=True)
    response = client.post(path, {"status": "booked", "note": "Phone appointment"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Update the referral to Benefits advice" in html
    _assert_shows_error(
        html,
        summary="Booked for (if booked): When is it booked for?",
        inline="When is it booked for?",
        field_id="id_booked_for",
    )
    assert 'value="Phone appointment"' in html
    assert '<option value="booked" selected>' in html
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_a_booking_time_that_is_not_a_time_is_an_error_not_a_crash(
    world: World, referral: Referral
) -> None:
    client = _client(world.key_worker)
    path = f"/patients/{world.patient.pk}/support/referrals/{referral.pk}/"
    response = client.post(path, {"status": "booked", "booked_for": "next Tuesday"})
    assert response.status_code == 422
    assert "Enter a valid date/time." in text(response.content.decode(), "nhsuk-error-message")


def test_a_referral_with_a_broken_service_is_refused_with_a_message(world: World) -> None:
    response = _client(world.key_worker).post(
        f"/patients/{world.patient.pk}/support/refer/", {"service_id": "abc", "reason": "Money"}
    )
    assert response.status_code == 422
    assert "There is a problem" in response.content.decode()


def test_declining_an_assessment_without_a_reason_asks_for_one(world: World) -> None:
    response = _client(world.key_worker).post(
        f"/patients/{world.patient.pk}/assessments/decline/", {"reason": "  "}
    )
    assert response.status_code == 422
    _assert_shows_error(
        response.content.decode(),
        summary="Why (recorded): Record why it was declined.",
        inline="Record why it was declined.",
        field_id="id_reason",
    )


def test_a_plan_action_without_an_owner_is_marked_in_its_row(world: World) -> None:
    client = _client(world.key_worker)
    form = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-action": "",
        "form-0-owner": "",
        "form-0-status": "to_do",
        "form-1-action": "Call about benefits",
        "form-1-owner": "",
        "form-1-due_on": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        "form-1-status": "to_do",
        "agreed_with_person": "1",
    }
    response = client.post(f"/patients/{world.patient.pk}/care-plan/edit/", form)
    html = response.content.decode()
    assert response.status_code == 422
    _assert_shows_error(
        html,
        summary="Action 2, owner: Say who will do it.",
        inline="Say who will do it.",
        field_id="id_form-1-owner",
    )
    assert 'value="Call about benefits"' in html
    assert care_plans.revisions_of(world.patient) == []


def test_linking_a_call_to_an_invalid_nhs_number_says_so_beside_the_number(world: World) -> None:
    from waypoint.triage import helpline
    from waypoint.triage.services import ReportInput

    call = helpline.helpline_call_log(
        actor=world.helpline_nurse,
        patient_id=None,
        call=helpline.CallInput(
            caller_name="Jo",
            caller_relationship="self",
            callback_number="07700 900123",
            advice_given="Rest and call back if worse.",
            disposition="self_care",
            person_given_name="Jo",
            person_family_name="Bloggs",
        ),
        report=ReportInput(symptoms=[{"code": "nausea", "grade": 1}]),
    )
    response = _client(world.helpline_nurse).post(
        f"/helpline/calls/{call.pk}/link/", {"nhs_number": "123"}
    )
    assert response.status_code == 422
    _assert_shows_error(
        response.content.decode(),
        summary="NHS number of the registered person: The NHS number is not valid",
        inline="The NHS number is not valid",
        field_id="id_nhs_number",
    )
    assert HelplineCall.objects.get(pk=call.pk).patient_id is None


def test_assigning_without_a_reason_shows_the_form_again(world: World) -> None:
    response = _client(world.key_worker).post(
        f"/patients/{world.patient.pk}/key-worker/",
        {"user": world.colleague.pk, "reason": "", "next": f"/patients/{world.patient.pk}/"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    _assert_shows_error(
        html,
        summary="Reason: This field is required.",
        inline="This field is required.",
        field_id="id_reason",
    )
    assert f'<option value="{world.colleague.pk}" selected>' in html


def _page_with_message(level: int, words: str) -> str:
    request: HttpRequest = RequestFactory().get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]  # as the middleware
    request._messages.add(level, words)  # type: ignore[attr-defined]
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return render(request, "base.html").content.decode()


@pytest.mark.parametrize(
    ("level", "css_class", "title"),
    [
        (constants.SUCCESS, "nhsuk-notification-banner--success", "Success"),
        (constants.ERROR, "nhsuk-error-summary", "There is a problem"),
        (constants.WARNING, "nhsuk-error-summary", "There is a problem"),
        (constants.INFO, "nhsuk-notification-banner", "Important"),
    ],
)
def test_each_kind_of_message_has_its_own_look_and_a_truthful_title(
    db: None, level: int, css_class: str, title: str
) -> None:
    html = _page_with_message(level, "What happened")
    assert title in text(html, css_class)
    assert "What happened" in text(html, css_class)
    if level != constants.SUCCESS:
        assert "nhsuk-notification-banner--success" not in html
        assert "Success" not in html


def test_saving_details_unchanged_is_not_announced_as_a_success(world: World) -> None:
    client = _client(world.key_worker)
    path = f"/patients/{world.patient.pk}/edit/"
    from tests.core.browser_forms import page_form

    response = client.post(path, page_form(client.get(path).content.decode()).data(), follow=True)
    html = response.content.decode()
    assert "Nothing was changed." in text(html, "nhsuk-notification-banner")
    assert "nhsuk-notification-banner--success" not in html
