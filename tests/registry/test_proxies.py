"""Proxy access: granting, changing and ending a carer's access, over the API and services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.world import PASSWORD, World

from waypoint.audit.models import AuditEvent
from waypoint.core.errors import Forbidden, NotFound
from waypoint.notifications.models import OutboundMessage
from waypoint.registry.models import ProxyAccess, ProxyEndReason, ProxyInvitation
from waypoint.registry.services import patient_update
from waypoint.registry.services.proxies import (
    ProxyPurpose,
    ProxyScopes,
    proxy_grant,
    proxy_invitation_accept,
    proxy_invitation_check_birth_date,
    proxy_open,
)

DAUGHTER = {
    "name": "Sam Lovelace",
    "relationship": "daughter",
    "email": "sam@example.org",
    "report_symptoms": True,
}


def _accepted(world: World, **scopes: bool) -> ProxyAccess:
    granted = proxy_grant(
        actor=world.patient_user,
        patient_id=world.patient.pk,
        name="Sam Lovelace",
        relationship="daughter",
        email="sam@example.org",
        scopes=ProxyScopes(**scopes),
        now=timezone.now(),
    )
    proxy_invitation_accept(
        invitation_id=granted.invitation.pk,
        now=timezone.now(),
        username="sam",
        password="lantern-orchard-pebble-42",
    )
    granted.proxy.refresh_from_db()
    return granted.proxy


def test_the_person_grants_access_and_the_carer_is_invited(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.patient_user).post(f"/patients/{world.patient.pk}/proxies", DAUGHTER)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "invited"
    assert body["invitation_status"] == "pending"
    assert body["scopes"] == {
        "appointments": True,
        "resource_pack": True,
        "report_symptoms": True,
        "timeline": False,
    }
    message = OutboundMessage.objects.get(topic="registry.proxy_invitation")
    assert message.to == "sam@example.org"
    assert "/portal/carer/join/" in message.body
    assert AuditEvent.objects.filter(
        object_type="proxy_access", patient_id=world.patient.pk, action="create"
    ).exists()


def test_a_clinician_must_say_how_the_person_consented(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    api = api_as(world.key_worker)

    refused = api.post(f"/patients/{world.patient.pk}/proxies", DAUGHTER)
    granted = api.post(
        f"/patients/{world.patient.pk}/proxies",
        DAUGHTER | {"consent_note": "Ada agreed at clinic on 3 December"},
    )

    assert refused.status_code == 422
    assert "consent_note" in refused.json()["error"]["fields"]
    assert granted.status_code == 201
    assert ProxyAccess.objects.get().consent_note == "Ada agreed at clinic on 3 December"


@pytest.mark.parametrize("who", ["other_team_nurse", "other_patient_user"])
def test_outsiders_get_404_and_change_nothing(world: World, api_as, who: str) -> None:  # type: ignore[no-untyped-def]
    api = api_as(getattr(world, who))

    assert api.get(f"/patients/{world.patient.pk}/proxies").status_code == 404
    assert api.post(f"/patients/{world.patient.pk}/proxies", DAUGHTER).status_code == 404
    assert not ProxyAccess.objects.exists()


def test_an_invitation_needs_an_email_or_a_mobile(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    response = api_as(world.patient_user).post(
        f"/patients/{world.patient.pk}/proxies",
        {"name": "Sam", "relationship": "daughter", "phone": "020 7946 0000"},
    )

    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) >= {"email", "phone"}


def test_the_person_changes_and_ends_access(world: World, api_as) -> None:  # type: ignore[no-untyped-def]
    proxy = _accepted(world)
    api = api_as(world.patient_user)

    changed = api.patch(
        f"/patients/{world.patient.pk}/proxies/{proxy.pk}",
        {"appointments": False, "resource_pack": True, "report_symptoms": False, "timeline": True},
    )
    listed = api.get(f"/patients/{world.patient.pk}/proxies").json()
    ended = api.delete(f"/patients/{world.patient.pk}/proxies/{proxy.pk}")

    assert changed.status_code == 200
    assert changed.json()["scopes"]["timeline"] is True
    assert listed[0]["status"] == "active"
    assert ended.status_code == 200
    assert ended.json()["status"] == "ended"
    assert ended.json()["ended_reason"] == ProxyEndReason.WITHDRAWN
    details = list(
        AuditEvent.objects.filter(object_type="proxy_access").values_list("detail", flat=True)
    )
    assert any("changed from" in d for d in details)
    assert any("ended: the person withdrew it" in d for d in details)


def test_a_carer_opens_only_what_was_shared_and_each_opening_is_audited(world: World) -> None:
    proxy = _accepted(world, timeline=False)
    carer = proxy.carer
    assert carer is not None

    opened = proxy_open(actor=carer, proxy_id=proxy.pk, purpose=ProxyPurpose.CONTACTS)
    with pytest.raises(Forbidden):
        proxy_open(actor=carer, proxy_id=proxy.pk, purpose=ProxyPurpose.TIMELINE)

    assert opened.patient == world.patient
    event = AuditEvent.objects.filter(action="view", actor_id=carer.pk).get()
    assert event.patient_id == world.patient.pk
    assert "daughter" in event.detail


def test_nobody_else_can_use_a_carers_grant(world: World) -> None:
    proxy = _accepted(world)

    for other in (world.patient_user, world.key_worker, world.other_patient_user):
        with pytest.raises(NotFound):
            proxy_open(actor=other, proxy_id=proxy.pk, purpose=ProxyPurpose.CONTACTS)


def test_access_ends_when_the_person_dies(world: World) -> None:
    proxy = _accepted(world)
    assert proxy.carer is not None

    patient_update(
        actor=world.key_worker, patient=world.patient, changes={"died_on": timezone.localdate()}
    )

    proxy.refresh_from_db()
    assert proxy.ended_reason == ProxyEndReason.DIED
    with pytest.raises(NotFound):
        proxy_open(actor=proxy.carer, proxy_id=proxy.pk, purpose=ProxyPurpose.CONTACTS)


def test_the_carer_invitation_checks_the_persons_date_of_birth(world: World) -> None:
    granted = proxy_grant(
        actor=world.patient_user,
        patient_id=world.patient.pk,
        name="Sam",
        relationship="daughter",
        email="sam@example.org",
        scopes=ProxyScopes(),
        now=timezone.now(),
    )
    now = timezone.now()

    wrong = proxy_invitation_check_birth_date(
        invitation_id=granted.invitation.pk, birth_date=dt.date(1990, 1, 1), now=now
    )
    right = proxy_invitation_check_birth_date(
        invitation_id=granted.invitation.pk, birth_date=world.patient.birth_date, now=now
    )

    assert (wrong, right) == (False, True)
    assert ProxyInvitation.objects.get().failed_checks == 1


def _signed_in(username: str) -> Client:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": PASSWORD})
    return client


def test_a_clinician_records_a_carer_with_consent_from_the_record_page(world: World) -> None:
    client = _signed_in("kw")
    form = reverse("proxy_new", args=[world.patient.pk])

    blank = client.post(form, {"name": "Sam", "relationship": "daughter", "email": "sam@x.org"})
    saved = client.post(
        form,
        {
            "name": "Sam Lovelace",
            "relationship": "daughter",
            "email": "sam@example.org",
            "report_symptoms": "on",
            "consent_note": "Ada asked for this at clinic today",
        },
        follow=True,
    )

    assert blank.status_code == 422
    assert "How and when the person agreed" in blank.content.decode()
    page = saved.content.decode()
    assert "Sam Lovelace is invited" in page
    assert "Sam Lovelace (daughter): invited" in page
    proxy = ProxyAccess.objects.get()
    assert proxy.may_report_symptoms is True
    assert proxy.granted_by == world.key_worker


def test_a_clinician_ends_a_carers_access_from_the_record_page(world: World) -> None:
    proxy = _accepted(world)
    client = _signed_in("kw")

    page = client.post(
        reverse("proxy_end", args=[world.patient.pk, proxy.pk]), follow=True
    ).content.decode()

    proxy.refresh_from_db()
    assert proxy.ended_reason == ProxyEndReason.ENDED_BY_TEAM
    assert "can no longer act for Ada" in page
    assert "access ended" in page


def test_an_outsider_cannot_end_a_carers_access(world: World) -> None:
    proxy = _accepted(world)

    response = _signed_in("othernurse").post(
        reverse("proxy_end", args=[world.patient.pk, proxy.pk])
    )

    assert response.status_code == 404
    proxy.refresh_from_db()
    assert proxy.is_active
