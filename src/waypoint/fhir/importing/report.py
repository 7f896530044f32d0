"""What an import answers: every issue found, what was written, and one result per bundle entry,
which ``bundle_response`` turns into the transaction-response Bundle."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from waypoint.fhir.mapping.issues import Issue


@dataclass
class EntryResult:
    index: int
    status: str  # "201 Created" | "200 OK" | "422 Unprocessable Entity"
    location: str = ""


@dataclass
class ImportReport:
    bundle_type: str
    dry_run: bool
    issues: list[Issue] = field(default_factory=list)
    written: bool = False
    created: Counter[str] = field(default_factory=Counter)
    unchanged: int = 0
    entries: dict[int, EntryResult] = field(default_factory=dict)
    patient_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(i.is_error for i in self.issues)


def bundle_response(report: ImportReport, bundle: Mapping[str, Any]) -> dict[str, Any]:
    """A transaction-response (or batch-response) Bundle: one entry per request entry."""
    kind = "batch-response" if report.bundle_type == "batch" else "transaction-response"
    entries = []
    for i, _ in enumerate(bundle.get("entry") or []):
        result = report.entries.get(i, EntryResult(i, "200 OK"))
        response: dict[str, Any] = {"status": result.status}
        if result.location:
            response["location"] = result.location
        entries.append({"response": response})
    return {"resourceType": "Bundle", "type": kind, "entry": entries}
