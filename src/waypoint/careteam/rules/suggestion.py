"""Which key worker to suggest for a patient.

Not a clinical decision but it shapes one: an overloaded nurse is a patient-safety hazard
(docs/clinical-safety/hazard-log.md, HAZ-003). The suggestion balances caseloads within the
patient's team and never proposes someone who is on leave today when anyone else is available.
A clinician always confirms the assignment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

RULES_VERSION = "waypoint-keyworker-suggest-1"


@dataclass(frozen=True)
class Candidate:
    user_id: int
    name: str
    caseload: int
    on_leave: bool = False


@dataclass(frozen=True)
class Suggestion:
    user_id: int
    name: str
    caseload: int
    why: str
    rules_version: str = RULES_VERSION


def suggest_key_worker(candidates: Iterable[Candidate]) -> Suggestion | None:
    """The available candidate with the smallest caseload; ties go by name, then id."""
    pool = list(candidates)
    if not pool:
        return None
    available = [c for c in pool if not c.on_leave]
    chosen_from = available or pool
    best = min(chosen_from, key=lambda c: (c.caseload, c.name.casefold(), c.user_id))
    why = f"smallest caseload in the team ({best.caseload} people)"
    if not available:
        why += "; everyone in the team is on leave today"
    return Suggestion(user_id=best.user_id, name=best.name, caseload=best.caseload, why=why)


def distribute(patient_count: int, candidates: Sequence[Candidate]) -> list[int]:
    """User ids for ``patient_count`` patients, each going to the then-smallest caseload.

    Used when a nurse leaves and their whole caseload moves at once.
    """
    if patient_count and not candidates:
        raise ValueError("no candidates to distribute patients to")
    loads = {c.user_id: c for c in candidates}
    result: list[int] = []
    for _ in range(patient_count):
        suggestion = suggest_key_worker(loads.values())
        assert suggestion is not None  # noqa: S101  # candidates is non-empty
        result.append(suggestion.user_id)
        current = loads[suggestion.user_id]
        loads[suggestion.user_id] = Candidate(
            current.user_id, current.name, current.caseload + 1, current.on_leave
        )
    return result
