"""One chronological timeline per person, fed by every capability.

Each app offers its own events (``<app>/timeline_source.py``); this composing layer, which may
import them all, merges them. The apps never import one another for it.
"""

from __future__ import annotations

import datetime as dt

from waypoint.assessments import timeline_source as assessments
from waypoint.careteam import timeline_source as careteam
from waypoint.core.chronology import Entry, TimelineSource
from waypoint.registry import timeline_source as registry
from waypoint.registry.models import Patient
from waypoint.support import timeline_source as support
from waypoint.timeline import timeline_source as timeline
from waypoint.treatment import timeline_source as treatment
from waypoint.triage import timeline_source as triage

__all__ = ["Entry", "timeline_for"]

SOURCES: tuple[TimelineSource[Patient], ...] = (
    registry.timeline_entries,
    treatment.timeline_entries,
    timeline.timeline_entries,
    careteam.timeline_entries,
    triage.timeline_entries,
    assessments.timeline_entries,
    support.timeline_entries,
)

# Events on the same day (and at the same moment, or none) keep this clinical order, whichever
# source offered them first; a kind not listed follows the listed ones.
SAME_DAY_ORDER = (
    "diagnosis",
    "treatment",
    "cycle",
    "biopsy",
    "receptor",
    "admission",
    "support_review",
    "progression",
    "response",
    "mdt",
    "contact",
    "key_worker",
    "symptoms",
    "assessment",
    "care_plan",
    "referral",
    "death",
)
_RANK = {kind: rank for rank, kind in enumerate(SAME_DAY_ORDER)}
_NO_MOMENT = dt.datetime.min.replace(tzinfo=dt.UTC)


def timeline_for(patient: Patient) -> list[Entry]:
    """Every event of the person's care, newest first."""
    entries = [entry for source in SOURCES for entry in source(patient)]
    # Two stable sorts: the kind's place breaks ties, each source's own order breaks the rest.
    entries.sort(key=lambda e: _RANK.get(e.kind, len(_RANK)))
    entries.sort(key=lambda e: (e.on, e.at or _NO_MOMENT), reverse=True)
    return entries
