"""The portal symptom check, one question per page (docs/design/ux.md).

The answers so far live in the session as a draft, so a person who leaves and comes back finds
them kept. The steps depend on the answers: each symptom that has a severity gets its own page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from waypoint.triage.rules.vocabulary import SYMPTOMS, Kind, Symptom

EMERGENCY_CODES = ("chest_pain", "collapse", "airway_compromise", "seizure")
SESSION_KEY = "symptom_check"

# Plain-words overrides for questions about "you", where the vocabulary's wording is a heading.
EMERGENCY_WORDS = {
    "chest_pain": "Chest pain",
    "collapse": "You collapsed, fainted or passed out",
    "airway_compromise": "Noisy breathing, choking, or your lips or tongue are swelling",
    "seizure": "You had a fit (seizure)",
}

TREATMENT_CHOICES = [
    ("sact", "Yes: chemotherapy, targeted therapy or HER2 therapy in the last 6 weeks"),
    ("immunotherapy", "Yes: immunotherapy in the last 12 months"),
    ("endocrine", "Only hormone tablets or injections"),
    ("none", "No"),
    ("not_sure", "I'm not sure"),
]


def reportable() -> list[Symptom]:
    """What the person may tick on the symptoms page (not the emergencies, not lab results)."""
    return [
        s for code, s in SYMPTOMS.items() if code not in EMERGENCY_CODES and not s.clinician_only
    ]


@dataclass
class Draft:
    key: str
    emergency: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    treatment: str = ""
    free_text: str = ""

    @classmethod
    def load(cls, raw: dict[str, Any] | None, *, new_key: str) -> Draft:
        if not raw:
            return cls(key=new_key)
        return cls(
            key=raw.get("key") or new_key,
            emergency=list(raw.get("emergency", [])),
            selected=list(raw.get("selected", [])),
            answers=dict(raw.get("answers", {})),
            treatment=raw.get("treatment", ""),
            free_text=raw.get("free_text", ""),
        )

    def dump(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "emergency": self.emergency,
            "selected": self.selected,
            "answers": self.answers,
            "treatment": self.treatment,
            "free_text": self.free_text,
        }

    def needs_treatment_question(self, *, on_active_sact_line: bool) -> bool:
        return not on_active_sact_line and bool({"temperature", "rigors"} & set(self.selected))

    def steps(self, *, on_active_sact_line: bool) -> list[str]:
        steps = ["emergency", "symptoms"]
        steps += [
            f"item-{code}"
            for code in self.selected
            if code in SYMPTOMS and SYMPTOMS[code].kind is not Kind.FEATURE
        ]
        if self.needs_treatment_question(on_active_sact_line=on_active_sact_line):
            steps.append("treatment")
        steps += ["more", "check"]
        return steps

    def symptoms(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = [{"code": c, "present": True} for c in self.emergency]
        for code in self.selected:
            symptom = SYMPTOMS.get(code)
            if symptom is None:
                continue
            if symptom.kind is Kind.FEATURE:
                items.append({"code": code, "present": True})
                continue
            value = self.answers.get(code)
            if value is None:
                continue
            if symptom.kind is Kind.GRADED:
                items.append({"code": code, "grade": int(value)})
            elif symptom.kind is Kind.COUNTED:
                items.append({"code": code, symptom.field: int(value)})
            else:
                items.append({"code": code, symptom.field: float(value)})
        return items

    def context(self, *, today: dt.date) -> dict[str, Any] | None:
        """The person's answer about treatment; "not sure" is taken as on treatment (safer)."""
        kind = {"sact": "chemotherapy", "not_sure": "chemotherapy"}.get(self.treatment)
        if self.treatment == "immunotherapy":
            kind = "immunotherapy"
        if kind is None:
            return None
        return {"last_sact_on": today.isoformat(), "sact_kind": kind}


def previous_step(steps: list[str], step: str) -> str | None:
    index = steps.index(step)
    return steps[index - 1] if index > 0 else None


def next_step(steps: list[str], step: str) -> str:
    index = steps.index(step)
    return steps[min(index + 1, len(steps) - 1)]
