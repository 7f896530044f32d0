"""One pass of background work: assessment and experience-survey invitations (hourly),
check-ins, escalations, then the outbox.

Every job claims its rows with a conditional UPDATE (or a unique constraint), so any number of
workers can run at once without doing the same thing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from waypoint.assessments.services import hna_invitations_scan
from waypoint.experience.services import (
    experience_invitations_lapse,
    experience_invitations_scan,
)
from waypoint.notifications.services import outbox_deliver_due
from waypoint.support.sessions import session_reminders_send
from waypoint.triage.escalation import escalations_run
from waypoint.triage.monitoring import check_ins_close_missed, check_ins_schedule


@dataclass(frozen=True)
class PassResult:
    assessment_invitations: int
    check_ins_missed: int
    check_ins_opened: int
    escalations: int
    session_reminders: int
    sent: int
    retrying: int
    failed: int
    experience_invitations: int = 0
    experience_lapsed: int = 0

    @property
    def busy(self) -> bool:
        return any(
            (
                self.assessment_invitations,
                self.check_ins_opened,
                self.escalations,
                self.session_reminders,
                self.sent,
                self.retrying,
                self.failed,
                self.experience_invitations,
                self.experience_lapsed,
            )
        )


def run_pass(
    *, now: dt.datetime, worker_id: str, batch: int = 200, hourly: bool = False
) -> PassResult:
    """One pass; ``hourly`` adds the jobs that scan the whole registry (assessment invitations)."""
    invitations = hna_invitations_scan(now=now) if hourly else 0
    experience_lapsed = experience_invitations_lapse(now=now) if hourly else 0
    experience_invitations = experience_invitations_scan(now=now) if hourly else 0
    missed = check_ins_close_missed(now=now)
    opened = check_ins_schedule(now=now, limit=batch)
    escalated = escalations_run(now=now, limit=batch)
    reminders = session_reminders_send(now=now)
    delivered = outbox_deliver_due(now=now, worker_id=worker_id, limit=batch)
    return PassResult(
        assessment_invitations=invitations,
        check_ins_missed=missed,
        check_ins_opened=opened,
        escalations=escalated,
        session_reminders=reminders,
        sent=delivered.sent,
        retrying=delivered.retrying,
        failed=delivered.failed,
        experience_invitations=experience_invitations,
        experience_lapsed=experience_lapsed,
    )
