"""Demo patient-experience surveys: a year of invitations and answers for teams A and B, and an
open survey for Sarah (the `patient` login). Deterministic for a given seed and day.

Written in bulk like the population, keeping the services' invariants: one invitation per due
date on the rule's schedule, closed ones answered or lapsed, one response per invitation, a
creation audit event per response.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record_many
from waypoint.careteam.models import Team
from waypoint.experience import services
from waypoint.experience.models import (
    ExperienceInvitation,
    ExperienceResponse,
    InvitationRoute,
    InvitationStatus,
    ResponseMode,
)
from waypoint.experience.rules import due, questionnaire
from waypoint.registry.models import Patient

# How often each answer is given, per question: a service that is improving, but not there.
WEIGHTS: dict[str, dict[str, int]] = {
    "names_key_worker": {"yes": 70, "no": 20, "not_sure": 10},
    "contact_in_hours": {"yes": 80, "no": 12, "not_sure": 8},
    "contact_out_of_hours": {"yes": 50, "no": 35, "not_sure": 15},
    "offered_peer_support": {"yes": 35, "no": 50, "dont_remember": 15},
    "offered_resource_pack": {"yes": 55, "no": 30, "dont_remember": 15},
    "offered_helpline": {"yes": 60, "no": 25, "dont_remember": 15},
    "care_coordinated": {"always": 30, "mostly": 40, "sometimes": 20, "never": 5, "not_sure": 5},
}
COMMENTS = (
    "Knowing I can ring Grace has made a big difference.",
    "I did not know there was a number for the evenings until my second cycle.",
    "The support group has been a lifeline.",
    "I have to repeat my story at every appointment.",
    "Clinic waits are long but the nurses are wonderful.",
    "I would like more information about what happens next.",
)


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _answers(rng: random.Random) -> dict[str, str]:
    answers = {}
    for code, weights in WEIGHTS.items():
        if rng.random() < 0.05:
            answers[code] = ""  # skipped
            continue
        answers[code] = rng.choices(list(weights), weights=list(weights.values()))[0]
    answers["comment"] = rng.choice(COMMENTS) if rng.random() < 0.2 else ""
    return answers


def load_experience_demo(
    *, teams: dict[str, Team], users: dict[str, User], today: dt.date, seed: int
) -> None:
    rng = random.Random(seed)  # noqa: S311  # synthetic demo data, not secrets
    rules = due.Schedule(
        first_days=settings.WAYPOINT_EXPERIENCE_FIRST_DAYS,
        interval_days=settings.WAYPOINT_EXPERIENCE_INTERVAL_DAYS,
        open_days=settings.WAYPOINT_EXPERIENCE_OPEN_DAYS,
    )
    start = today - dt.timedelta(days=330)
    people = (
        Patient.objects.filter(
            team__in=[teams["a"], teams["b"]],
            user__isnull=True,
            metastatic_diagnosed_on__isnull=False,
        )
        .exclude(email="")
        .order_by("pk")
    )
    invitations: list[ExperienceInvitation] = []
    answered: list[tuple[ExperienceInvitation, dict[str, str]]] = []
    for patient in people:
        assert patient.metastatic_diagnosed_on is not None  # noqa: S101  # filtered above
        sent_on = patient.metastatic_diagnosed_on + dt.timedelta(days=rules.first_days)
        reason = "first survey"
        while sent_on < start:
            sent_on += dt.timedelta(days=rules.interval_days)
            reason = "routine survey"
        while due.closes_on(sent_on, schedule=rules) <= today:
            if patient.died_on is not None and patient.died_on <= sent_on:
                break
            invitation = ExperienceInvitation(
                patient=patient,
                team_id=patient.team_id,
                due_on=sent_on,
                reason=reason,
                rules_version=due.RULES_VERSION,
                route=InvitationRoute.MESSAGE,
                sent_at=_aware(sent_on, 9),
                closes_on=due.closes_on(sent_on, schedule=rules),
            )
            if rng.random() < 0.62:
                invitation.status = InvitationStatus.ANSWERED
                answered.append((invitation, _answers(rng)))
            else:
                invitation.status = InvitationStatus.LAPSED
                invitation.lapsed_at = _aware(invitation.closes_on, 3)
            invitations.append(invitation)
            sent_on += dt.timedelta(days=rules.interval_days)
            reason = "routine survey"
    ExperienceInvitation.objects.bulk_create(invitations)
    responses = ExperienceResponse.objects.bulk_create(
        ExperienceResponse(
            invitation=invitation,
            patient_id=invitation.patient_id,
            questionnaire_version=questionnaire.RULES_VERSION,
            mode=ResponseMode.PAPER,
            completed_by=users["keyworker"]
            if invitation.team_id == teams["a"].pk
            else users["keyworker2"],
            submitted_at=invitation.sent_at + dt.timedelta(days=rng.randint(0, 20), hours=3),
            **answers,
        )
        for invitation, answers in answered
    )
    audit_record_many(
        actor=None,
        action=AuditAction.CREATE,
        patient_ids=[r.patient_id for r in responses],
        object_type=services.RESPONSE_OBJECT,
        detail="demo survey answers",
    )
    # Sarah has never been asked: her first survey is due, so it opens now.
    sarah = Patient.objects.get(user__username="patient")
    services.experience_invitations_send(now=_aware(today, 8), patient_ids=[sarah.pk])
