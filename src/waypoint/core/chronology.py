"""The shape of one event in a person's chronology, shared by every app that offers events.

It lives in core, the lowest layer, so that registry and careteam (below the timeline) can offer
their own entries without importing the apps that compose them; each app has a
``timeline_source.timeline_entries(patient)`` and the composing layer merges them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from django.utils import timezone

# Generic in the person so that core names no model of the apps above it (registry.Patient).
PatientT_contra = TypeVar("PatientT_contra", contravariant=True)


@dataclass(frozen=True)
class Entry:
    """One event of a person's care. ``at`` is known only for events stamped with a moment (a
    symptom report, a key-worker assignment); within a day those order the entries."""

    on: dt.date
    at: dt.datetime | None
    kind: str
    title: str
    detail: str
    plain: str  # what the person sees on the portal; empty when it is for the team only


class TimelineSource(Protocol[PatientT_contra]):
    """One app's events for one person, in the order its queries return them; a source costs a
    fixed number of queries however long the history is."""

    def __call__(self, patient: PatientT_contra, /) -> Iterable[Entry]: ...


def local_day(moment: dt.datetime) -> dt.date:
    """The day an event happened where the team works, not in UTC: an evening event stays on
    its own day."""
    return timezone.localtime(moment).date()
