"""Invitations: sent once per due date, by the person's route, lapsing after 30 days."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import OperationalError, connection
from tests.experience.factories import FIRST_DUE, at, invite, reachable

from waypoint.experience import services
from waypoint.experience.models import ExperienceInvitation, InvitationRoute, InvitationStatus
from waypoint.notifications.models import OutboundMessage
from waypoint.workspace.worker import run_pass

pytestmark = pytest.mark.django_db


def test_nothing_is_sent_the_day_before_the_first_survey_falls_due(world):
    assert services.experience_invitations_scan(now=at(FIRST_DUE - dt.timedelta(days=1))) == 0
    assert not ExperienceInvitation.objects.exists()


def test_on_the_due_day_everyone_reachable_is_invited_once(world):
    # The patient and the other patient have portal accounts; team B's patient has neither an
    # account nor a message route (a phone call is their preference), so is not invited.
    assert services.experience_invitations_scan(now=at(FIRST_DUE)) == 2
    assert services.experience_invitations_scan(now=at(FIRST_DUE, 11)) == 0
    invitations = ExperienceInvitation.objects.order_by("patient_id")
    assert [i.patient_id for i in invitations] == [world.patient.pk, world.other_patient.pk]
    first = invitations[0]
    assert (first.due_on, first.closes_on, first.status) == (
        FIRST_DUE,
        dt.date(2027, 1, 29),
        InvitationStatus.OPEN,
    )
    assert first.team_id == world.team_a.pk
    assert first.rules_version == "waypoint-experience-due-1"


def test_the_message_goes_by_the_preferred_route_and_names_no_one(world):
    reachable(world.patient, "ada@example.com")
    services.experience_invitations_scan(now=at(FIRST_DUE))
    message = OutboundMessage.objects.get(topic="experience.invitation", to="ada@example.com")
    assert "You have a short survey to answer on Waypoint" in message.body
    assert "/portal/survey/" in message.body
    for private in ("Ada", "Lovelace", "cancer", "breast", "Kate"):
        assert private not in message.body
    invitation = ExperienceInvitation.objects.get(patient=world.patient)
    assert invitation.route == InvitationRoute.MESSAGE
    # The other patient has an account but no message route: invited on the portal only.
    other = ExperienceInvitation.objects.get(patient=world.other_patient)
    assert other.route == InvitationRoute.PORTAL


def test_a_person_without_an_account_is_told_to_ask_for_a_paper_copy(world):
    reachable(world.team_b_patient, "cleo@example.com")
    services.experience_invitations_scan(now=at(FIRST_DUE))
    message = OutboundMessage.objects.get(to="cleo@example.com")
    assert "paper copy" in message.body
    assert "/portal/" not in message.body


def test_no_one_who_has_died_is_invited(world):
    world.patient.died_on = FIRST_DUE - dt.timedelta(days=3)
    world.patient.save(update_fields=["died_on"])
    services.experience_invitations_scan(now=at(FIRST_DUE))
    assert not ExperienceInvitation.objects.filter(patient=world.patient).exists()


@pytest.mark.parametrize(("days", "status"), [(29, "open"), (30, "lapsed")])
def test_an_invitation_lapses_after_30_days_and_is_kept(world, days, status):
    [invitation, _] = invite([world.patient, world.other_patient])
    later = at(FIRST_DUE + dt.timedelta(days=days))
    lapsed = services.experience_invitations_lapse(now=later)
    assert lapsed == (2 if status == "lapsed" else 0)
    invitation.refresh_from_db()
    assert invitation.status == status
    assert (invitation.lapsed_at is not None) is (status == "lapsed")
    assert services.experience_invitations_lapse(now=later) == 0


@pytest.mark.parametrize(("days", "sent"), [(179, 0), (180, 2)])
def test_the_next_survey_goes_180_days_after_the_last(world, days, sent):
    invite([world.patient, world.other_patient])
    later = at(FIRST_DUE + dt.timedelta(days=days))
    assert services.experience_invitations_scan(now=later) == sent
    if sent:
        statuses = set(ExperienceInvitation.objects.values_list("status", flat=True))
        assert statuses == {"lapsed", "open"}  # the first lapsed before the second opened


def test_the_hourly_worker_pass_sends_and_lapses(world):
    result = run_pass(now=at(FIRST_DUE), worker_id="w1", hourly=True)
    assert result.experience_invitations == 2
    assert result.busy
    quiet = run_pass(now=at(FIRST_DUE), worker_id="w1", hourly=False)
    assert quiet.experience_invitations == 0
    later = run_pass(now=at(FIRST_DUE + dt.timedelta(days=30)), worker_id="w1", hourly=True)
    assert later.experience_lapsed == 2


def test_two_workers_racing_send_each_invitation_once(committed_world):
    world = committed_world
    reachable(world.patient, "ada@example.com")
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def work() -> None:
        try:
            barrier.wait()
            while True:
                try:
                    counts.append(services.experience_invitations_scan(now=at(FIRST_DUE)))
                    return
                except OperationalError:  # SQLite's single writer: run the pass again
                    continue
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == 2
    assert ExperienceInvitation.objects.filter(patient=world.patient).count() == 1
    assert OutboundMessage.objects.filter(to="ada@example.com").count() == 1
