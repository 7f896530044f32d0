"""A key worker or oncologist of the team types in a survey answered on paper."""

from __future__ import annotations

import pytest
from tests.experience.factories import invite

from waypoint.audit.models import AuditEvent
from waypoint.experience.models import ExperienceInvitation, ExperienceResponse

pytestmark = pytest.mark.django_db

PAPER = {"names_key_worker": "no", "contact_in_hours": "yes", "comment": "Paper comment"}


def test_a_paper_survey_for_someone_never_invited_is_its_own_invitation(world, client):
    client.force_login(world.key_worker)
    url = f"/patients/{world.team_b_patient.pk}/experience/paper/"
    assert client.get(url).status_code == 404  # team B's person: not her team
    response = client.post(f"/patients/{world.patient.pk}/experience/paper/", PAPER)
    saved = ExperienceResponse.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/patients/{world.patient.pk}/experience/paper/{saved.pk}/"
    assert (saved.mode, saved.completed_by, saved.contact_in_hours) == (
        "paper",
        world.key_worker,
        "yes",
    )
    assert (saved.invitation.route, saved.invitation.status) == ("paper", "answered")
    assert AuditEvent.objects.filter(
        object_type="experience_response", action="create", patient=world.patient
    ).exists()
    done = client.get(response["Location"]).content.decode()
    assert "Paper survey saved" in done
    assert "Paper comment" in done
    assert AuditEvent.objects.filter(
        object_type="experience_response", action="view", actor=world.key_worker
    ).exists()


def test_a_paper_survey_answers_the_open_invitation(world, client):
    [invitation] = invite([world.patient])
    client.force_login(world.oncologist)
    client.post(f"/patients/{world.patient.pk}/experience/paper/", PAPER)
    invitation.refresh_from_db()
    assert invitation.status == "answered"
    assert ExperienceInvitation.objects.count() == 1
    assert ExperienceResponse.objects.get().invitation == invitation


def test_only_the_person_who_typed_it_sees_the_paper_entry(world, client):
    client.force_login(world.key_worker)
    location = client.post(f"/patients/{world.patient.pk}/experience/paper/", PAPER)["Location"]
    client.force_login(world.colleague)
    assert client.get(location).status_code == 404
    client.force_login(world.patient_user)
    assert client.get(location).status_code == 403


def test_the_same_paper_survey_twice_in_a_day_is_refused(world, client):
    client.force_login(world.key_worker)
    client.post(f"/patients/{world.patient.pk}/experience/paper/", PAPER)
    again = client.post(f"/patients/{world.patient.pk}/experience/paper/", PAPER)
    assert again.status_code == 409
    assert "already recorded today" in again.content.decode()
    assert ExperienceResponse.objects.count() == 1


def test_an_invalid_paper_entry_saves_nothing_and_keeps_what_was_typed(world, client):
    client.force_login(world.key_worker)
    bad = client.post(
        f"/patients/{world.patient.pk}/experience/paper/", {**PAPER, "care_coordinated": "often"}
    )
    assert bad.status_code == 422
    assert "Paper comment" in bad.content.decode()
    assert not ExperienceResponse.objects.exists()
    assert not ExperienceInvitation.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("other_team_nurse", 404), ("helpline_nurse", 403), ("manager", 403), ("patient_user", 403)],
)
def test_outsiders_cannot_enter_a_paper_survey(world, client, persona, status):
    client.force_login(getattr(world, persona))
    response = client.post(f"/patients/{world.patient.pk}/experience/paper/", PAPER)
    assert response.status_code == status
    assert not ExperienceResponse.objects.exists()


def test_paper_entry_through_the_api(world, api_as):
    ok = api_as(world.key_worker).post(
        f"/patients/{world.patient.pk}/experience/paper", {"answers": PAPER}
    )
    assert ok.status_code == 201
    assert ok.json()["mode"] == "paper"
    outsider = api_as(world.other_team_nurse).post(
        f"/patients/{world.patient.pk}/experience/paper", {"answers": PAPER}
    )
    assert outsider.status_code == 404
    assert ExperienceResponse.objects.count() == 1


def test_the_record_page_links_to_paper_entry_for_the_team(world, client):
    client.force_login(world.key_worker)
    page = client.get(f"/patients/{world.patient.pk}/").content.decode()
    assert f"/patients/{world.patient.pk}/experience/paper/" in page
