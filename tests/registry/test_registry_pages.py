"""The registry's pages, driven through Django's test client."""

from __future__ import annotations

from django.test import Client
from tests.world import World

from waypoint.accounts.models import User
from waypoint.registry.models import Patient, SecondaryDiagnosis


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_registering_through_the_form(world: World) -> None:
    response = _as(world.key_worker).post(
        "/patients/new/",
        {
            "nhs_number": "943 476 5919",
            "given_name": "Nia",
            "family_name": "Jones",
            "birth_date": "1971-03-02",
            "sex": "female",
            "team": world.team_a.pk,
            "preferred_contact_method": "phone",
        },
    )
    patient = Patient.objects.get(nhs_number="9434765919")
    assert response.status_code == 302
    assert response["Location"] == f"/patients/{patient.pk}/"


def test_a_bad_nhs_number_is_shown_beside_the_field_and_typed_values_are_kept(
    world: World,
) -> None:
    before = Patient.objects.count()
    response = _as(world.key_worker).post(
        "/patients/new/",
        {
            "nhs_number": "943 476 5918",
            "given_name": "Nia",
            "family_name": "Jones",
            "birth_date": "1971-03-02",
            "sex": "female",
            "team": world.team_a.pk,
            "preferred_contact_method": "phone",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "check digit does not match" in html
    assert 'value="Jones"' in html
    assert 'aria-describedby="id_nhs_number-hint id_nhs_number-error"' in html
    assert Patient.objects.count() == before


def test_recording_a_secondary_diagnosis_through_the_form(world: World) -> None:
    response = _as(world.key_worker).post(
        f"/patients/{world.patient.pk}/secondary-diagnoses/new/",
        {
            "diagnosed_on": "2026-11-03",
            "presentation": "recurrence",
            "sites": ["liver", "other"],
            "other_site": "adrenal gland",
            "biopsy_decision": "not_feasible",
            "biopsy_not_feasible_reason": "Liver lesion not safely reachable",
        },
    )
    assert response.status_code == 302
    latest = SecondaryDiagnosis.objects.filter(patient=world.patient).latest("id")
    assert [(s.site, s.detail) for s in latest.sites.all()] == [
        ("liver", ""),
        ("other", "adrenal gland"),
    ]


def test_the_secondary_form_refuses_not_feasible_without_a_reason(world: World) -> None:
    response = _as(world.key_worker).post(
        f"/patients/{world.patient.pk}/secondary-diagnoses/new/",
        {
            "diagnosed_on": "2026-11-03",
            "presentation": "recurrence",
            "sites": ["liver"],
            "biopsy_decision": "not_feasible",
        },
    )
    assert response.status_code == 200
    assert "say why a biopsy is not feasible" in response.content.decode()


def test_the_record_page_shows_contact_diagnoses_and_access(world: World) -> None:
    html = _as(world.key_worker).get(f"/patients/{world.patient.pk}/").content.decode()
    assert "Kate Walker" in html
    assert "020 7946 0999" in html  # out of hours
    assert "Bone" in html
    assert "Who has accessed this record" in html
    assert "Viewed the record" in html


def test_other_team_records_are_not_found(world: World) -> None:
    response = _as(world.key_worker).get(f"/patients/{world.team_b_patient.pk}/")
    assert response.status_code == 404
    assert "Cleo" not in response.content.decode()


def test_a_helpline_nurse_is_asked_for_a_reason_before_opening_a_record(world: World) -> None:
    client = _as(world.helpline_nurse)
    asked = client.get(f"/patients/{world.team_b_patient.pk}/")
    assert asked.status_code == 403
    assert "Why do you need this record?" in asked.content.decode()
    assert "Cleo" not in asked.content.decode()
    opened = client.get(f"/patients/{world.team_b_patient.pk}/", {"reason": "Cleo rang, fever"})
    assert opened.status_code == 200
    assert "Cleo" in opened.content.decode()


def test_helpline_search_page_needs_a_reason(world: World) -> None:
    client = _as(world.helpline_nurse)
    refused = client.get("/patients/", {"q": "Bee"}).content.decode()
    assert "Say why you need to look" in refused
    assert "Cleo" not in refused
    found = client.get("/patients/", {"q": "Bee", "reason": "Caller Cleo, fever"}).content.decode()
    assert "BEE, Cleo" in found
    assert "reason=Caller+Cleo%2C+fever" in found


def test_assigning_from_the_worklist(world: World) -> None:
    from tests.world import make_patient

    waiting = make_patient(team=world.team_a, family="Waiting")
    client = _as(world.key_worker)
    page = client.get("/worklists/unassigned/").content.decode()
    assert "WAITING" in page and "(suggested)" in page
    response = client.post(
        f"/patients/{waiting.pk}/key-worker/",
        {"user": world.colleague.pk, "reason": "Worklist", "next": "/worklists/unassigned/"},
        follow=True,
    )
    assert "Colin Lee is now" in response.content.decode()
    assert waiting.key_worker_assignments.get(ended_at=None).key_worker == world.colleague


def test_assign_redirects_only_within_the_site(world: World) -> None:
    from tests.world import make_patient

    waiting = make_patient(team=world.team_a, family="Waiting")
    response = _as(world.key_worker).post(
        f"/patients/{waiting.pk}/key-worker/",
        {"user": world.colleague.pk, "reason": "x", "next": "https://evil.example/"},
    )
    assert response["Location"] == f"/patients/{waiting.pk}/"


def test_the_worklist_swaps_one_row_when_assigning_with_htmx(world: World) -> None:
    from tests.world import make_patient

    waiting = make_patient(team=world.team_a, family="Waiting")
    response = _as(world.key_worker).post(
        f"/patients/{waiting.pk}/key-worker/",
        {"user": world.key_worker.pk, "reason": "Worklist"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<tr")
    assert "Kate Walker is now" in html and "Assigned" in html


def test_changing_details_through_the_form_records_only_what_changed(world: World) -> None:
    from waypoint.audit.models import AuditEvent

    client = _as(world.key_worker)
    form = client.get(f"/patients/{world.patient.pk}/edit/").content.decode()
    assert 'value="Lovelace"' in form
    response = client.post(
        f"/patients/{world.patient.pk}/edit/",
        {
            "nhs_number": world.patient.nhs_number,
            "given_name": "Ada",
            "family_name": "Lovelace",
            "birth_date": "1960-05-17",
            "sex": "female",
            "phone": "07700 900555",
            "preferred_contact_method": "phone",
        },
    )
    assert response.status_code == 302
    world.patient.refresh_from_db()
    assert world.patient.phone == "07700 900555"
    update = AuditEvent.objects.filter(patient=world.patient, action="update").latest("id")
    assert update.detail == "changed: phone"


def test_adding_a_carer_needs_consent(world: World) -> None:
    client = _as(world.key_worker)
    refused = client.post(
        f"/patients/{world.patient.pk}/carers/new/",
        {"name": "Sam", "relationship": "son", "phone": "07700 900001"},
    )
    assert "record when the person agreed" in refused.content.decode()
    added = client.post(
        f"/patients/{world.patient.pk}/carers/new/",
        {
            "name": "Sam",
            "relationship": "son",
            "phone": "07700 900001",
            "consent_given_on": "2026-11-01",
        },
    )
    assert added.status_code == 302
    assert world.patient.carers.get().name == "Sam"


def test_recording_the_primary_diagnosis_through_the_form(world: World) -> None:
    response = _as(world.key_worker).post(
        f"/patients/{world.patient.pk}/primary-diagnoses/new/",
        {
            "diagnosed_on": "2015-02-01",
            "laterality": "right",
            "er": "positive",
            "pr": "negative",
            "her2": "negative",
        },
    )
    assert response.status_code == 302
    assert world.patient.primaries.get().laterality == "right"


def test_colleagues_in_other_teams_cannot_reach_the_edit_forms(world: World) -> None:
    client = _as(world.other_team_nurse)
    for path in ("edit", "carers/new", "primary-diagnoses/new", "secondary-diagnoses/new"):
        assert client.get(f"/patients/{world.patient.pk}/{path}/").status_code == 404
