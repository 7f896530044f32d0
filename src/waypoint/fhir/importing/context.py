"""What the writers of one bundle share (``ImportContext``) and of one person (``PersonContext``).

A writer never raises for a refusal: it adds an error to the report and the orchestrator rolls
the whole bundle back, so the report lists every problem. Provenance rows (``ImportedResource``)
are collected here and inserted at once when the bundle has no error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TypeAlias

from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.core.errors import WaypointError
from waypoint.fhir.importing.report import EntryResult, ImportReport
from waypoint.fhir.mapping.inbound import MAPPING_VERSION, EntryRef, PatientBundle
from waypoint.fhir.mapping.issues import Issue, error, information, warning
from waypoint.fhir.models import ImportedResource, ImportOutcome
from waypoint.registry.models import Patient

# (patient id, source type, source id) → the content hashes imported for it before.
Known: TypeAlias = dict[tuple[int, str, str], set[str]]
# A bulk service's field prefix (``receptors.2``) → the entry it came from and its label.
Items: TypeAlias = dict[str, tuple[EntryRef, str]]


@dataclass(eq=False)
class ImportContext:
    actor: User | None
    team_id: int | None
    report: ImportReport
    today: dt.date = field(default_factory=timezone.localdate)
    now: dt.datetime = field(default_factory=timezone.now)
    rows: list[ImportedResource] = field(default_factory=list)
    registered: set[int] = field(
        default_factory=set
    )  # people this import created: nothing to look up

    def add(self, issue: Issue) -> None:
        self.report.issues.append(issue)

    def fail(self, entry: EntryRef, exc: WaypointError, what: str) -> None:
        detail = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
        self.add(
            error(
                "processing",
                f"{entry.resource_type}: {what} was refused: {exc.message}"
                + (f" ({detail})" if detail else ""),
                entry.path,
            )
        )
        self.report.entries[entry.index] = EntryResult(entry.index, "422 Unprocessable Entity")

    def keep(
        self,
        entry: EntryRef,
        patient: Patient,
        outcome: str,
        target_type: str = "",
        target_id: object = "",
    ) -> None:
        self.rows.append(
            ImportedResource(
                patient=patient,
                source_type=entry.resource_type,
                source_id=entry.source_id,
                full_url=entry.full_url,
                content_hash=entry.content_hash,
                raw=dict(entry.raw),
                target_type=target_type,
                target_id=str(target_id)[:64],
                outcome=outcome,
                mapping_version=MAPPING_VERSION,
                imported_at=self.now,
                imported_by=self.actor,
            )
        )
        if outcome == ImportOutcome.CREATED:
            self.report.created[target_type] += 1
        self.report.entries[entry.index] = EntryResult(
            entry.index,
            "201 Created" if outcome == ImportOutcome.CREATED else "200 OK",
            f"Patient/{patient.pk}" if entry.resource_type == "Patient" else "",
        )

    def refused(self, exc: WaypointError, what: str, items: Items) -> None:
        """A bulk service's refusal, reported on each entry it names (``receptors.2.value``);
        a refusal that names no item (the policy) is reported on every entry of the call."""
        named: dict[str, dict[str, str]] = {}
        for key, message in exc.fields.items():
            parts = key.split(".")
            prefix = ".".join(parts[:2])
            if prefix in items:
                named.setdefault(prefix, {})[".".join(parts[2:])] = message
        for prefix, (entry, label) in items.items():
            if named and prefix not in named:
                continue
            detail = "; ".join(f"{k}: {v}" for k, v in named.get(prefix, {}).items())
            self.add(
                error(
                    "processing",
                    f"{entry.resource_type}: {label or what} was refused: {exc.message}"
                    + (f" ({detail})" if detail else ""),
                    entry.path,
                )
            )
            self.report.entries[entry.index] = EntryResult(entry.index, "422 Unprocessable Entity")


@dataclass(eq=False)
class PersonContext:
    """One person of the bundle, once matched or registered, and what was imported for them."""

    ctx: ImportContext
    person: PatientBundle
    patient: Patient
    known: Known

    def keep(
        self, entry: EntryRef, outcome: str, target_type: str = "", target_id: object = ""
    ) -> None:
        self.ctx.keep(entry, self.patient, outcome, target_type, target_id)

    def state(self, entry: EntryRef) -> str:
        hashes = self.known.get((self.patient.pk, entry.resource_type, entry.source_id))
        if not hashes:
            return "new"
        return "unchanged" if entry.content_hash in hashes else "changed"

    def fresh(self, entry: EntryRef, what: str) -> bool:
        """Whether to write this resource; a resource imported before is never written again."""
        seen = self.state(entry)
        if seen == "new":
            return True
        report = self.ctx.report
        if seen == "unchanged":
            report.unchanged += 1
            self.ctx.add(
                information(
                    "informational",
                    f"{entry.resource_type}: unchanged since the last import.",
                    entry.path,
                )
            )
            report.entries[entry.index] = EntryResult(entry.index, "200 OK")
            return False
        self.ctx.add(
            warning(
                "business-rule",
                f"{entry.resource_type}: changed since it was imported; Waypoint cannot "
                f"update {what} from FHIR, so the earlier record stands. The new version is "
                "kept for provenance; correct the record in Waypoint if needed.",
                entry.path,
            )
        )
        self.keep(entry, ImportOutcome.KEPT, what)
        return False
