"""Turning stored reports and outcomes into what pages show: words, never internal codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from waypoint.triage.models import Source, SymptomReport
from waypoint.triage.rules import advice
from waypoint.triage.rules.advice import LEVELS, PATHWAYS, LevelAdvice, PathwayAdvice, read_out_for
from waypoint.triage.rules.config import thresholds_are_default, thresholds_fingerprint
from waypoint.triage.rules.grading import RULES_VERSION, Outcome
from waypoint.triage.rules.vocabulary import SYMPTOMS, Kind, Level, Pathway

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
    pathways: tuple[PathwayAdvice, ...]
    advice: str  # what the person was told, as stored with the report
    read_out: str  # what a nurse says to a caller on the line (triage/rules/advice.py)
    card: LevelAdvice
    respond_within_minutes: int | None
    respond_by: dt.datetime | None
    rules_version: str
    thresholds_fingerprint: str  # blank: graded before the thresholds were recorded
    needs_review: bool
    on_sact: bool

    @property
    def thresholds_words(self) -> str:
        """Which thresholds graded it, said to staff beside the rules version."""
        return thresholds_words(self.thresholds_fingerprint, rules_version=self.rules_version)

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


def source_words(report: SymptomReport) -> str:
    """Where a report came from, for staff: a carer's report names the carer and who they are to
    the person ("Reported by Sam Patel (daughter)"), since a clinician calling back needs to know
    they are hearing it second-hand."""
    if report.source != Source.CARER:
        return report.get_source_display()
    name = report.submitted_by.display_name
    if report.reported_by_relationship:
        return f"Reported by {name} ({report.reported_by_relationship})"
    return f"Reported by {name} (carer)"


def outcome_view(source: SymptomReport | Outcome) -> OutcomeView:
    if isinstance(source, SymptomReport):
        level = source.level
        reasons: Sequence[dict[str, Any]] = source.reasons
        pathways = [Pathway(p) for p in source.pathways]
        on_sact = source.on_sact
        fingerprint = source.thresholds_fingerprint
    else:
        # A preview, graded just now by triage_grade with the configuration in force.
        fingerprint = thresholds_fingerprint(
            settings.WAYPOINT_TRIAGE_CONFIG, rules_version=source.rules_version
        )
        level = source.level.code
        reasons = [{"code": r.code, "level": r.level.code, "why": r.why} for r in source.reasons]
        pathways = list(source.pathways)
        on_sact = source.on_sact
    graded = Level.from_code(level)
    return OutcomeView(
        level=level,
        level_words=LEVEL_WORDS[level],
        tag_class=LEVEL_TAG[level],
        icon=LEVEL_ICON[level],
        reasons=tuple(
            ReasonView(level=r["level"], words=LEVEL_WORDS[r["level"]], why=r["why"])
            for r in reasons
        ),
        pathways=tuple(PATHWAYS[p] for p in pathways),
        advice=source.advice,
        read_out=read_out_for(graded, tuple(pathways), on_sact=on_sact),
        card=LEVELS[graded],
        respond_within_minutes=source.respond_within_minutes,
        respond_by=source.respond_by,
        rules_version=source.rules_version,
        thresholds_fingerprint=fingerprint,
        needs_review=source.needs_review,
        on_sact=source.on_sact,
    )


def thresholds_in_force_words() -> str:
    """The thresholds reports are graded with now, for pages that speak of grading in general."""
    fingerprint = thresholds_fingerprint(
        settings.WAYPOINT_TRIAGE_CONFIG, rules_version=RULES_VERSION
    )
    return thresholds_words(fingerprint, rules_version=RULES_VERSION)


def thresholds_words(fingerprint: str, *, rules_version: str) -> str:
    """Staff read "thresholds 7eb66bf8d151, the default set", the deployment's own, or that the
    thresholds were not recorded (reports graded before the fingerprint was kept)."""
    if not fingerprint:
        return "thresholds not recorded"
    if thresholds_are_default(fingerprint, rules_version=rules_version):
        return f"thresholds {fingerprint}, the default set"
    return f"thresholds {fingerprint}, this deployment's local overrides"


def _number(value: object) -> str:
    """A stored number as typed (38.2 stays 38.2, 72.0 reads 72), or "not given"."""
    if value is None or value == "":
        return "not given"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def describe_items(
    symptoms: Sequence[dict[str, Any]], *, for_person: bool = False
) -> list[tuple[str, str]]:
    """(label, answer) pairs in plain words for each submitted item.

    The person reads their own question and the answer they chose, with its unit ("Hours since
    you last opened your bowels: 72", "Sore mouth: Painful, but you can eat soft food"); a nurse
    reads the clinical label with the same words, and the grade beside them for the grading.
    """
    rows = []
    for entry in symptoms:
        symptom = SYMPTOMS.get(entry.get("code", ""))
        if symptom is None:
            continue
        label = symptom.question if for_person else symptom.label
        if symptom.kind is Kind.FEATURE:
            answer = "Yes" if entry.get("present") else "No"
        elif symptom.kind is Kind.GRADED:
            grade = int(entry.get("grade", 0))
            if 0 < grade <= len(symptom.grades):
                answer = symptom.grades[grade - 1]
                if not for_person:
                    answer += f" (grade {grade})"
            else:
                answer = "Not at all" if for_person else "None (grade 0)"
        else:
            number = _number(entry.get(symptom.field))
            if for_person:
                label = symptom.answer_label or symptom.question
                unit = symptom.unit if symptom.kind is Kind.MEASURED else ""
            else:
                unit = symptom.unit
            answer = f"{number} {unit}" if unit and number != "not given" else number
        rows.append((label, answer))
    return rows


@dataclass(frozen=True)
class HelpNow:
    """The warning signs, in the person's words, for the portal home page and the resource pack."""

    emergency_call: str
    emergency_signs: tuple[str, ...]
    emergency_note: str
    urgent_call: str
    urgent_signs: tuple[str, ...]
    urgent_note: str
    do_not_wait: str
    version: str


HELP_NOW = HelpNow(
    emergency_call=advice.EMERGENCY_CALL,
    emergency_signs=tuple(s.words for s in advice.EMERGENCY_SIGNS),
    emergency_note=advice.EMERGENCY_NOTE,
    urgent_call=advice.URGENT_CALL,
    urgent_signs=tuple(s.words for s in advice.URGENT_SIGNS),
    urgent_note=advice.URGENT_NOTE,
    do_not_wait=advice.DO_NOT_WAIT,
    version=advice.ADVICE_VERSION,
)
