"""Who sees which survey figures, and the figures as shown to them.

The scope is the standards dashboard's (``viewable_teams``): a clinician sees their own teams with
exact counts and the free-text comments; a service manager or admin sees the teams they may see
in aggregate, with small numbers suppressed and no comments; anyone else gets 404. Every view
and export is audited; so is every comment read (one event per person whose words were shown).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record, audit_record_many
from waypoint.careteam.selectors import AggregateScope, aggregate_scope_for
from waypoint.core.errors import ValidationFailed
from waypoint.experience.rules.disclosure import count_text, is_small, percent_text
from waypoint.experience.selectors import (
    Comment,
    ExperienceSummary,
    Figures,
    comments_for,
    experience_summary,
)

MAX_MONTHS = 36
RESULTS_OBJECT = "experience_results"


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last 12 months: this month and the 11 before it."""
    month, year = today.month - 11, today.year
    if month < 1:
        month, year = month + 12, year - 1
    return dt.date(year, month, 1), today


def results_scope(
    actor: User, *, team_id: int | None = None, organisation_id: int | None = None
) -> AggregateScope:
    """A team chosen wins over an organisation chosen."""
    return aggregate_scope_for(
        actor, team_id=team_id, organisation_id=organisation_id if team_id is None else None
    )


@dataclass(frozen=True)
class Results:
    scope: AggregateScope
    summary: ExperienceSummary
    comments: list[Comment]
    threshold: int | None  # counts below it are suppressed; None shows exact counts


def _check_period(since: dt.date, until: dt.date) -> None:
    if since > until:
        raise ValidationFailed(
            "The period ends before it starts.", fields={"since": "Choose a start before the end."}
        )
    if (until.year - since.year) * 12 + until.month - since.month >= MAX_MONTHS:
        raise ValidationFailed(
            f"Choose a period of at most {MAX_MONTHS} months.",
            fields={"since": f"Choose a period of at most {MAX_MONTHS} months."},
        )


@transaction.atomic
def experience_results_open(
    *,
    actor: User,
    team_id: int | None = None,
    organisation_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    export: bool = False,
) -> Results:
    default_since, default_until = default_period(timezone.localdate())
    since, until = since or default_since, until or default_until
    _check_period(since, until)
    scope = results_scope(actor, team_id=team_id, organisation_id=organisation_id)
    summary = experience_summary(team_ids=scope.team_ids, since=since, until=until)
    comments = comments_for(scope.team_ids, since=since, until=until) if scope.exact else []
    if export:
        comments = []
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT if export else AuditAction.VIEW,
        patient=None,
        object_type=RESULTS_OBJECT,
        detail=f"{scope.label}; {since.isoformat()} to {until.isoformat()}",
    )
    if comments:
        audit_record_many(
            actor=actor,
            action=AuditAction.LIST,
            patient_ids=sorted({c.patient_id for c in comments}),
            object_type="experience_comment",
        )
    threshold = None if scope.exact and not export else settings.WAYPOINT_REPORT_SMALL_NUMBER
    return Results(scope=scope, summary=summary, comments=comments, threshold=threshold)


@dataclass(frozen=True)
class ShownShare:
    code: str
    indicator: str
    positive: str
    answered: str
    percent: str
    value: float | None  # None when there is nothing to draw, or it is withheld


@dataclass(frozen=True)
class ShownFigures:
    invitations: str
    responses: str
    response_rate: str
    shares: tuple[ShownShare, ...]


def shown(figures: Figures, *, threshold: int | None) -> ShownFigures:
    """The figures as text, suppressed for this viewer where they must be."""

    def withheld(part: int, whole: int) -> bool:
        return threshold is not None and (
            is_small(part, threshold=threshold) or is_small(whole, threshold=threshold)
        )

    return ShownFigures(
        invitations=count_text(figures.invitations, threshold=threshold),
        responses=count_text(figures.responses, threshold=threshold),
        response_rate=percent_text(figures.responses, figures.invitations, threshold=threshold),
        shares=tuple(
            ShownShare(
                code=s.code,
                indicator=s.indicator,
                positive=count_text(s.positive, threshold=threshold),
                answered=count_text(s.answered, threshold=threshold),
                percent=percent_text(s.positive, s.answered, threshold=threshold),
                value=None if withheld(s.positive, s.answered) else s.percent,
            )
            for s in figures.shares
        ),
    )
