"""A person given a new key worker is told: on the portal, or by a letter the team prints."""

from __future__ import annotations

import io

from django.test import Client
from django.utils import timezone
from pypdf import PdfReader
from tests.world import World, make_patient

from waypoint.audit.models import AuditAction, AuditEvent
from waypoint.careteam.models import KeyWorkerNotice
from waypoint.careteam.notices import (
    key_worker_letter_printed,
    key_worker_notice_seen,
    key_worker_notice_unseen,
    letters_to_print,
)
from waypoint.careteam.services import keyworker_assign, keyworker_bulk_reassign


def test_assigning_a_key_worker_writes_one_notice_for_the_person(world: World) -> None:
    notice = key_worker_notice_unseen(world.patient)
    assert notice is not None
    assert notice.assignment.key_worker == world.key_worker
    assert notice.by_letter is False  # she has a portal account
    assert KeyWorkerNotice.objects.filter(assignment=notice.assignment).count() == 1


def test_a_change_of_key_worker_is_the_notice_shown(world: World) -> None:
    keyworker_assign(
        actor=world.key_worker,
        patient=world.patient,
        key_worker_id=world.colleague.pk,
        reason="Moved closer to home",
    )
    notice = key_worker_notice_unseen(world.patient)
    assert notice is not None
    assert notice.assignment.key_worker == world.colleague


def test_a_person_without_an_account_is_told_by_letter(world: World) -> None:
    keyworker_assign(
        actor=None,
        patient=world.team_b_patient,
        key_worker_id=world.other_team_nurse.pk,
        reason="x",
    )
    notice = KeyWorkerNotice.objects.get(patient=world.team_b_patient)
    assert notice.by_letter is True
    assert list(letters_to_print(world.other_team_nurse)) == [notice]
    assert list(letters_to_print(world.key_worker)) == []  # another team's patient


def test_bulk_reassignment_tells_each_person_once(world: World) -> None:
    before = KeyWorkerNotice.objects.count()
    moved = keyworker_bulk_reassign(
        actor=world.manager,
        from_user_id=world.key_worker.pk,
        to_user_id=world.colleague.pk,
        reason="Left the team",
        day=timezone.localdate(),
    )
    assert moved == 1
    assert KeyWorkerNotice.objects.count() == before + 1
    notice = key_worker_notice_unseen(world.patient)
    assert notice is not None and notice.assignment.key_worker == world.colleague
    assert KeyWorkerNotice.objects.filter(assignment=notice.assignment).count() == 1


def test_the_person_marks_the_notice_seen_and_it_goes(world: World) -> None:
    notice = key_worker_notice_unseen(world.patient)
    assert notice is not None
    key_worker_notice_seen(actor=world.patient_user, notice_id=notice.pk)
    assert key_worker_notice_unseen(world.patient) is None
    assert AuditEvent.objects.filter(
        object_type="key_worker_notice", object_id=str(notice.pk), actor=world.patient_user
    ).exists()


def test_another_person_cannot_mark_the_notice_seen(world: World) -> None:
    notice = key_worker_notice_unseen(world.patient)
    assert notice is not None
    client = Client()
    client.force_login(world.other_patient_user)
    response = client.post(f"/key-worker-notices/{notice.pk}/seen/")
    assert response.status_code == 404
    assert key_worker_notice_unseen(world.patient) is not None


def test_got_it_on_the_portal_returns_to_the_page(world: World) -> None:
    notice = key_worker_notice_unseen(world.patient)
    assert notice is not None
    client = Client()
    client.force_login(world.patient_user)
    response = client.post(f"/key-worker-notices/{notice.pk}/seen/", {"next": "/portal/"})
    assert response.status_code == 302 and response["Location"] == "/portal/"


