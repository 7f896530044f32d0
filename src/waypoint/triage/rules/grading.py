"""Grading a symptom report: waypoint-triage-1 (docs/design/triage-rules.md).

``parse_report`` checks raw input and collects every error, naming the item, before anything is
graded; ``triage`` grades a parsed report. Both are pure: the caller passes ``today`` and the
configuration. The outcome supports the clinician who reads it; it never replaces their judgement.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

import waypoint.triage.rules.free_text as free_text
from waypoint.triage.rules.advice import advice_for
from waypoint.triage.rules.config import DEFAULT_CONFIG, TriageConfig
from waypoint.triage.rules.vocabulary import SACT_KINDS, SYMPTOMS, Kind, Level, Pathway

RULES_VERSION = "waypoint-triage-1"

# Free-text concepts that a structured item of another code already captures.
_CAPTURED_BY = {"fever": "temperature"}


# --------------------------------------------------------------------------------------------
# Input


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    value: float  # the grade, count or measurement; 1.0/0.0 for a feature present/absent
    present: bool = True  # a measurement is always present; 0 means absent for the others


def make_item(code: str, value: float) -> Item:
    return Item(code, value, SYMPTOMS[code].kind is Kind.MEASURED or value != 0)


@dataclass(frozen=True)
class Context:
    last_sact_on: date | None = None
    sact_kind: str | None = None


@dataclass(frozen=True)
class Report:
    reported_at: datetime
    items: tuple[Item, ...]
    context: Context = field(default_factory=Context)
    free_text: str = ""


@dataclass(frozen=True)
class InputError:
    location: str  # "symptoms[2].grade", "context.sact_kind"
    message: str


class ReportInvalid(ValueError):
    def __init__(self, errors: Sequence[InputError]) -> None:
        super().__init__("; ".join(f"{e.location}: {e.message}" for e in errors))
        self.errors = tuple(errors)


def parse_items(
    raw: Sequence[Mapping[str, Any]], *, config: TriageConfig = DEFAULT_CONFIG
) -> tuple[Item, ...]:
    """Structured items from JSON-like input; every problem is reported, none is guessed."""
    errors: list[InputError] = []
    items: list[Item] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        where = f"symptoms[{index}]"
        if not isinstance(entry, Mapping):
            errors.append(InputError(where, "must be an object"))
            continue
        code = entry.get("code")
        if not isinstance(code, str) or code not in SYMPTOMS:
            errors.append(InputError(f"{where}.code", f"unknown symptom code {code!r}"))
            continue
        if code in seen:
            errors.append(InputError(f"{where}.code", f"{code} is given more than once"))
            continue
        seen.add(code)
        symptom = SYMPTOMS[code]
        key = symptom.field or symptom.kind.value
        extra = sorted(set(entry) - {"code", key})
        if extra:
            errors.append(InputError(f"{where}", f"{code} does not take {', '.join(extra)}"))
            continue
        if key not in entry:
            errors.append(InputError(f"{where}.{key}", f"{code} needs {key}"))
            continue
        value, problem = _check_value(code, symptom.kind, entry[key], config)
        if problem:
            errors.append(InputError(f"{where}.{key}", problem))
            continue
        items.append(make_item(code, value))
    if errors:
        raise ReportInvalid(errors)
    return tuple(items)


def _check_value(code: str, kind: Kind, value: object, c: TriageConfig) -> tuple[float, str | None]:
    if kind is Kind.FEATURE:
        if not isinstance(value, bool):
            return 0.0, "must be true or false"
        return (1.0 if value else 0.0), None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0, "must be a number"
    number = float(value)
    if not math.isfinite(number):
        return 0.0, "must be a number"
    if kind is Kind.GRADED:
        if not isinstance(value, int) or not 0 <= value <= 4:
            return 0.0, "must be a whole number from 0 to 4"
        return number, None
    if kind is Kind.COUNTED:
        if not isinstance(value, int) or value < 0:
            return 0.0, "must be a whole number, 0 or more"
        if value > c.count_max:
            return 0.0, f"must be at most {c.count_max}"
        return number, None
    low, high, unit = (
        (c.temperature_min_celsius, c.temperature_max_celsius, "°C")
        if code == "temperature"
        else (c.calcium_min_mmol_per_l, c.calcium_max_mmol_per_l, "mmol/L")
    )
    if not low <= number <= high:
        return 0.0, f"must be between {low:g} and {high:g} {unit}; check the reading"
    return number, None


def parse_context(raw: Mapping[str, Any] | None, *, today: date) -> Context:
    if raw is None:
        return Context()
    errors: list[InputError] = []
    extra = sorted(set(raw) - {"last_sact_on", "sact_kind"})
    if extra:
        errors.append(InputError("context", f"unknown fields: {', '.join(extra)}"))
    kind = raw.get("sact_kind")
    if kind is not None and kind not in SACT_KINDS:
        errors.append(InputError("context.sact_kind", f"must be one of {', '.join(SACT_KINDS)}"))
    last = raw.get("last_sact_on")
    if isinstance(last, str):
        try:
            last = date.fromisoformat(last)
        except ValueError:
            errors.append(InputError("context.last_sact_on", "must be a date (YYYY-MM-DD)"))
            last = None
    if last is not None and not isinstance(last, date):
        errors.append(InputError("context.last_sact_on", "must be a date (YYYY-MM-DD)"))
        last = None
    if isinstance(last, date) and last > today:
        errors.append(InputError("context.last_sact_on", "must not be after the report"))
    if (last is None) != (kind is None) and not errors:
        errors.append(InputError("context", "give last_sact_on and sact_kind together, or neither"))
    if errors:
        raise ReportInvalid(errors)
    return Context(last_sact_on=last, sact_kind=kind)


# --------------------------------------------------------------------------------------------
# Output


class Reason(NamedTuple):  # a NamedTuple: immutable, and cheap to build on every report
    code: str
    level: Level
    why: str


class Outcome(NamedTuple):
    level: Level
    reasons: tuple[Reason, ...]
    pathways: tuple[Pathway, ...]
    advice: str
    respond_within_minutes: int | None
    respond_by: datetime | None
    on_sact: bool
    needs_review: bool
    rules_version: str = RULES_VERSION


def on_sact(context: Context, *, today: date, config: TriageConfig = DEFAULT_CONFIG) -> bool:
    """triage-rules.md "Context": SACT within 42 days, immunotherapy within 365; endocrine never."""
    if context.last_sact_on is None or context.sact_kind in (None, "endocrine"):
        return False
    days = (today - context.last_sact_on).days
    window = (
        config.immunotherapy_window_days
        if context.sact_kind == "immunotherapy"
        else config.sact_window_days
    )
    return 0 <= days <= window


def triage(report: Report, *, today: date, config: TriageConfig = DEFAULT_CONFIG) -> Outcome:
    sact = on_sact(report.context, today=today, config=config)
    present = {item.code: item.value for item in report.items if item.present}
    reasons: list[Reason] = []
    pathways: list[Pathway] = []
    level = Level.GREEN
    ambers = 0
    for item in report.items:
        if not item.present:
            continue
        item_level, why, item_pathways = _grade(item, present, sact, config)
        reasons.append(Reason(item.code, item_level, why))
        for pathway in item_pathways:
            if pathway not in pathways:
                pathways.append(pathway)
        if item_level > level:
            level = item_level
        if item_level is Level.AMBER:
            ambers += 1

    if level < Level.RED and ambers >= config.multiple_amber_count:
        level = Level.RED
        reasons.append(
            Reason(
                "multiple_amber",
                Level.RED,
                f"{ambers} amber items: two or more ambers make the report red (UKONS)",
            )
        )

    needs_review = False
    for finding in free_text.screen(report.free_text) if report.free_text else ():
        captured_by = _CAPTURED_BY.get(finding.code, finding.code)
        if captured_by in present:
            continue
        needs_review = True
        label = free_text.CONCEPTS[finding.code].label
        reasons.append(
            Reason(
                f"free_text_{finding.code}",
                Level.AMBER,
                f'the person\'s words mention {label} ("{finding.phrase}"): a nurse must read them',
            )
        )
        level = max(level, Level.AMBER)

    minutes = _clock(level, config)
    found = tuple(pathways)
    return Outcome(
        level=level,
        reasons=tuple(reasons),
        pathways=found,
        advice=advice_for(level, found, on_sact=sact),
        respond_within_minutes=minutes,
        respond_by=None if minutes is None else report.reported_at + timedelta(minutes=minutes),
        on_sact=sact,
        needs_review=needs_review,
    )


def _clock(level: Level, c: TriageConfig) -> int | None:
    """triage-rules.md "Levels": the response clock of each level."""
    if level is Level.RED:
        return c.red_respond_within_minutes
    if level is Level.EMERGENCY:
        return c.emergency_respond_within_minutes
    if level is Level.AMBER:
        return c.amber_respond_within_minutes
    return None


# --------------------------------------------------------------------------------------------
# Per-item grading (triage-rules.md tables)

_DEFAULT_GRADE_LEVELS = (Level.GREEN, Level.AMBER, Level.RED, Level.EMERGENCY)  # grades 1..4
_GRADE_EXCEPTIONS: dict[str, tuple[Level, Level, Level, Level]] = {
    "bleeding": (Level.AMBER, Level.RED, Level.EMERGENCY, Level.EMERGENCY),
    "limb_swelling": (Level.AMBER, Level.RED, Level.RED, Level.RED),
    "vision": (Level.AMBER, Level.RED, Level.RED, Level.RED),
    "confusion": (Level.RED, Level.RED, Level.RED, Level.RED),
}

_FEATURES: dict[str, tuple[Level, tuple[Pathway, ...], str]] = {
    "chest_pain": (Level.EMERGENCY, (), "chest pain: call emergency services (UKONS)"),
    "collapse": (Level.EMERGENCY, (), "collapse: call emergency services (UKONS)"),
    "airway_compromise": (Level.EMERGENCY, (), "airway compromise: call emergency services"),
    "seizure": (Level.EMERGENCY, (Pathway.BRAIN_METASTASES,), "a new seizure"),
    "limb_weakness": (
        Level.RED,
        (Pathway.MSCC,),
        "new limb weakness: possible spinal cord compression (NICE NG234)",
    ),
    "difficulty_walking": (
        Level.RED,
        (Pathway.MSCC,),
        "new difficulty walking: possible spinal cord compression (NICE NG234)",
    ),
    "sensory_loss": (
        Level.RED,
        (Pathway.MSCC,),
        "new numbness in legs, buttocks or genitals: possible spinal cord compression (NICE NG234)",
    ),
    "bladder_bowel_dysfunction": (
        Level.RED,
        (Pathway.MSCC,),
        "new bladder or bowel dysfunction: possible spinal cord compression (NICE NG234)",
    ),
    "spinal_pain": (
        Level.AMBER,
        (Pathway.MSCC,),
        "new or worse spinal pain: MSCC coordinator review within 24 hours (NICE NG234)",
    ),
    "thirst_polyuria": (
        Level.AMBER,
        (Pathway.HYPERCALCAEMIA,),
        "thirst and polyuria: check corrected calcium within 24 hours",
    ),
}


def _grade(
    item: Item, present: Mapping[str, float], sact: bool, c: TriageConfig
) -> tuple[Level, str, tuple[Pathway, ...]]:
    code, value = item.code, item.value
    symptom = SYMPTOMS[code]
    if symptom.kind is Kind.GRADED:
        return _GRADED[code, int(value)]
    if code == "vomiting":
        return (
            _banded(value, c.vomiting_amber_from_episodes, c.vomiting_red_from_episodes),
            (f"vomiting {int(value)} times in 24 hours (CTCAE v5)"),
            (),
        )
    if code == "diarrhoea":
        return (
            _banded(value, c.diarrhoea_amber_from_stools, c.diarrhoea_red_from_stools),
            (f"diarrhoea {int(value)} stools above baseline in 24 hours (CTCAE v5)"),
            (),
        )
    if code == "constipation":
        return (
            _banded(value, c.constipation_amber_from_hours, c.constipation_red_from_hours),
            (f"bowels not opened for {int(value)} hours"),
            (),
        )
    if code == "temperature":
        return _temperature(value, sact, c)
    if code == "corrected_calcium":
        if value > c.calcium_red_above_mmol_per_l:
            level = Level.RED
        elif value > c.calcium_amber_above_mmol_per_l:
            level = Level.AMBER
        else:
            return Level.GREEN, f"corrected calcium {value:g} mmol/L", ()
        return level, f"corrected calcium {value:g} mmol/L", (Pathway.HYPERCALCAEMIA,)
    if code == "facial_swelling":
        if present.get("breathlessness", 0) >= 1:
            return (
                Level.RED,
                "facial, neck or arm swelling with breathlessness: possible SVCO",
                (Pathway.SVCO,),
            )
        return Level.AMBER, "facial, neck or arm swelling: possible SVCO", (Pathway.SVCO,)
    if code == "rigors":
        if sact:
            return (
                Level.RED,
                "rigors or feeling unwell on SACT: sepsis can occur without fever (NICE CG151)",
                (Pathway.NEUTROPENIC_SEPSIS,),
            )
        return Level.AMBER, "rigors or feeling unwell, not on SACT", ()
    level, feature_pathways, why = _FEATURES[code]
    if code == "airway_compromise" and "facial_swelling" in present:
        return level, f"{why}, with facial swelling: possible SVCO", (Pathway.SVCO,)
    return level, why, feature_pathways


def _graded_outcome(code: str, grade: int) -> tuple[Level, str, tuple[Pathway, ...]]:
    level = _GRADE_EXCEPTIONS.get(code, _DEFAULT_GRADE_LEVELS)[grade - 1]
    pathways: tuple[Pathway, ...] = ()
    if (code == "headache" and grade >= 3) or code == "vision":
        pathways = (Pathway.BRAIN_METASTASES,)
    elif code == "confusion":
        pathways = (Pathway.HYPERCALCAEMIA, Pathway.BRAIN_METASTASES)
    return level, f"{SYMPTOMS[code].label.lower()} grade {grade}", pathways


# Every graded item's outcome, worked out once: grading is on the path of every report.
_GRADED = {
    (code, grade): _graded_outcome(code, grade)
    for code, symptom in SYMPTOMS.items()
    if symptom.kind is Kind.GRADED
    for grade in range(1, 5)
}


def _banded(value: float, amber_from: float, red_from: float) -> Level:
    if value >= red_from:
        return Level.RED
    if value >= amber_from:
        return Level.AMBER
    return Level.GREEN


def _temperature(
    celsius: float, sact: bool, c: TriageConfig
) -> tuple[Level, str, tuple[Pathway, ...]]:
    reading = f"temperature {celsius:.1f} °C"
    if celsius < c.temperature_low_celsius:
        if sact:
            return (
                Level.RED,
                f"{reading}, below {c.temperature_low_celsius:.1f} on SACT: possible sepsis",
                (Pathway.NEUTROPENIC_SEPSIS,),
            )
        return Level.AMBER, f"{reading}, below {c.temperature_low_celsius:.1f}", ()
    if sact and celsius >= c.temperature_red_on_sact_celsius:
        return (
            Level.RED,
            f"{reading} on SACT (≥ {c.temperature_red_on_sact_celsius:.1f}): possible "
            "neutropenic sepsis (NICE CG151)",
            (Pathway.NEUTROPENIC_SEPSIS,),
        )
    if not sact and celsius >= c.temperature_amber_off_sact_celsius:
        return (
            Level.AMBER,
            f"{reading}, not on SACT (≥ {c.temperature_amber_off_sact_celsius:.1f})",
            (),
        )
    return Level.GREEN, f"{reading}, in the normal range", ()
