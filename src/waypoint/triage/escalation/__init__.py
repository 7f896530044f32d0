"""Who is told about a report, at once and while it waits: duty routing and the escalation chain.

**At once.** When a report is graded amber, red or emergency, the person on duty is alerted
(``careteam.selectors.on_duty_for_patient``, rule ``waypoint-duty-1``). In the team's hours that is
the key worker, or whoever covers them today. Out of hours, on a bank holiday, or while the key
worker is away with nobody to cover, the on-call clinicians are alerted at once, and the key
worker (or cover) is emailed *for information*, so the report page shows who must act and who was
only told. Red and emergency alerts go by text and email; amber never texts out of hours (the
person on duty has an email, and the 24-hour clock stands).

**While it waits.** If nobody acknowledges the report before ``respond_by`` (60 minutes for red,
0 for emergency, 24 hours for amber), the worker walks ``WAYPOINT_ESCALATION_CHAIN`` (key
worker → on call → team lead → acute oncology nurses), a step every ``red_repeat_minutes`` /
``amber_repeat_minutes``.
Each step alerts only people not already alerted for this report, and a step with nobody new is
recorded and passed: a nurse who is both key worker and team lead is not "the next step" after
herself. When the chain is exhausted, the report is marked *nobody reachable*, the safety address
(``WAYPOINT_SAFETY_EMAIL``) is told once, and at every repeat after that everyone on duty in the
chain is alerted again until a named clinician acknowledges the report.

Each escalation is claimed with a conditional UPDATE on ``escalation_step``: when two workers run,
exactly one sends each step. ``escalation_step`` is the chain position reached; at or past the end
of the chain the report is in its repeat phase.

No name or clinical detail leaves Waypoint in a message: only the level, the team and a link.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction

from waypoint.accounts.models import User
from waypoint.careteam.selectors import OnDuty
from waypoint.notifications.models import Channel
from waypoint.notifications.services import message_enqueue
from waypoint.triage.escalation.messages import message, note, send
from waypoint.triage.escalation.recipients import (
    STEP_LABELS,
    already_told,
    chain,
    duty_for,
    reachable,
    step_recipients,
    texts_allowed,
)
from waypoint.triage.models import EventKind, ReportEvent, ReportStatus, SymptomReport

__all__ = [
    "STEP_LABELS",
    "alert_first_step",
    "chain",
    "escalations_due",
    "escalations_run",
    "reachable",
    "step_recipients",
]

logger = logging.getLogger("waypoint.triage")


def _walk(
    report: SymptomReport,
    *,
    start: int,
    now: dt.datetime,
    kind: str,
    in_hours: bool,
    why: str = "",
    pass_key_worker_step: bool = False,
) -> int | None:
    """Alert the first chain step, from ``start``, with someone not already alerted who can be
    reached; answer its index, or None when the rest of the chain has nobody new.

    ``pass_key_worker_step``: the key worker (or cover) is off duty and is told for information
    instead, so their step is passed without a note.
    """
    steps = chain()
    told = already_told(report)
    texts = texts_allowed(report, in_hours=in_hours)
    for index in range(start, len(steps)):
        step = steps[index]
        label = STEP_LABELS[step]
        if step == "key_worker" and pass_key_worker_step:
            continue
        people = step_recipients(report, step, now=now)
        new = [u for u in people if u.pk not in told]
        for user in new:
            if not reachable(user, texts=texts):
                how = "email or mobile number" if texts else "email address (no texts at night)"
                note(
                    report,
                    now=now,
                    step=index,
                    detail=f"Cannot alert {user.display_name} ({label}): no {how} recorded",
                )
        ready = [u for u in new if reachable(u, texts=texts)]
        if ready and send(
            report,
            people=[(u, label) for u in ready],
            kind=kind,
            now=now,
            in_hours=in_hours,
            step=index,
            why=why,
        ):
            return index
        if not people:
            detail = f"Nobody to alert as {label}; moved on to the next step"
        elif not new:
            names = ", ".join(u.display_name for u in people)
            detail = (
                f"Nobody new to alert as {label} ({names}: already alerted for this report); "
                "moved on to the next step"
            )
        else:
            detail = f"Nobody who can be reached as {label}; moved on to the next step"
        note(report, now=now, step=index, detail=detail)
    return None


def _move_to(report: SymptomReport, index: int) -> None:
    """Record the chain position reached. Called only by the holder of the report's row lock
    (the submitting transaction, or the worker that claimed this step)."""
    if index != report.escalation_step:
        SymptomReport.objects.filter(pk=report.pk).update(escalation_step=index)
        report.escalation_step = index


def alert_first_step(*, report: SymptomReport, now: dt.datetime) -> None:
    """Tell the person on duty at once (see the module docstring)."""
    duty = duty_for(report, now=now)
    in_hours = duty.opening.is_open
    if duty.contact_on_duty:
        reached = _walk(report, start=0, now=now, kind=EventKind.ALERTED, in_hours=in_hours)
    else:
        why = f"{duty.why} ({duty.opening.rules_version})"
        reached = _walk(
            report,
            start=0,
            now=now,
            kind=EventKind.ALERTED,
            in_hours=in_hours,
            why=why,
            pass_key_worker_step=True,
        )
        contact = duty.contact.contact_person
        if reached is None:
            # Nobody on duty can be reached: the key worker (or cover) is asked to act after all.
            note(report, now=now, detail=f"Nobody on duty could be alerted: {why}")
            reached = _walk(report, start=0, now=now, kind=EventKind.ALERTED, in_hours=in_hours)
        elif contact is not None and contact.is_active and contact.pk not in already_told(report):
            label = "covering for the key worker" if duty.contact.covering else "key worker"
            _inform(report, contact=contact, label=label, now=now, why=duty.why, in_hours=in_hours)
    if reached is None:
        _move_to(report, len(chain()))
        _nobody_reachable(report, now=now)
        note(report, now=now, detail="Nobody to alert: the report waits on the team queue")
        return
    _move_to(report, reached)


def _inform(
    report: SymptomReport,
    *,
    contact: User,
    label: str,
    now: dt.datetime,
    why: str,
    in_hours: bool,
) -> None:
    if not contact.email:
        note(
            report,
            now=now,
            detail=f"Cannot tell {contact.display_name} ({label}) for information: "
            "no email address recorded",
        )
        return
    send(
        report,
        people=[(contact, label)],
        kind=EventKind.INFORMED,
        now=now,
        in_hours=in_hours,
        step=None,
        why=f"{why}; no action asked",
    )


def _nobody_reachable(report: SymptomReport, *, now: dt.datetime) -> None:
    """Mark the report and tell the safety address, once (the conditional UPDATE makes it once
    even if this were reached twice)."""
    if report.nobody_reachable_at is not None:
        return
    marked = SymptomReport.objects.filter(pk=report.pk, nobody_reachable_at__isnull=True).update(
        nobody_reachable_at=now
    )
    report.nobody_reachable_at = now
    if not marked:
        return
    address = settings.WAYPOINT_SAFETY_EMAIL
    if address:
        subject, body = message(report, kind=EventKind.UNREACHABLE, now=now)
        message_enqueue(
            channel=Channel.EMAIL,
            to=address,
            subject=subject,
            body=body,
            topic="triage.nobody_reachable",
            reference=str(report.pk),
            now=now,
        )
        told = f"the safety contact ({address}) was emailed"
    else:
        logger.error(
            "Symptom report %s (%s, team %s): nobody reachable in the escalation chain, and "
            "WAYPOINT_SAFETY_EMAIL is not set, so nobody outside the chain was told",
            report.pk,
            report.level,
            report.team_id,
        )
        told = "no safety contact is configured (WAYPOINT_SAFETY_EMAIL), so nobody outside the "
        told += "chain was told"
    ReportEvent.objects.create(
        report=report,
        at=now,
        kind=EventKind.UNREACHABLE,
        detail=f"Everyone in the escalation chain has been alerted; {told}. Alerts repeat to "
        "everyone on duty until a clinician acknowledges"[:300],
    )


def _on_duty_in_chain(
    report: SymptomReport, duty: OnDuty, *, now: dt.datetime, everyone: bool
) -> list[tuple[User, str]]:
    """Everyone on duty in the chain, each once with their first step's label. The key worker
    (or cover) counts only when on duty, unless ``everyone``; team leads and acute oncology nurses
    have no rota in Waypoint, so they count whenever they are not away."""
    found: dict[int, tuple[User, str]] = {}
    for step in chain():
        if step == "key_worker" and not everyone:
            people: Sequence[User] = duty.people if duty.contact_on_duty else ()
        else:
            people = step_recipients(report, step, now=now)
        for user in people:
            found.setdefault(user.pk, (user, STEP_LABELS[step]))
    return list(found.values())


def _repeat(report: SymptomReport, *, now: dt.datetime) -> None:
    """Alert everyone on duty in the chain again; if none of them can be reached, everyone in
    the chain who can be, on duty or not."""
    duty = duty_for(report, now=now)
    in_hours = duty.opening.is_open
    texts = texts_allowed(report, in_hours=in_hours)
    for everyone in (False, True):
        people = [
            (u, label)
            for u, label in _on_duty_in_chain(report, duty, now=now, everyone=everyone)
            if reachable(u, texts=texts)
        ]
        if people and send(
            report,
            people=people,
            kind=EventKind.ESCALATED,
            now=now,
            in_hours=in_hours,
            step=None,
            why="alerted again, nobody has acknowledged",
        ):
            return
    note(report, now=now, detail="Nobody to alert: the report waits on the team queue")


def _escalate(report: SymptomReport, *, now: dt.datetime) -> None:
    steps = chain()
    position = report.escalation_step
    if position < len(steps):
        in_hours = duty_for(report, now=now).opening.is_open
        reached = _walk(
            report, start=position, now=now, kind=EventKind.ESCALATED, in_hours=in_hours
        )
        if reached is not None:
            _move_to(report, reached)
            return
        _move_to(report, len(steps))
    _nobody_reachable(report, now=now)
    _repeat(report, now=now)


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
            report.escalation_step = step + 1
            _escalate(report, now=now)
            taken += 1
    return taken
