from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command

from waypoint.experience.models import ExperienceInvitation, ExperienceResponse
from waypoint.experience.selectors import experience_summary
from waypoint.registry.models import Patient

TODAY = dt.date(2026, 11, 24)


def _seed() -> list[tuple[int, str, str]]:
    call_command("seed_demo", "--patients", "120", "--today", str(TODAY), stdout=StringIO())
    return list(
        ExperienceResponse.objects.order_by("invitation__patient__nhs_number", "submitted_at")
        .values_list("invitation__due_on", "names_key_worker", "care_coordinated")
        .distinct()
    )


def test_the_demo_has_a_year_of_surveys_and_sarah_has_one_open(db: None) -> None:
    answers = _seed()
    assert len(answers) > 20
    sarah = Patient.objects.get(user__username="patient")
    open_one = ExperienceInvitation.objects.get(patient=sarah)
    assert (open_one.status, open_one.closes_on) == ("open", TODAY + dt.timedelta(days=30))
    closed = ExperienceInvitation.objects.exclude(patient=sarah)
    assert set(closed.values_list("status", flat=True)) == {"answered", "lapsed"}
    assert all(i.closes_on <= TODAY for i in closed)
    team_ids = list(closed.values_list("team_id", flat=True).distinct())
    summary = experience_summary(
        team_ids=team_ids, since=TODAY - dt.timedelta(days=365), until=TODAY
    )
    assert summary.total.responses == ExperienceResponse.objects.count()
    assert 40 < (summary.total.response_rate or 0) < 85
