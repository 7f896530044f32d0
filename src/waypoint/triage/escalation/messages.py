"""What is sent and what is recorded. No name or clinical detail leaves Waypoint in a message:
only the level, the team and a link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.notifications.services import messages_to_user
from waypoint.triage.escalation.recipients import URGENT_LEVELS, texts_allowed
from waypoint.triage.models import EventKind, ReportEvent, SymptomReport

# The level as a word in a sentence ("an emergency report", "a red (urgent) report"), never a code.
LEVEL_NAMES = {
    "emergency": "emergency",
    "red": "red (urgent)",
    "amber": "amber",
    "green": "green",
}


def message(report: SymptomReport, *, kind: str, now: dt.datetime) -> tuple[str, str]:
    """Subject and body for one kind of message (see the module docstring)."""
    level = LEVEL_NAMES.get(report.level, report.level)
    a_level = f"{'An' if level[0] in 'aeiou' else 'A'} {level}"
    url = f"{settings.WAYPOINT_BASE_URL}/triage/reports/{report.pk}/"
    if kind == EventKind.INFORMED:
        return (
            f"Waypoint: new {level} symptom report, for information",
            f"{a_level} report for {report.team.name} has gone to the clinician on duty. You are "
            f"told for information; no action is asked of you. Open {url}",
        )
    if kind == EventKind.UNREACHABLE:
        return (
            f"Waypoint: nobody reachable for {a_level.lower()} symptom report",
            f"{a_level} report for {report.team.name} has not been acknowledged, and everyone in "
            f"its escalation chain has been alerted. Alerts repeat until a clinician "
            f"acknowledges it. Open {url}",
        )
    if kind == EventKind.ESCALATED:
        subject = f"Waypoint: {level} symptom report not yet acknowledged"
    else:
        subject = f"Waypoint: new {level} symptom report"
    due = (
        "its response time has passed"
        if report.respond_by and report.respond_by <= now
        else f"respond by {timezone.localtime(report.respond_by):%H:%M on %d %b}"
        if report.respond_by
        else ""
    )
    body = f"{a_level} report for {report.team.name} needs a clinician: {due}. Open {url}"
    return subject, body


def note(report: SymptomReport, *, now: dt.datetime, detail: str, step: int | None = None) -> None:
    """Record a step that could not alert someone, once: a condition that lasts is not recorded
    again at every repeat."""
    detail = detail[:300]
    if report.events.filter(kind=EventKind.NO_RECIPIENT, detail=detail).exists():
        return
    ReportEvent.objects.create(
        report=report, at=now, kind=EventKind.NO_RECIPIENT, step=step, detail=detail
    )


def send(
    report: SymptomReport,
    *,
    people: Iterable[tuple[User, str]],
    kind: str,
    now: dt.datetime,
    in_hours: bool,
    step: int | None,
    why: str = "",
) -> list[User]:
    """Queue one message per person and record it; answer who was actually reached.

    ``kind``: ALERTED (act now), ESCALATED (act: not yet acknowledged) or INFORMED (email only,
    no action asked). Only a message actually queued is recorded as told.
    """
    informed = kind == EventKind.INFORMED
    subject, body = message(report, kind=kind, now=now)
    texts = not informed and texts_allowed(report, in_hours=in_hours)
    topics: dict[str, str] = {
        EventKind.INFORMED: "triage.information",
        EventKind.ESCALATED: "triage.escalation",
    }
    topic = topics.get(kind, "triage.alert")
    reached = []
    for user, label in people:
        queued = messages_to_user(
            user=user,
            subject=subject,
            body=body,
            topic=topic,
            reference=str(report.pk),
            now=now,
            # Urgent and escalated alerts also go by text; anyone without email gets a text.
            sms=texts
            and (report.level in URGENT_LEVELS or kind == EventKind.ESCALATED or not user.email),
        )
        if not queued:
            continue
        channels = ", ".join(m.get_channel_display().lower() for m in queued)
        verb = "Told" if informed else "Alerted"
        role = f" ({label})" if informed else f" as {label}"
        detail = f"{verb} {user.display_name}{role}"
        if why:
            detail += f": {why}"
        ReportEvent.objects.create(
            report=report,
            at=now,
            kind=kind,
            recipient=user,
            step=step,
            detail=f"{detail} ({channels})"[:300],
        )
        reached.append(user)
    return reached
