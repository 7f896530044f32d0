"""What every resource mapper shares: R4B validation, dates, codings, reference resolution and
the work one pass over a bundle collects."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from waypoint.fhir.mapping.inbound.records import (
    BiopsyIn,
    DiseaseStatusIn,
    EntryRef,
    MedicationIn,
    PatientIn,
    SkippedIn,
)
from waypoint.fhir.mapping.issues import Issue, error, information, warning
from waypoint.fhir.mapping.rules import (
    InboundConfig,
)

# ---------------------------------------------------------------------------- helpers


def canonical_hash(resource: Mapping[str, Any]) -> str:
    text = json.dumps(resource, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _pydantic_path(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif "[" in part or "," in part or " " in part:  # a validator's label, not an element
            continue
        else:
            out += f".{part}"
    return out


def validation_issues(resource: Mapping[str, Any], path: str) -> list[Issue]:
    """Validate with the R4B model of the resource's type; each pydantic error is an issue."""
    resource_type = str(resource.get("resourceType", ""))
    try:
        model = get_fhir_model_class(resource_type)
    except KeyError:
        return [error("not-supported", f"'{resource_type}' is not an R4 resource type.", path)]
    try:
        model.model_validate(dict(resource))
    except ValidationError as exc:
        return [
            error(
                "invalid",
                f"{resource_type} is not valid R4: {e['msg']}"
                + (f" (got {str(e['input'])[:60]!r})" if e["type"] != "missing" else ""),
                path + _pydantic_path(e["loc"]),
            )
            for e in exc.errors()
        ]
    return []


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def fhir_date(value: object) -> dt.date | None:
    """The calendar date of a FHIR date or dateTime as written (a dateTime's own offset, not
    converted): the day the clinician recorded. Partial dates (``2019``, ``2019-04``) give None."""
    if not isinstance(value, str):
        return None
    match = _DATE.match(value)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _codings(concept: object) -> list[tuple[str, str, str]]:
    if not isinstance(concept, Mapping):
        return []
    out = []
    for c in concept.get("coding") or []:
        if isinstance(c, Mapping):
            out.append(
                (str(c.get("system", "")), str(c.get("code", "")), str(c.get("display", "")))
            )
    return out


def _text(concept: object) -> str:
    if not isinstance(concept, Mapping):
        return ""
    if concept.get("text"):
        return str(concept["text"])
    for _, _, display in _codings(concept):
        if display:
            return display
    return ""


def _profiles(resource: Mapping[str, Any]) -> set[str]:
    meta = resource.get("meta") or {}
    return {str(p).split("|")[0] for p in meta.get("profile") or []}


def _status(concept: object) -> str:
    for _, code, _ in _codings(concept):
        return code
    return ""


def _extension_codes(resource: Mapping[str, Any], urls: frozenset[str]) -> list[str]:
    found: list[str] = []
    for ext in resource.get("extension") or []:
        if ext.get("url") in urls:
            concept = ext.get("valueCodeableConcept")
            if concept is None and ext.get("valueCoding"):
                concept = {"coding": [ext["valueCoding"]]}
            found.extend(code for _, code, _ in _codings(concept))
    return found


# ---------------------------------------------------------------------------- references


class _Index:
    def __init__(self, entries: list[EntryRef]) -> None:
        self.by_key: dict[str, EntryRef] = {}
        for e in entries:
            if e.full_url:
                self.by_key.setdefault(e.full_url, e)
                tail = "/".join(e.full_url.rstrip("/").split("/")[-2:])
                if "/" in tail and not e.full_url.startswith("urn:"):
                    self.by_key.setdefault(tail, e)
            rid = e.raw.get("id")
            if rid:
                self.by_key.setdefault(f"{e.resource_type}/{rid}", e)

    def resolve(self, reference: object) -> EntryRef | None:
        if not isinstance(reference, Mapping):
            return None
        ref = str(reference.get("reference", ""))
        if not ref:
            return None
        found = self.by_key.get(ref)
        if found is None and not ref.startswith("urn:"):
            found = self.by_key.get("/".join(ref.rstrip("/").split("/")[-2:]))
        return found


# ------------------------------------------------------------------------ the pass over a bundle


@dataclass
class _Work:
    """What one pass over the bundle collects, before the per-person rules run."""

    config: InboundConfig
    index: _Index
    issues: list[Issue] = field(default_factory=list)
    patients: dict[int, PatientIn] = field(default_factory=dict)
    primary: dict[int, list[tuple[EntryRef, dt.date | None, str, bool]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    secondary: dict[int, list[tuple[EntryRef, dt.date | None, list[tuple[str, str]]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    receptors: dict[int, list[tuple[EntryRef, str, str, dt.date | None, str, str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    statuses: dict[int, list[DiseaseStatusIn]] = field(default_factory=lambda: defaultdict(list))
    medications: dict[int, list[MedicationIn]] = field(default_factory=lambda: defaultdict(list))
    biopsies: dict[int, list[BiopsyIn]] = field(default_factory=lambda: defaultdict(list))
    skipped: dict[int, list[SkippedIn]] = field(default_factory=lambda: defaultdict(list))
    unattached: list[SkippedIn] = field(default_factory=list)
    stage_iv: set[int] = field(default_factory=set)
    condition_kind: dict[int, str] = field(default_factory=dict)  # entry index → primary/metastatic

    def skip(
        self, entry: EntryRef, patient: int | None, reason: str, *, level: str = "info"
    ) -> None:
        make = information if level == "info" else warning
        self.issues.append(
            make("informational" if level == "info" else "not-supported", reason, entry.path)
        )
        skipped = SkippedIn(entry, reason)
        if patient is None:
            self.unattached.append(skipped)
        else:
            self.skipped[patient].append(skipped)

    def patient_of(self, entry: EntryRef, *, required: bool) -> int | None:
        """The entry index of the Patient the resource is about, or None (reported)."""
        subject = entry.raw.get("subject") or entry.raw.get("patient")
        target = self.index.resolve(subject)
        if target is not None and target.resource_type == "Patient":
            return target.index
        if required:
            ref = subject.get("reference") if isinstance(subject, Mapping) else None
            self.issues.append(
                error(
                    "not-found",
                    f"{entry.resource_type}: its patient ({ref or 'no subject'}) is not in the "
                    "bundle. Send the Patient in the same bundle.",
                    entry.path + ".subject",
                )
            )
        return None
