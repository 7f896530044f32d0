"""Turning stored reports and outcomes into what pages show: words, never internal codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from waypoint.triage.models import SymptomReport
from waypoint.triage.rules.advice import PATHWAY_ACTIONS, PathwayAction
from waypoint.triage.rules.grading import Outcome
from waypoint.triage.rules.vocabulary import SYMPTOMS, Kind, Pathway

LEVEL_WORDS = {
    "emergency": "Emergency",
    "red": "Red – urgent",
    "amber": "Amber – review within 24 hours",
    "green": "Green – self-care",
}
LEVEL_TAG = {
    "emergency": "nhsuk-tag--red",
    "red": "nhsuk-tag--red",
    "amber": "nhsuk-tag--orange",
    "green": "nhsuk-tag--green",
}
LEVEL_ICON = {"emergency": "!!", "red": "!", "amber": "~", "green": "✓"}


@dataclass(frozen=True)
class ReasonView:
    level: str
    words: str
    why: str


@dataclass(frozen=True)
class OutcomeView:
    level: str
    level_words: str
    tag_class: str
    icon: str
    reasons: tuple[ReasonView, ...]
    pathways: tuple[PathwayAction, ...]
    advice: str
    respond_within_minutes: int | None
    respond_by: dt.datetime | None
    rules_version: str
    needs_review: bool
    on_sact: bool

    @property
    def clock_words(self) -> str:
        minutes = self.respond_within_minutes
        if minutes is None:
            return "No response clock (routine follow-up)"
        if minutes == 0:
            return "At once"
        if minutes < 120:
            return f"Within {minutes} minutes"
        return f"Within {minutes // 60} hours"


def outcome_view(source: SymptomReport | Outcome) -> OutcomeView:
    if isinstance(source, SymptomReport):
        level = source.level
        reasons: Sequence[dict[str, Any]] = source.reasons
        pathways = [Pathway(p) for p in source.pathways]
    else:
        level = source.level.code
        reasons = [{"code": r.code, "level": r.level.code, "why": r.why} for r in source.reasons]
        pathways = list(source.pathways)
    return OutcomeView(
        level=level,
        level_words=LEVEL_WORDS[level],
        tag_class=LEVEL_TAG[level],
        icon=LEVEL_ICON[level],
        reasons=tuple(
            ReasonView(level=r["level"], words=LEVEL_WORDS[r["level"]], why=r["why"])
            for r in reasons
        ),
        pathways=tuple(PATHWAY_ACTIONS[p] for p in pathways),
        advice=source.advice,
        respond_within_minutes=source.respond_within_minutes,
        respond_by=source.respond_by,
        rules_version=source.rules_version,
        needs_review=source.needs_review,
        on_sact=source.on_sact,
    )


def describe_items(symptoms: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """(label, answer) pairs in plain words for each submitted item."""
    rows = []
    for entry in symptoms:
        symptom = SYMPTOMS.get(entry.get("code", ""))
        if symptom is None:
            continue
        if symptom.kind is Kind.FEATURE:
            answer = "Yes" if entry.get("present") else "No"
        elif symptom.kind is Kind.GRADED:
            grade = int(entry.get("grade", 0))
            words = symptom.grades[grade - 1] if 0 < grade <= len(symptom.grades) else ""
            answer = f"Grade {grade}" + (f": {words}" if words else "")
            if grade == 0:
                answer = "None"
        elif symptom.code == "temperature":
            answer = f"{entry.get('celsius')} °C"
        elif symptom.code == "corrected_calcium":
            answer = f"{entry.get('mmol_per_l')} mmol/L"
        else:
            answer = str(entry.get(symptom.field))
        rows.append((symptom.label, answer))
    return rows
