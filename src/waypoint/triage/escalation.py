"""The response clock and the escalation chain.

When a report is graded amber, red or emergency, the first step of the chain (the key worker, or
whoever covers them today) is alerted at once. If nobody acknowledges it before ``respond_by``
(60 minutes for red, 0 for emergency, 24 hours for amber), the worker alerts the next step, then the
next, and repeats the last step every ``red_repeat_minutes`` / ``amber_repeat_minutes`` until a
clinician acknowledges it. A step with nobody in it (no one on call) is recorded and skipped.

Each escalation is claimed with a conditional UPDATE on ``escalation_step``: when two workers run,
exactly one sends each step.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.careteam.models import OnCallShift, TeamMembership
from waypoint.careteam.selectors import contact_for_patient
from waypoint.notifications.services import is_mobile, messages_to_user
from waypoint.triage.models import EventKind, ReportEvent, ReportStatus, SymptomReport

STEP_LABELS = {
    "key_worker": "the key worker (or cover)",
    "on_call": "the team's on-call clinician",
    "team_lead": "the team lead",
}


def chain() -> list[str]:
    return list(settings.WAYPOINT_ESCALATION_CHAIN)


def step_recipients(report: SymptomReport, step: str, *, now: dt.datetime) -> list[User]:
    if step == "key_worker":
        if report.patient is None:
            return []
        contact = contact_for_patient(report.patient, day=timezone.localdate(now))
        person = contact.contact_person
        return [person] if person is not None and person.is_active else []
    if step == "on_call":
        shifts = OnCallShift.objects.filter(
            team_id=report.team_id, starts_at__lte=now, ends_at__gt=now
        ).select_related("clinician")
        return [s.clinician for s in shifts if s.clinician.is_active]
    memberships = TeamMembership.objects.filter(
        team_id=report.team_id, is_lead=True, user__is_active=True
    ).select_related("user")
    return [m.user for m in memberships]


def reachable(user: User) -> bool:
    """Whether a message can reach this person at all: an email address or a mobile number."""
    return bool(user.email) or is_mobile(user.work_phone)


def _note_nobody(report: SymptomReport, *, index: int, now: dt.datetime, detail: str) -> None:
    """Record an empty step once: a step that stays empty is not recorded again at every repeat."""
    if report.events.filter(kind=EventKind.NO_RECIPIENT, detail=detail).exists():
        return
    ReportEvent.objects.create(
        report=report, at=now, kind=EventKind.NO_RECIPIENT, step=index, detail=detail
    )


def _alert(report: SymptomReport, *, index: int, now: dt.datetime, escalated: bool) -> None:
    """Alert chain step ``index`` (the last step repeats); skip forward past steps with nobody
    who can be reached. Only a message actually queued is recorded as an alert."""
    steps = chain()
    index = min(index, len(steps) - 1)
    while True:
        step = steps[index]
        people = step_recipients(report, step, now=now)
        recipients = [u for u in people if reachable(u)]
        for user in people:
            if not reachable(user):
                _note_nobody(
                    report,
                    index=index,
                    now=now,
                    detail=f"Cannot alert {user.display_name} ({STEP_LABELS[step]}): no email "
                    "or mobile number recorded",
                )
        if recipients or index == len(steps) - 1:
            break
        _note_nobody(
            report,
            index=index,
            now=now,
            detail=f"Nobody to alert as {STEP_LABELS[step]}; moved on to the next step",
        )
        index += 1
    if not recipients:
        _note_nobody(
            report,
            index=index,
            now=now,
            detail=f"Nobody to alert as {STEP_LABELS[step]}: the report waits on the team queue",
        )
        return
    subject, body = _message(report, escalated=escalated, now=now)
    for user in recipients:
        queued = messages_to_user(
            user=user,
            subject=subject,
            body=body,
            topic="triage.escalation" if escalated else "triage.alert",
            reference=str(report.pk),
            now=now,
            # Red and escalated alerts also go by text; anyone without email gets a text.
            sms=report.level in ("red", "emergency") or escalated or not user.email,
        )
        ReportEvent.objects.create(
            report=report,
            at=now,
            kind=EventKind.ESCALATED if escalated else EventKind.ALERTED,
            recipient=user,
            step=index,
            detail=f"Alerted {user.display_name} as {STEP_LABELS[step]} "
            f"({', '.join(m.get_channel_display().lower() for m in queued)})",
        )


def _message(report: SymptomReport, *, escalated: bool, now: dt.datetime) -> tuple[str, str]:
    """No name or clinical detail leaves Waypoint in a message: only the level, team and link."""
    level = report.level.upper()
    if escalated:
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
    url = f"{settings.WAYPOINT_BASE_URL}/triage/reports/{report.pk}/"
    body = f"A {level} report for {report.team.name} needs a clinician: {due}. Open {url}"
    return subject, body


def alert_first_step(*, report: SymptomReport, now: dt.datetime) -> None:
    _alert(report, index=0, now=now, escalated=False)


def escalations_due(*, now: dt.datetime, limit: int) -> list[tuple[int, int]]:
    return list(
        SymptomReport.objects.filter(status=ReportStatus.OPEN, next_escalation_at__lte=now)
        .order_by("next_escalation_at", "id")
        .values_list("id", "escalation_step")[:limit]
    )


def escalations_run(*, now: dt.datetime, limit: int = 200) -> int:
    """Escalate every open report whose clock has run out; answer how many steps were taken."""
    taken = 0
    for report_id, step in escalations_due(now=now, limit=limit):
        with transaction.atomic():
            # Another worker holding this report is dealing with it: skip it, do not wait.
            report = (
                SymptomReport.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=report_id, status=ReportStatus.OPEN, escalation_step=step)
                .select_related("patient", "team")
                .first()
            )
            if report is None:
                continue
            repeat = settings.WAYPOINT_TRIAGE_CONFIG.repeat_minutes(report.level)
            claimed = SymptomReport.objects.filter(
                pk=report_id, status=ReportStatus.OPEN, escalation_step=step
            ).update(
                escalation_step=step + 1,
                next_escalation_at=now + dt.timedelta(minutes=repeat),
            )
            if not claimed:  # another worker took this step, or a clinician acknowledged it
                continue
            _alert(report, index=step + 1, now=now, escalated=True)
            taken += 1
    return taken
