"""The survey on the portal: open invitation → answer → thank you; once only; nothing lost."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from tests.experience.factories import FIRST_DUE, at, invite

from waypoint.audit.models import AuditEvent
from waypoint.experience.models import ExperienceInvitation, ExperienceResponse

pytestmark = pytest.mark.django_db

ANSWERS = {
    "names_key_worker": "yes",
    "key_worker_name": "kate",
    "contact_in_hours": "yes",
    "contact_out_of_hours": "not_sure",
    "offered_peer_support": "no",
    "offered_resource_pack": "dont_remember",
    "care_coordinated": "mostly",
    "comment": "The nurses are kind.",
}


@pytest.fixture
def invited(world):
    invite([world.patient, world.other_patient])
    with time_machine.travel(at(FIRST_DUE, 14), tick=False):
        yield world


@pytest.fixture
def patient_client(invited, client):
    client.force_login(invited.patient_user)
    return client


def test_the_portal_home_says_there_is_a_short_survey(patient_client):
    page = patient_client.get("/portal/").content.decode()
    assert "You have a short survey" in page
    assert 'href="/portal/survey/"' in page


def test_the_survey_page_says_any_question_may_be_skipped_and_whom_to_call(patient_client):
    page = patient_client.get("/portal/survey/").content.decode()
    assert "You can skip any question." in page
    assert "This survey is not monitored." in page
    assert "020 7946 0101" in page and "020 7946 0999" in page  # the team, in and out of hours
    assert page.count("<fieldset") == 7
    assert page.count("<legend") == 7
    # The page asks whether they can name their key worker, so it does not name her.
    assert "Kate Walker" not in page


def test_answering_saves_every_answer_and_thanks_the_person(invited, patient_client):
    response = patient_client.post("/portal/survey/", ANSWERS)
    assert response.status_code == 302
    assert response["Location"] == "/portal/survey/thanks/"
    saved = ExperienceResponse.objects.get(patient=invited.patient)
    assert saved.mode == "portal"
    assert saved.completed_by == invited.patient_user
    assert saved.questionnaire_version == "waypoint-experience-1"
    assert saved.names_key_worker == "yes"
    assert saved.offered_helpline == ""  # skipped
    assert saved.care_coordinated == "mostly"
    assert saved.key_worker_named_correctly is True  # "kate" is Kate Walker
    assert saved.invitation.status == "answered"
    assert AuditEvent.objects.filter(
        object_type="experience_response", object_id=str(saved.pk), action="create"
    ).exists()
    thanks = patient_client.get("/portal/survey/thanks/").content.decode()
    assert "Thank you" in thanks
    assert "This survey is not monitored." in thanks
    assert "020 7946 0999" in thanks
    # Never whether the name they wrote was right.
    assert "correct" not in thanks.lower()


def test_a_wrong_name_is_recorded_as_not_named_correctly(invited, patient_client):
    patient_client.post("/portal/survey/", {**ANSWERS, "key_worker_name": "Colin"})
    assert ExperienceResponse.objects.get().key_worker_named_correctly is False


def test_answering_a_second_time_is_refused_with_a_clear_message(invited, patient_client):
    patient_client.post("/portal/survey/", ANSWERS)
    again = patient_client.post("/portal/survey/", {**ANSWERS, "care_coordinated": "never"})
    assert again.status_code == 409
    assert "You have already answered this survey" in again.content.decode()
    assert ExperienceResponse.objects.get().care_coordinated == "mostly"
    page = patient_client.get("/portal/survey/").content.decode()
    assert "You have already answered this survey" in page
    assert "You have a short survey" not in patient_client.get("/portal/").content.decode()


def test_an_invalid_value_saves_nothing_and_keeps_the_other_answers(invited, patient_client):
    response = patient_client.post("/portal/survey/", {**ANSWERS, "offered_helpline": "maybe"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Nothing was saved" in page
    assert 'href="#offered_helpline-error"' in page
    assert not ExperienceResponse.objects.exists()
    assert ExperienceInvitation.objects.get(patient=invited.patient).status == "open"
    # What they chose and wrote is still there.
    assert 'name="care_coordinated" type="radio" value="mostly" checked' in page
    assert 'name="contact_out_of_hours" type="radio" value="not_sure" checked' in page
    assert "The nurses are kind." in page
    assert 'value="kate"' in page


def test_a_closed_survey_cannot_be_answered(invited, client):
    with time_machine.travel(at(FIRST_DUE + dt.timedelta(days=30)), tick=False):
        client.force_login(invited.patient_user)
        page = client.get("/portal/survey/").content.decode()
        assert "There is no survey for you to answer now" in page
        assert client.post("/portal/survey/", ANSWERS).status_code == 409
    assert not ExperienceResponse.objects.exists()


def test_the_person_answers_through_the_api(invited, api_as):
    api = api_as(invited.patient_user)
    found = api.get("/experience/invitation")
    assert found.status_code == 200
    invitation_id = found.json()["id"]
    assert found.json()["last_day"] == "2027-01-28"
    saved = api.post(
        f"/experience/invitations/{invitation_id}/response", {"answers": {"names_key_worker": "no"}}
    )
    assert saved.status_code == 201
    assert "names_key_worker" not in saved.json()  # answers are not echoed
    again = api.post(f"/experience/invitations/{invitation_id}/response", {"answers": {}})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"


def test_an_invalid_answer_through_the_api_names_the_field(invited, api_as):
    api = api_as(invited.patient_user)
    invitation_id = api.get("/experience/invitation").json()["id"]
    bad = api.post(
        f"/experience/invitations/{invitation_id}/response",
        {"answers": {"names_key_worker": "yes", "care_coordinated": "sometimes-ish"}},
    )
    assert bad.status_code == 422
    assert set(bad.json()["error"]["fields"]) == {"care_coordinated"}
    assert not ExperienceResponse.objects.exists()


@pytest.mark.parametrize(
    "persona", ["other_patient_user", "key_worker", "other_team_nurse", "manager"]
)
def test_no_one_else_can_answer_the_persons_survey(invited, api_as, persona):
    invitation = ExperienceInvitation.objects.get(patient=invited.patient)
    response = api_as(getattr(invited, persona)).post(
        f"/experience/invitations/{invitation.pk}/response", {"answers": {"names_key_worker": "no"}}
    )
    assert response.status_code == 404
    assert not ExperienceResponse.objects.exists()


def test_the_other_patient_sees_only_their_own_survey(invited, client):
    client.force_login(invited.other_patient_user)
    client.post("/portal/survey/", {"names_key_worker": "no"})
    saved = ExperienceResponse.objects.get()
    assert saved.patient == invited.other_patient
    assert ExperienceInvitation.objects.get(patient=invited.patient).status == "open"


def test_staff_have_no_portal_survey(invited, client):
    client.force_login(invited.key_worker)
    assert client.get("/portal/survey/").status_code == 403


def test_the_questionnaire_is_served_as_fhir(world, api_as):
    body = api_as(world.key_worker).get("/questionnaires/experience").json()
    assert body["resourceType"] == "Questionnaire"
    assert body["version"] == "waypoint-experience-1"
