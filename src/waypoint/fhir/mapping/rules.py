"""The clinical inferences the FHIR import makes, each versioned with its source beside the
threshold (docs/fhir.md "Inference rules"; hazard log HAZ-028 … HAZ-035).

Values without a published source are marked *proposed* and come from configuration
(``InboundConfig``, filled from WAYPOINT_FHIR_* settings).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from waypoint.fhir.mapping.drugs import line_kind

RULES_VERSION = "waypoint-fhir-inbound-1"


@dataclass(frozen=True)
class InboundConfig:
    # Proposed: metastases found within this many days of the first breast-cancer diagnosis are
    # "de novo" (metastatic at presentation). ESO-ESMO ABC 5 defines de novo as stage IV at first
    # diagnosis without a day count; registries commonly allow the staging period of about three
    # months. WAYPOINT_FHIR_DE_NOVO_WINDOW_DAYS.
    de_novo_window_days: int = 90
    # Proposed: what a secondary diagnosis with no primary date and no stage IV is recorded as.
    # "recurrence" (most metastatic breast cancer is a recurrence) or "reject" (an error).
    # WAYPOINT_FHIR_PRESENTATION_UNKNOWN.
    presentation_unknown: str = "recurrence"
    # Proposed: what to do with a Condition or tumour marker that carries no date. "earliest"
    # dates it on the earliest dated cancer-related resource of the same person in the bundle
    # (the diagnosis was made by then) and warns; "reject" makes it an error.
    # WAYPOINT_FHIR_UNDATED.
    undated: str = "earliest"
    # Proposed: drugs that start within this many days of a line's first drug belong to that
    # line (one regimen is started within one cycle, 21–28 days). WAYPOINT_FHIR_LINE_WINDOW_DAYS.
    line_window_days: int = 28


PRESENTATION_UNKNOWN_CHOICES = ("recurrence", "reject")
UNDATED_CHOICES = ("earliest", "reject")


def presentation_for(
    *,
    secondary_on: dt.date,
    primary_on: dt.date | None,
    primary_stage_iv: bool,
    config: InboundConfig,
) -> tuple[str | None, str]:
    """De novo or recurrence, and the reason (stored beside the decision in the outcome).

    ``None`` means it cannot be decided and the configuration says to reject.
    """
    if primary_stage_iv:
        return "de_novo", "the primary's stage is IV"
    if primary_on is not None:
        gap = (secondary_on - primary_on).days
        if gap <= config.de_novo_window_days:
            return (
                "de_novo",
                f"metastases {gap} days after the primary diagnosis "
                f"(within {config.de_novo_window_days})",
            )
        return (
            "recurrence",
            f"metastases {gap} days after the primary diagnosis "
            f"(more than {config.de_novo_window_days})",
        )
    if config.presentation_unknown == "reject":
        return None, "no primary diagnosis date and no stage IV"
    return "recurrence", "no primary diagnosis date and no stage IV: recorded as a recurrence"


def specimen_for(*, focus_kinds: Sequence[str], body_site_kinds: Sequence[str]) -> str:
    """Primary tumour, metastasis or not known, only from what the data says: the Condition the
    result is about (``focus``), or the body site of the Observation or its Specimen. A date is
    never used (a result after the metastatic diagnosis can still be a primary's)."""
    kinds = set(focus_kinds) | set(body_site_kinds)
    if kinds == {"primary"}:
        return "primary"
    if kinds == {"metastatic"}:
        return "metastatic"
    return "unknown"


# What a cancer disease status (mCODE CancerDiseaseStatus) becomes on the timeline.
# "improved" is recorded as a *partial* response: the status says the disease is better but not
# gone, and partial is the weakest response that is an improvement (RECIST 1.1 categories; the
# status itself is a clinician's judgement, not a RECIST measurement). Hazard HAZ-031.
DISEASE_STATUS_RULE: dict[str, tuple[str, str]] = {
    "worsened": ("progression", ""),
    "stable": ("response", "stable"),
    "improved": ("response", "partial"),
    "complete_remission": ("response", "complete"),
}


@dataclass(frozen=True)
class DoseEvent:
    """One medication resource: a drug given, taken or ordered on a day."""

    key: int  # the entry index
    drugs: tuple[str, ...]
    on: dt.date
    ended_on: dt.date | None
    finished: bool  # status completed or stopped
    curative: bool
    stop_reason: str = ""  # said by the resource (statusReason), else inferred


@dataclass(frozen=True)
class ExistingLine:
    line_id: int
    drugs: frozenset[str]
    started_on: dt.date


@dataclass(frozen=True)
class PlannedLine:
    """A line to start (``line_id`` None) or the existing active line continued."""

    line_id: int | None
    drugs: tuple[str, ...]
    kind: str
    started_on: dt.date
    dose_dates: tuple[dt.date, ...]
    keys: tuple[int, ...]
    curative: bool
    stopped_on: dt.date | None = None
    stop_reason: str = ""
    stop_reason_inferred: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)


