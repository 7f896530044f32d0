"""The person's page "People who can help me": they give someone access, change what that person
may see, send the invitation again and stop the access; nobody else can touch their carers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.portal.carer_world import accepted_carer
from tests.world import World

from waypoint.audit.models import AuditEvent
from waypoint.notifications.models import OutboundMessage
from waypoint.registry.models import ProxyAccess, ProxyEndReason, ProxyInvitation

pytestmark = pytest.mark.django_db

DAUGHTER = {
    "name": "Sam Patel",
    "relationship": "daughter",
    "email": "sam@example.org",
    "phone": "",
    "appointments": "on",
    "report_symptoms": "on",
}


@pytest.fixture
def person(client: Client, world: World) -> Client:
    client.force_login(world.patient_user)
    return client


def test_the_home_page_links_to_the_page(person: Client) -> None:
    assert 'href="/portal/carers/"' in person.get("/portal/").content.decode()


def test_the_page_says_the_key_worker_and_numbers_are_always_shared(person: Client) -> None:
    page = person.get("/portal/carers/").content.decode()

    assert "You have not given anyone access." in page
    assert "always see your key worker and your team&#x27;s numbers" in page
    assert "Report symptoms for you" in page


def test_the_person_gives_their_daughter_access_and_she_is_invited(
    person: Client, world: World
) -> None:
    response = person.post("/portal/carers/", DAUGHTER)

    assert response.status_code == 302
    proxy = ProxyAccess.objects.get(patient=world.patient)
    assert (proxy.name, proxy.relationship, proxy.email) == (
        "Sam Patel",
        "daughter",
        DAUGHTER["email"],
    )
    assert proxy.may_see_appointments and proxy.may_report_symptoms
    assert not proxy.may_see_resource_pack and not proxy.may_see_timeline
    assert proxy.granted_by == world.patient_user
    message = OutboundMessage.objects.get(topic="registry.proxy_invitation")
    assert message.to == "sam@example.org"
    page = person.get("/portal/carers/").content.decode()
    assert "Sam Patel, your daughter" in page
    assert "Invited: they have not accepted yet" in page
    assert "Report symptoms for you" in page


def test_missing_details_are_shown_beside_their_fields_and_nothing_is_saved(
    person: Client,
) -> None:
    response = person.post(
        "/portal/carers/", {"name": "", "relationship": "", "email": "not-an-email"}
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Give the name of the person you trust." in page
    assert "Say who they are to you" in page
    assert "Enter an email address like name@example.com" in page
    assert not ProxyAccess.objects.exists()


def test_an_invitation_needs_an_email_or_a_mobile(person: Client) -> None:
    response = person.post("/portal/carers/", DAUGHTER | {"email": "", "phone": ""})

    assert response.status_code == 422
    assert "Give an email address or a mobile number" in response.content.decode()
    assert not ProxyAccess.objects.exists()


def test_the_person_changes_what_their_carer_may_see(person: Client, world: World) -> None:
    proxy = accepted_carer(granted_by=world.patient_user, patient=world.patient)
    assert "Active: they have accepted" in person.get("/portal/carers/").content.decode()

    response = person.post(
        f"/portal/carers/{proxy.pk}/scopes/",
        {f"carer-{proxy.pk}-timeline": "on", f"carer-{proxy.pk}-report_symptoms": "on"},
    )

    assert response.status_code == 302
    proxy.refresh_from_db()
    assert proxy.may_see_timeline and proxy.may_report_symptoms
    assert not proxy.may_see_appointments and not proxy.may_see_resource_pack
    assert AuditEvent.objects.filter(
        object_type="proxy_access", object_id=str(proxy.pk), action="update"
    ).exists()


def test_the_person_sends_the_invitation_again(person: Client, world: World) -> None:
    person.post("/portal/carers/", DAUGHTER)
    proxy = ProxyAccess.objects.get()
    first = ProxyInvitation.objects.get()

    response = person.post(f"/portal/carers/{proxy.pk}/resend/")

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.withdrawn_at is not None
    assert ProxyInvitation.objects.filter(proxy=proxy, withdrawn_at=None).count() == 1
    assert OutboundMessage.objects.filter(topic="registry.proxy_invitation").count() == 2


def test_the_person_stops_their_carers_access_after_confirming(
    person: Client, world: World
) -> None:
    proxy = accepted_carer(granted_by=world.patient_user, patient=world.patient)

    confirm = person.get(f"/portal/carers/{proxy.pk}/end/")
    assert confirm.status_code == 200
    assert "Stop Sam Patel's access?" in confirm.content.decode()
    proxy.refresh_from_db()
    assert proxy.is_active  # asking is not ending

    response = person.post(f"/portal/carers/{proxy.pk}/end/")

    assert response.status_code == 302
    proxy.refresh_from_db()
    assert proxy.ended_reason == ProxyEndReason.WITHDRAWN
    page = person.get("/portal/carers/").content.decode()
    assert "Access ended (the person withdrew it)" in page
    assert f"/portal/carers/{proxy.pk}/scopes/" not in page


def test_changing_an_ended_access_is_refused_and_changes_nothing(
    person: Client, world: World
) -> None:
    proxy = accepted_carer(granted_by=world.patient_user, patient=world.patient)
    person.post(f"/portal/carers/{proxy.pk}/end/")

    response = person.post(
        f"/portal/carers/{proxy.pk}/scopes/", {f"carer-{proxy.pk}-timeline": "on"}, follow=True
    )

    assert "This access has ended" in response.content.decode()
    proxy.refresh_from_db()
    assert not proxy.may_see_timeline


@pytest.mark.parametrize("action", ["scopes/", "resend/", "end/"])
def test_another_patient_cannot_touch_them(client: Client, world: World, action: str) -> None:
    proxy = accepted_carer(granted_by=world.patient_user, patient=world.patient)
    client.force_login(world.other_patient_user)

    assert client.post(f"/portal/carers/{proxy.pk}/{action}").status_code == 404
    if action == "end/":
        assert client.get(f"/portal/carers/{proxy.pk}/end/").status_code == 404
    proxy.refresh_from_db()
    assert proxy.is_active
    assert "Sam Patel" not in client.get("/portal/carers/").content.decode()


def test_staff_do_not_use_the_persons_page(client: Client, world: World) -> None:
    client.force_login(world.key_worker)

    assert client.get("/portal/carers/").status_code == 403


def _queries_for_the_page(person: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert person.get("/portal/carers/").status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_however_many_carers(person: Client, world: World) -> None:
    accepted_carer(granted_by=world.patient_user, patient=world.patient)
    one = _queries_for_the_page(person)
    for n in range(3):
        accepted_carer(
            granted_by=world.patient_user,
            patient=world.patient,
            username=f"helper{n}",
            name=f"Helper {n}",
            relationship="friend",
        )

    assert _queries_for_the_page(person) == one
