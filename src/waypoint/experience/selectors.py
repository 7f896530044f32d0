"""Reads for the experience survey: who is due, the open invitation, and the figures.

The figures are counted in the database, one query for every month and question, whatever the
number of teams or responses. ``experience_summary`` returns exact counts for the teams it is
given: callers choose the teams through the viewer's scope and apply small-number suppression
for aggregate-only viewers (``waypoint.experience.rules.disclosure``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from waypoint.experience.models import ExperienceInvitation, ExperienceResponse, InvitationStatus
from waypoint.experience.rules.disclosure import percent
from waypoint.experience.rules.due import DueStatus, Person, Schedule, experience_due
from waypoint.experience.rules.questionnaire import QUESTIONS, RULES_VERSION
from waypoint.notifications.services import is_mobile
from waypoint.registry.models import ContactMethod, Patient

NAMED_CORRECTLY = "key_worker_named_correctly"
NAMED_CORRECTLY_TEXT = "Named their key worker correctly (of those who wrote a name)"


def schedule() -> Schedule:
    return Schedule(
        first_days=settings.WAYPOINT_EXPERIENCE_FIRST_DAYS,
        interval_days=settings.WAYPOINT_EXPERIENCE_INTERVAL_DAYS,
        open_days=settings.WAYPOINT_EXPERIENCE_OPEN_DAYS,
    )


def reachable_by_message(*, preferred: str, phone: str, email: str) -> bool:
    """The same test ``message_to_patient`` applies: a text to a mobile they chose, or email."""
    return bool(email) or (preferred == ContactMethod.SMS and is_mobile(phone))


def people_for(patient_ids: Iterable[int]) -> dict[int, Person]:
    """What the due rule needs for each person, in two queries however many there are."""
    ids = list(patient_ids)
    last_sent = dict(
        ExperienceInvitation.objects.filter(patient_id__in=ids)
        .values("patient_id")
        .annotate(last=Max("sent_at"))
        .order_by()
        .values_list("patient_id", "last")
    )
    rows = Patient.objects.filter(pk__in=ids).values_list(
        "pk",
        "metastatic_diagnosed_on",
        "died_on",
        "user_id",
        "preferred_contact_method",
        "phone",
        "email",
    )
    return {
        pk: Person(
            t0=t0,
            died_on=died_on,
            reachable=user_id is not None
            or reachable_by_message(preferred=preferred, phone=phone, email=email),
            last_invited_on=timezone.localdate(last_sent[pk]) if pk in last_sent else None,
        )
        for pk, t0, died_on, user_id, preferred, phone, email in rows
    }


def experience_due_for(patient_ids: Iterable[int], *, today: dt.date) -> dict[int, DueStatus]:
    rules = schedule()
    return {
        pk: experience_due(person, today=today, schedule=rules)
        for pk, person in people_for(patient_ids).items()
    }


def open_invitation(patient: Patient, *, today: dt.date) -> ExperienceInvitation | None:
    """The survey the person may answer now. One past its closing day is closed even before the
    worker records it as lapsed."""
    return ExperienceInvitation.objects.filter(
        patient=patient, status=InvitationStatus.OPEN, closes_on__gt=today
    ).first()


def latest_invitation(patient: Patient) -> ExperienceInvitation | None:
    return ExperienceInvitation.objects.filter(patient=patient).first()


@dataclass(frozen=True)
class Share:
    code: str
    indicator: str
    positive: int
    answered: int

    @property
    def percent(self) -> float | None:
        return percent(self.positive, self.answered)


@dataclass(frozen=True)
class Figures:
    invitations: int
    responses: int
    shares: tuple[Share, ...]  # in the order of QUESTIONS, then "named correctly"

    @property
    def response_rate(self) -> float | None:
        return percent(self.responses, self.invitations)


@dataclass(frozen=True)
class MonthFigures:
    month: dt.date  # the first day of the month the surveys were sent
    figures: Figures


@dataclass(frozen=True)
class ExperienceSummary:
    """Surveys sent from ``since`` to ``until`` (inclusive) to people of ``team_ids``, and the
    answers to them: each month's, and the whole period's. A survey counts in the month it was
    sent, so a response rate is never above 100 %; the latest month's may rise while its surveys
    are still open."""

    team_ids: tuple[int, ...]
    since: dt.date
    until: dt.date
    total: Figures
    months: tuple[MonthFigures, ...]
    questionnaire_version: str = RULES_VERSION


def _indicators() -> list[tuple[str, str]]:
    return [(q.code, q.indicator) for q in QUESTIONS] + [(NAMED_CORRECTLY, NAMED_CORRECTLY_TEXT)]


def _counts() -> dict[str, Count]:
    counts: dict[str, Count] = {
        "invitations": Count("id"),
        "responses": Count("response"),
        f"{NAMED_CORRECTLY}__pos": Count("id", filter=Q(response__key_worker_named_correctly=True)),
        f"{NAMED_CORRECTLY}__ans": Count(
            "id", filter=Q(response__key_worker_named_correctly__isnull=False)
        ),
    }
    for q in QUESTIONS:
        counts[f"{q.code}__pos"] = Count(
            "id", filter=Q(**{f"response__{q.code}__in": sorted(q.positive)})
        )
        counts[f"{q.code}__ans"] = Count(
            "id", filter=Q(**{f"response__{q.code}__in": [code for code, _ in q.options]})
        )
    return counts


def _figures(row: dict[str, int]) -> Figures:
    return Figures(
        invitations=row.get("invitations", 0),
        responses=row.get("responses", 0),
        shares=tuple(
            Share(code, text, row.get(f"{code}__pos", 0), row.get(f"{code}__ans", 0))
            for code, text in _indicators()
        ),
    )


def _month_starts(since: dt.date, until: dt.date) -> list[dt.date]:
    months = []
    day = since.replace(day=1)
    while day <= until:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def _bounds(since: dt.date, until: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    return start, end


def sent_between(
    team_ids: Iterable[int], *, since: dt.date, until: dt.date
) -> QuerySet[ExperienceInvitation]:
    start, end = _bounds(since, until)
    return ExperienceInvitation.objects.filter(
        team_id__in=list(team_ids), sent_at__gte=start, sent_at__lt=end
    )


def experience_summary(*, team_ids: list[int], since: dt.date, until: dt.date) -> ExperienceSummary:
    """The figures for these teams over the period, in one query."""
    rows = (
        sent_between(team_ids, since=since, until=until)
        .annotate(month=TruncMonth("sent_at"))
        .values("month")
        .annotate(**_counts())
        .order_by("month")
    )
    by_month: dict[dt.date, dict[str, int]] = {}
    for found in rows:
        values: dict[str, object] = dict(found)
        month = values.pop("month")
        if isinstance(month, dt.datetime):
            month = timezone.localdate(month)
        if isinstance(month, dt.date):
            by_month[month] = {k: v for k, v in values.items() if isinstance(v, int)}
    total: dict[str, int] = {}
    for counts in by_month.values():
        for key, value in counts.items():
            total[key] = total.get(key, 0) + value
    return ExperienceSummary(
        team_ids=tuple(sorted(team_ids)),
        since=since,
        until=until,
        total=_figures(total),
        months=tuple(
            MonthFigures(month, _figures(by_month.get(month, {})))
            for month in _month_starts(since, until)
        ),
    )


@dataclass(frozen=True)
class Comment:
    patient_id: int  # for the audit trail only; never shown
    month: dt.date
    team: str
    text: str


def comments_for(team_ids: list[int], *, since: dt.date, until: dt.date) -> list[Comment]:
    """Free-text comments, newest first, without names (the caller decides who may read them)."""
    rows = (
        ExperienceResponse.objects.filter(
            invitation__in=sent_between(team_ids, since=since, until=until)
        )
        .exclude(comment="")
        .order_by("-submitted_at", "-id")
        .values_list("patient_id", "submitted_at", "invitation__team__name", "comment")[:500]
    )
    return [
        Comment(pk, timezone.localdate(at).replace(day=1), team, text)
        for pk, at, team, text in rows
    ]
