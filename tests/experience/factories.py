"""Survey data for the tests, built through the services as real data would be."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from tests.world import make_patient

from waypoint.careteam.models import Team
from waypoint.experience import services
from waypoint.experience.models import ExperienceInvitation
from waypoint.registry.models import Patient

LONDON = ZoneInfo("Europe/London")
# The world's people have T0 = 1 October 2026, so their first survey falls due on 30 December.
FIRST_DUE = dt.date(2026, 12, 30)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


def reachable(patient: Patient, email: str = "") -> Patient:
    patient.email = email or f"person{patient.pk}@example.com"
    patient.preferred_contact_method = "email"
    patient.save(update_fields=["email", "preferred_contact_method"])
    return patient


def people(team: Team, count: int) -> list[Patient]:
    return [
        reachable(make_patient(team=team, given=f"Person{i}", metastatic_on=dt.date(2026, 10, 1)))
        for i in range(count)
    ]


def invite(patients: Sequence[Patient], *, on: dt.date = FIRST_DUE) -> list[ExperienceInvitation]:
    services.experience_invitations_send(now=at(on), patient_ids=[p.pk for p in patients])
    return list(
        ExperienceInvitation.objects.filter(patient__in=patients, sent_at=at(on)).order_by(
            "patient_id"
        )
    )
