"""The holistic needs assessment (HNA), version waypoint-hna-1: its questions, scoring and
distress rule.

Modelled on the distress thermometer and problem list (NCCN Distress Management guideline) and the
concerns checklist of the Macmillan eHNA: a distress score from 0 to 10, then concerns grouped by
domain, each rated 0 (no concern) to 10 (the biggest concern), then the person's own words. Stored
and exported in the shape of a FHIR R4 Questionnaire. Supports, never replaces, the conversation
between the person and their key worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

RULES_VERSION = "waypoint-hna-1"

# NCCN Distress Management (v2.2024), DIS-3: a distress thermometer score of 4 or more warrants
# further evaluation and referral to psychosocial services as needed (care-standards.md DT1).
DISTRESS_REFERRAL_THRESHOLD = 4
# Concerns rated this high or more are proposed for the care and support plan (*proposed*; the
# person and key worker choose).
PLAN_CONCERN_THRESHOLD = 5

DISTRESS = "distress"
FREE_TEXT = "anything_else"


@dataclass(frozen=True)
class Concern:
    code: str  # "<domain>.<concern>", the FHIR linkId
    text: str


@dataclass(frozen=True)
class Domain:
    code: str
    title: str
    concerns: tuple[Concern, ...]


def _domain(code: str, title: str, *concerns: tuple[str, str]) -> Domain:
    return Domain(code, title, tuple(Concern(f"{code}.{c}", t) for c, t in concerns))


DOMAINS: tuple[Domain, ...] = (
    _domain(
        "physical",
        "Physical",
        ("pain", "Pain"),
        ("fatigue", "Tiredness, exhaustion or fatigue"),
        ("breathing", "Breathing difficulties"),
        ("sleep", "Sleep problems"),
        ("eating", "Eating, appetite or taste"),
        ("mobility", "Getting around, walking"),
        ("memory", "Memory or concentration"),
        ("body_image", "Changes in how I look"),
    ),
    _domain(
        "emotional",
        "Emotional",
        ("worry", "Worry, fear or anxiety"),
        ("sadness", "Sadness or depression"),
        ("anger", "Anger or frustration"),
        ("future", "Fear of the cancer getting worse"),
        ("loneliness", "Loneliness or isolation"),
    ),
    _domain(
        "practical",
        "Practical and financial",
        ("money", "Money or finance"),
        ("benefits", "Benefits and grants"),
        ("work", "Work or education"),
        ("housing", "Housing"),
        ("transport", "Transport or parking"),
        ("caring", "Caring for someone else"),
    ),
    _domain(
        "family",
        "Family and relationships",
        ("partner", "Partner"),
        ("children", "Children"),
        ("family", "Other family or friends"),
        ("intimacy", "Sex and intimacy"),
    ),
    _domain(
        "spiritual",
        "Spiritual",
        ("meaning", "Loss of meaning or purpose in life"),
        ("faith", "Faith or spiritual concerns"),
        ("regret", "Feeling guilty or regretful"),
    ),
    _domain(
        "information",
        "Information",
        ("treatment", "Understanding my illness or treatment"),
        ("future_care", "What will happen and planning ahead"),
        ("contact", "Knowing whom to contact and when"),
    ),
)
CONCERNS: dict[str, Concern] = {c.code: c for d in DOMAINS for c in d.concerns}


def questionnaire_url(canonical: str) -> str:
    """The questionnaire's canonical URL under the deployment's FHIR base (WAYPOINT_FHIR_BASE_URL,
    passed in by the caller)."""
    return f"{canonical}/Questionnaire/hna"


def questionnaire_resource(*, canonical: str) -> dict[str, Any]:
    """The questionnaire as a FHIR R4 Questionnaire resource."""

    def scale(link_id: str, text: str) -> dict[str, Any]:
        return {
            "linkId": link_id,
            "text": text,
            "type": "integer",
            "extension": [
                {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 0},
                {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 10},
            ],
        }

    return {
        "resourceType": "Questionnaire",
        "url": questionnaire_url(canonical),
        "version": RULES_VERSION,
        "name": "HolisticNeedsAssessment",
        "title": "Holistic needs assessment",
        "status": "active",
        "item": [
            scale(DISTRESS, "How much distress have you felt in the past week, from 0 to 10?"),
            *(
                {
                    "linkId": d.code,
                    "text": d.title,
                    "type": "group",
                    "item": [scale(c.code, c.text) for c in d.concerns],
                }
                for d in DOMAINS
            ),
            {"linkId": FREE_TEXT, "text": "Anything else you want to tell us", "type": "text"},
        ],
    }


class AnswersInvalid(ValueError):
    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


def check_answers(answers: Mapping[str, object], *, complete: bool) -> dict[str, int | str]:
    """Validated answers. A saved draft may be partial; a completed HNA needs the distress score."""
    errors: dict[str, str] = {}
    clean: dict[str, int | str] = {}
    for key, value in answers.items():
        if key == FREE_TEXT:
            if not isinstance(value, str) or len(value) > 4000:
                errors[key] = "must be text of at most 4000 characters"
            elif value.strip():
                clean[key] = value.strip()
            continue
        if key != DISTRESS and key not in CONCERNS:
            errors[key] = "is not a question of this assessment"
            continue
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            errors[key] = "must be a whole number from 0 to 10"
            continue
        clean[key] = value
    if complete and DISTRESS not in clean and DISTRESS not in errors:
        errors[DISTRESS] = "give a distress score from 0 to 10 before finishing"
    if errors:
        raise AnswersInvalid(errors)
    return clean


@dataclass(frozen=True)
class Score:
    distress: int | None
    needs_psychosocial_referral: bool
    domain_highest: dict[str, int]
    top_concerns: tuple[tuple[Concern, int], ...]  # rated ≥ PLAN_CONCERN_THRESHOLD, highest first
    rules_version: str = RULES_VERSION


def score(answers: Mapping[str, int | str]) -> Score:
    distress = answers.get(DISTRESS)
    distress_value = distress if isinstance(distress, int) else None
    highest: dict[str, int] = {}
    rated: list[tuple[Concern, int]] = []
    for domain in DOMAINS:
        values = [v for c in domain.concerns if isinstance(v := answers.get(c.code), int)]
        highest[domain.code] = max(values, default=0)
        rated.extend(
            (c, v)
            for c in domain.concerns
            if isinstance(v := answers.get(c.code), int) and v >= PLAN_CONCERN_THRESHOLD
        )
    order = {c.code: i for i, c in enumerate(CONCERNS.values())}
    rated.sort(key=lambda cv: (-cv[1], order[cv[0].code]))
    return Score(
        distress=distress_value,
        needs_psychosocial_referral=distress_value is not None
        and distress_value >= DISTRESS_REFERRAL_THRESHOLD,
        domain_highest=highest,
        top_concerns=tuple(rated),
    )