def test_the_notice_include_names_the_key_worker_and_both_numbers(world: World) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/portal/")
    request.user = world.patient_user
    html = render_to_string(
        "careteam/includes/key_worker_notice.html",
        {"notice": key_worker_notice_unseen(world.patient)},
        request=request,
    )
    assert "Your key worker is now Kate Walker" in html
    assert "020 7946 0101" in html and "020 7946 0999" in html
    assert "Got it" in html


def _letter_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_letter_names_the_key_worker_and_both_numbers(world: World) -> None:
    person = make_patient(team=world.team_a, given="Dora", family="Lettered")
    keyworker_assign(actor=None, patient=person, key_worker_id=world.colleague.pk, reason="x")
    client = Client()
    client.force_login(world.key_worker)
    response = client.get(f"/patients/{person.pk}/key-worker-letter.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(_letter_text(response.content).split())
    assert "Colin Lee" in text
    assert "020 7946 0101" in text and "020 7946 0999" in text
    assert "0808 800 6000" in text  # the helpline
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, patient_id=person.pk, object_type="key_worker_letter"
    ).exists()


def test_the_letter_is_not_found_outside_the_team(world: World) -> None:
    keyworker_assign(
        actor=None,
        patient=world.team_b_patient,
        key_worker_id=world.other_team_nurse.pk,
        reason="x",
    )
    for outsider in (world.key_worker, world.helpline_nurse, world.patient_user, world.admin):
        client = Client()
        client.force_login(outsider)
        response = client.get(f"/patients/{world.team_b_patient.pk}/key-worker-letter.pdf")
        assert response.status_code == 404, outsider.username


def test_marking_a_letter_printed_takes_it_off_the_list(world: World) -> None:
    person = make_patient(team=world.team_a, given="Ena", family="Printed")
    keyworker_assign(actor=None, patient=person, key_worker_id=world.colleague.pk, reason="x")
    notice = KeyWorkerNotice.objects.get(patient=person)
    client = Client()
    client.force_login(world.key_worker)
    page = client.get(f"/teams/{world.team_a.pk}/letters/")
    assert page.status_code == 200 and "Ena Printed" in page.content.decode()
    response = client.post(f"/teams/{world.team_a.pk}/letters/{notice.pk}/printed/")
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.letter_printed_at is not None
    assert list(letters_to_print(world.key_worker)) == []
    # A second click changes nothing and is not an error.
    assert key_worker_letter_printed(actor=world.key_worker, notice_id=notice.pk) == notice


def test_another_team_cannot_mark_a_letter_printed(world: World) -> None:
    keyworker_assign(
        actor=None,
        patient=world.team_b_patient,
        key_worker_id=world.other_team_nurse.pk,
        reason="x",
    )
    notice = KeyWorkerNotice.objects.get(patient=world.team_b_patient)
    client = Client()
    client.force_login(world.key_worker)
    response = client.post(f"/teams/{world.team_a.pk}/letters/{notice.pk}/printed/")
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.letter_printed_at is None


def test_cover_for_leave_writes_no_notice(world: World) -> None:
    from waypoint.careteam.services import cover_arrange

    before = KeyWorkerNotice.objects.count()
    today = timezone.localdate()
    cover_arrange(
        actor=world.key_worker,
        absent_user_id=world.key_worker.pk,
        cover_user_id=world.colleague.pk,
        starts_on=today,
        ends_on=today,
    )
    assert KeyWorkerNotice.objects.count() == before


def test_the_unassigned_worklist_reminds_the_team_of_letters_to_print(world: World) -> None:
    person = make_patient(team=world.team_a, given="Fay", family="Waiting")
    keyworker_assign(actor=None, patient=person, key_worker_id=world.colleague.pk, reason="x")
    client = Client()
    client.force_login(world.key_worker)
    page = client.get("/worklists/unassigned/").content.decode()
    assert "Letters to print" in page
    assert f"/teams/{world.team_a.pk}/letters/" in page
    other = Client()
    other.force_login(world.other_team_nurse)
    assert "Letters to print" not in other.get("/worklists/unassigned/").content.decode()