def group_lines(
    events: Sequence[DoseEvent],
    *,
    existing: ExistingLine | None,
    progression_dates: Sequence[dt.date],
    config: InboundConfig,
) -> list[PlannedLine]:
    """Group medication resources into lines of therapy (waypoint-fhir-inbound-1).

    Drugs whose first dates fall within ``line_window_days`` of each other form one cluster. A
    cluster of drugs all already in the current line continues it (each date is a cycle); a
    cluster with any new drug starts the next line, which ends the previous one on the day it
    starts. Source: the ESO-ESMO ABC 5 and SACT dataset convention that a line is one regimen,
    and that a change of regimen (not a new cycle of the same) begins a new line.
    """
    ordered = sorted(events, key=lambda e: (e.on, e.drugs, e.key))
    clusters: list[list[DoseEvent]] = []
    for event in ordered:
        if clusters and (event.on - clusters[-1][0].on).days <= config.line_window_days:
            clusters[-1].append(event)
        else:
            clusters.append([event])
    drafts: list[_Draft] = []
    if existing is not None:
        drafts.append(_Draft(existing.line_id, set(existing.drugs), existing.started_on, []))
    for cluster in clusters:
        drugs = {d for e in cluster for d in e.drugs}
        if drafts and drugs <= drafts[-1].drugs:
            drafts[-1].events.extend(cluster)
        else:
            drafts.append(_Draft(None, drugs, cluster[0].on, list(cluster)))
    lines: list[PlannedLine] = []
    for i, draft in enumerate(drafts):
        stopped_on: dt.date | None = None
        reason = ""
        inferred = False
        notes: list[str] = []
        said = next((e.stop_reason for e in reversed(draft.events) if e.stop_reason), "")
        ends = [e.ended_on for e in draft.events if e.ended_on is not None]
        ended_on = max(ends) if ends and len(ends) == len(draft.events) else None
        if i + 1 < len(drafts):
            # A line ends on its recorded end date, or at the latest when the next one starts.
            next_start = drafts[i + 1].started_on
            stopped_on = min(ended_on, next_start) if ended_on else next_start
            if said:
                reason = said
                notes.append(f"stopped: {said}, as the medication resource says")
            elif any(draft.started_on < p <= next_start for p in progression_dates):
                reason = "progression"
                notes.append("stopped for progression: a worsened disease status before the next")
            else:
                reason, inferred = "completed", True
                notes.append("the next line started; the data does not say why this one stopped")
        elif draft.events and all(e.finished for e in draft.events):
            stopped_on = max(max(e.ended_on or e.on for e in draft.events), draft.started_on)
            if said:
                reason = said
                notes.append(f"stopped: {said}, as the medication resource says")
            else:
                reason, inferred = "completed", True
                notes.append("every medication of the line is completed or stopped")
        names = sorted(draft.drugs)
        lines.append(
            PlannedLine(
                line_id=draft.line_id,
                drugs=tuple(names),
                kind=line_kind(names),
                started_on=draft.started_on,
                dose_dates=tuple(sorted({e.on for e in draft.events})),
                keys=tuple(e.key for e in draft.events),
                curative=any(e.curative for e in draft.events),
                stopped_on=stopped_on,
                stop_reason=reason,
                stop_reason_inferred=inferred,
                notes=tuple(notes),
            )
        )
    return lines


@dataclass
class _Draft:
    line_id: int | None
    drugs: set[str]
    started_on: dt.date
    events: list[DoseEvent]


# statusReason words → Waypoint's reasons a line stopped (treatment.models.StopReason). Waypoint's
# own export sends the reason's label as text; other systems send free text or local codes, so
# only clear words count and anything else is left to the inference above.
_STOP_WORDS: tuple[tuple[str, str], ...] = (
    ("progress", "progression"),
    ("toxicit", "toxicity"),
    ("side effect", "toxicity"),
    ("adverse", "toxicity"),
    ("complet", "completed"),
    ("choice", "choice"),
    ("declin", "choice"),
    ("death", "death"),
    ("died", "death"),
)


def stop_reason_from(text: str) -> str:
    """The StopReason a statusReason's text names, or "" when it names none clearly."""
    words = text.lower()
    found = {reason for word, reason in _STOP_WORDS if word in words}
    return found.pop() if len(found) == 1 else ""
