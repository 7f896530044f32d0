"""The symptom check on the person's behalf: the same questions and advice as the person's own,
stored as reported by the carer with who they are to the person, escalated like any report, and
only for a carer the person allowed to do it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from tests.portal.carer_world import accepted_carer, carer_of
from tests.world import World

from waypoint.core.errors import Forbidden, NotFound
from waypoint.registry.models import ProxyAccess
from waypoint.registry.services.proxies import proxy_end
from waypoint.triage import services
from waypoint.triage.models import ReportEvent, Source, SymptomReport
from waypoint.triage.policies import can_report_for, sources_allowed

pytestmark = pytest.mark.django_db


def _carer(client: Client, world: World, *, report_symptoms: bool = True) -> ProxyAccess:
    proxy = accepted_carer(
        granted_by=world.patient_user, patient=world.patient, report_symptoms=report_symptoms
    )
    client.force_login(carer_of(proxy))
    return proxy


def _report_a_fever(client: Client, proxy_id: int) -> str:
    return _report_a_fever_as(client, f"/portal/carer/{proxy_id}/symptoms/")


def _report_a_fever_as(client: Client, base: str) -> str:
    client.get(base + "?new=1")
    client.post(base + "emergency/", {"emergency": ["none"]})
    client.post(base + "symptoms/", {"symptoms": ["temperature"]})
    client.post(base + "item-temperature/", {"answer": "38.6"})
    client.post(base + "treatment/", {"treatment": "sact"})
    client.post(base + "more/", {"free_text": "Mum is shivery and very tired."})
    response = client.post(base + "check/")
    assert response.status_code == 302, response.content
    return str(response.url)  # type: ignore[attr-defined]


def test_the_report_is_stored_as_the_carers_with_their_relationship(
    client: Client, world: World
) -> None:
    proxy = _carer(client, world)

    result_url = _report_a_fever(client, proxy.pk)

    report = SymptomReport.objects.get()
    assert report.patient == world.patient
    assert report.source == Source.CARER
    assert report.submitted_by == carer_of(proxy)
    assert report.reported_by_relationship == "daughter"
    assert report.free_text == "Mum is shivery and very tired."
    assert result_url == f"/portal/carer/{proxy.pk}/symptoms/reports/{report.pk}/"


def test_the_carer_sees_the_same_advice_said_to_be_about_the_person(
    client: Client, world: World
) -> None:
    proxy = _carer(client, world)

    page = client.get(_report_a_fever(client, proxy.pk)).content.decode()

    report = SymptomReport.objects.get()
    assert report.level in ("red", "emergency")
    assert report.advice in page.replace("&#x27;", "'")
    assert "This is the advice for Ada. If Ada is in danger now, call 999." in page
    assert "You are helping <strong>Ada Lovelace</strong>" in page


def test_a_carers_urgent_report_is_escalated_as_the_persons_own_would_be(
    client: Client, world: World
) -> None:
    proxy = _carer(client, world)
    _report_a_fever(client, proxy.pk)
    by_carer = SymptomReport.objects.get()
    person = Client()
    person.force_login(world.patient_user)
    _report_a_fever_as(person, "/portal/symptoms/")
    own = SymptomReport.objects.exclude(pk=by_carer.pk).get()

    assert by_carer.level == own.level
    assert by_carer.respond_within_minutes == own.respond_within_minutes
    assert by_carer.next_escalation_at == by_carer.respond_by
    assert by_carer.respond_by is not None
    assert _event_kinds(by_carer) == _event_kinds(own)


def _event_kinds(report: SymptomReport) -> list[str]:
    return list(
        ReportEvent.objects.filter(report=report).order_by("id").values_list("kind", flat=True)
    )


def test_staff_see_who_reported_it_and_who_they_are_to_the_person(
    client: Client, world: World
) -> None:
    proxy = _carer(client, world)
    _report_a_fever(client, proxy.pk)
    report = SymptomReport.objects.get()
    nurse = Client()
    nurse.force_login(world.key_worker)

    queue = nurse.get("/triage/").content.decode()
    detail = nurse.get(f"/triage/reports/{report.pk}/").content.decode()
    record = nurse.get(f"/patients/{world.patient.pk}/").content.decode()

    assert "Reported by Sam Patel (daughter)" in queue
    assert "Reported by Sam Patel (daughter)" in detail
    assert "Reported by Sam Patel (daughter)" in record


def test_without_the_symptom_check_shared_the_carer_is_refused(
    client: Client, world: World
) -> None:
    proxy = _carer(client, world, report_symptoms=False)
    base = f"/portal/carer/{proxy.pk}/symptoms/"

    assert client.get(base).status_code == 403
    assert client.post(base + "emergency/", {"emergency": ["chest_pain"]}).status_code == 403
    assert not SymptomReport.objects.exists()
    with pytest.raises(NotFound):
        services.symptom_report_submit(
            actor=carer_of(proxy),
            patient=world.patient,
            source=Source.CARER,
            data=services.ReportInput(symptoms=[{"code": "chest_pain", "present": True}]),
        )


def test_a_carer_may_report_only_for_the_person_who_allowed_it(world: World) -> None:
    proxy = accepted_carer(
        granted_by=world.patient_user, patient=world.patient, report_symptoms=True
    )
    carer = carer_of(proxy)

    assert sources_allowed(carer) == frozenset({Source.CARER})
    assert can_report_for(carer, world.patient)
    assert not can_report_for(carer, world.other_patient)
    proxy_end(actor=world.patient_user, proxy_id=proxy.pk, now=timezone.now())
    assert not can_report_for(carer, world.patient)


def test_a_carer_cannot_send_a_report_as_the_person(world: World) -> None:
    proxy = accepted_carer(
        granted_by=world.patient_user, patient=world.patient, report_symptoms=True
    )

    with pytest.raises(Forbidden):
        services.symptom_report_submit(
            actor=carer_of(proxy),
            patient=world.patient,
            source=Source.PATIENT,
            data=services.ReportInput(symptoms=[{"code": "chest_pain", "present": True}]),
        )


def test_a_carer_helping_two_people_keeps_their_answers_apart(client: Client, world: World) -> None:
    first = _carer(client, world)
    second = accepted_carer(
        granted_by=world.other_patient_user,
        patient=world.other_patient,
        existing=carer_of(first),
        report_symptoms=True,
    )
    client.post(f"/portal/carer/{first.pk}/symptoms/emergency/", {"emergency": ["none"]})
    client.post(f"/portal/carer/{first.pk}/symptoms/symptoms/", {"symptoms": ["temperature"]})

    # Ada's answers are not Bea's: Bea's check has no temperature question.
    assert client.get(f"/portal/carer/{second.pk}/symptoms/item-temperature/").status_code == 404
    assert client.get(f"/portal/carer/{first.pk}/symptoms/item-temperature/").status_code == 200


def test_the_carer_cannot_open_the_persons_own_reports(client: Client, world: World) -> None:
    own, _ = services.symptom_report_submit(
        actor=world.patient_user,
        patient=world.patient,
        source=Source.PATIENT,
        data=services.ReportInput(symptoms=[{"code": "fatigue", "grade": 1}]),
    )
    proxy = _carer(client, world)

    response = client.get(f"/portal/carer/{proxy.pk}/symptoms/reports/{own.pk}/")

    assert response.status_code == 404


def test_the_person_sees_the_report_their_carer_sent_for_them(client: Client, world: World) -> None:
    proxy = _carer(client, world)
    _report_a_fever(client, proxy.pk)
    report = SymptomReport.objects.get()
    person = Client()
    person.force_login(world.patient_user)

    result = person.get(f"/portal/symptoms/reports/{report.pk}/").content.decode()
    timeline = person.get("/portal/timeline/").content.decode()

    assert "by Sam Patel, for you" in result
    assert "Sam Patel reported symptoms for you" in timeline
