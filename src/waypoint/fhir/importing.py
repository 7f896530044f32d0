"""Importing a FHIR Bundle: all or nothing per bundle, through the services that audit.

The pure mapping (``mapping.inbound``) reads and checks the bundle; this module matches people
already registered (NHS number, then any identifier), checks the actor may change them, writes
through the registry, treatment and timeline services inside one transaction, and keeps the
provenance (``ImportedResource``). Any error-level issue rolls the whole bundle back, so the
report always lists every problem and a failed import leaves nothing behind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.careteam.models import Team
from waypoint.core.errors import Forbidden, WaypointError
from waypoint.fhir.mapping import drugs
from waypoint.fhir.mapping.inbound import (
    MAPPING_VERSION,
    BiopsyIn,
    DiseaseStatusIn,
    EntryRef,
    MappedBundle,
    PatientBundle,
    PatientIn,
    PrimaryIn,
    ReceptorIn,
    SecondaryIn,
    map_bundle,
)
from waypoint.fhir.mapping.issues import Issue, error, information, warning
from waypoint.fhir.mapping.rules import DoseEvent, ExistingLine, InboundConfig, group_lines
from waypoint.fhir.models import ImportedResource, ImportOutcome
from waypoint.registry import policies
from waypoint.registry.history import (
    BiopsyInput,
    PrimaryInput,
    ReceptorInput,
    SecondaryInput,
    patient_history_import,
)
from waypoint.registry.models import Patient, PatientIdentifier
from waypoint.registry.services import (
    IdentifierInput,
    SiteInput,
    patient_register,
    patient_update,
)
from waypoint.timeline.services import TimelineInput, timeline_records_import
from waypoint.treatment.models import TreatmentLine
from waypoint.treatment.services import LineInput, treatment_history_import


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


def inbound_config() -> InboundConfig:
    return InboundConfig(
        de_novo_window_days=settings.WAYPOINT_FHIR_DE_NOVO_WINDOW_DAYS,
        presentation_unknown=settings.WAYPOINT_FHIR_PRESENTATION_UNKNOWN,
        undated=settings.WAYPOINT_FHIR_UNDATED,
        line_window_days=settings.WAYPOINT_FHIR_LINE_WINDOW_DAYS,
    )


def can_import(actor: User | None) -> bool:
    """Importing registers people and records their diagnoses and treatment."""
    return actor is None or (
        has_permission(actor, Permission.REGISTER_PATIENT)
        and has_permission(actor, Permission.EDIT_TEAM_PATIENTS)
    )


class _Rollback(Exception):
    pass


def bundle_import(
    *,
    actor: User | None,
    bundle: Mapping[str, Any],
    team_id: int | None,
    dry_run: bool = False,
    config: InboundConfig | None = None,
) -> ImportReport:
    """Import one Bundle (transaction, batch or collection). ``actor`` None is the system (the
    management command without ``--as``); it cannot record treatment or timeline events, which
    need the clinician who records them."""
    if not can_import(actor):
        raise Forbidden("You cannot import records.")
    mapped = map_bundle(bundle, config=config or inbound_config())
    report = ImportReport(bundle_type=mapped.bundle_type, dry_run=dry_run)
    report.issues.extend(mapped.issues)
    if mapped.has_errors:
        return report
    try:
        with transaction.atomic():
            _Writer(actor=actor, team_id=team_id, report=report, mapped=mapped).run()
            if not report.ok or dry_run:
                raise _Rollback
    except _Rollback:
        report.written = False
        if dry_run and report.ok:
            report.issues.append(
                information("informational", "Dry run: the bundle is valid; nothing was written.")
            )
        return report
    report.written = True
    return report


class _Writer:
    def __init__(
        self, *, actor: User | None, team_id: int | None, report: ImportReport, mapped: MappedBundle
    ) -> None:
        self.actor = actor
        self.team_id = team_id
        self.report = report
        self.mapped = mapped
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.rows: list[ImportedResource] = []
        self.registered: set[int] = set()  # people this import created: nothing to look up
        self._team: tuple[int | None] | None = None  # the choice, once made

    # -- helpers

    def fail(self, entry: EntryRef, exc: WaypointError, what: str) -> None:
        detail = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
        self.report.issues.append(
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

    def team(self, entry: EntryRef) -> int | None:
        """The team new people join: ``team_id`` (one the actor may register into), else the
        actor's only team."""
        if self._team is not None:
            return self._team[0]
        chosen: int | None = None
        if self.actor is None:
            if self.team_id is not None and Team.objects.filter(pk=self.team_id).exists():
                chosen = self.team_id
        else:
            allowed = policies.teams_actor_may_register_into(self.actor)
            if self.team_id is not None:
                chosen = self.team_id if allowed.filter(pk=self.team_id).exists() else None
            else:
                mine = list(allowed.values_list("pk", flat=True)[:2])
                chosen = mine[0] if len(mine) == 1 else None
        if chosen is None:
            self.report.issues.append(
                error(
                    "required",
                    "Which team will care for new people? Give team (one of your teams)."
                    if self.team_id is None
                    else f"Team {self.team_id} is not a team you can register people into.",
                    entry.path,
                )
            )
        self._team = (chosen,)
        return chosen

    # -- the run

    def run(self) -> None:
        people = self.mapped.patients
        nhs = [p.patient.nhs_number for p in people if p.patient.nhs_number]
        by_nhs = {
            p.nhs_number: p for p in Patient.objects.filter(nhs_number__in=nhs) if p.nhs_number
        }
        pairs = [pair for p in people for pair in p.patient.identifiers]
        by_ident: dict[tuple[str, str], Patient] = {}
        if pairs:
            query = Q()
            for system, value in pairs:
                query |= Q(system=system, value=value)
            for ident in PatientIdentifier.objects.filter(query).select_related("patient"):
                by_ident[(ident.system, ident.value)] = ident.patient
        matched: dict[int, Patient] = {}
        for person in people:
            found = self._match(person.patient, by_nhs, by_ident)
            if found is not None:
                matched[person.patient.entry.index] = found
        known: dict[tuple[int, str, str], set[str]] = {}
        if matched:
            for row in ImportedResource.objects.filter(
                patient__in=list(matched.values())
            ).values_list("patient_id", "source_type", "source_id", "content_hash"):
                known.setdefault((row[0], row[1], row[2]), set()).add(row[3])
        for person in people:
            self._person(person, matched.get(person.patient.entry.index), known)
        if self.report.ok:
            ImportedResource.objects.bulk_create(self.rows, batch_size=500)

    def _match(
        self,
        patient: PatientIn,
        by_nhs: dict[str, Patient],
        by_ident: dict[tuple[str, str], Patient],
    ) -> Patient | None:
        candidates = (
            {by_nhs[patient.nhs_number].pk: by_nhs[patient.nhs_number]}
            if (patient.nhs_number in by_nhs)
            else {}
        )
        if not candidates:
            for pair in patient.identifiers:
                if pair in by_ident:
                    candidates[by_ident[pair].pk] = by_ident[pair]
        if len(candidates) > 1:
            self.report.issues.append(
                error(
                    "conflict",
                    "Patient: its identifiers belong to more than one registered person.",
                    patient.entry.path + ".identifier",
                )
            )
            return None
        return next(iter(candidates.values()), None)

    def _person(
        self,
        person: PatientBundle,
        existing: Patient | None,
        known: dict[tuple[int, str, str], set[str]],
    ) -> None:
        pin = person.patient
        if (
            existing is not None
            and self.actor is not None
            and not policies.can_edit_patient(self.actor, existing)
        ):
            self.report.issues.append(
                error(
                    "forbidden",
                    "Patient: an NHS number or identifier in this resource belongs to a "
                    "person whose record you cannot change; nothing in this bundle was "
                    "imported.",
                    pin.entry.path + ".identifier",
                )
            )
            return
        patient = existing if existing is not None else self._register(pin)
        if patient is None:
            return
        self.report.patient_ids.append(patient.pk)

        def state(entry: EntryRef) -> str:
            hashes = known.get((patient.pk, entry.resource_type, entry.source_id))
            if not hashes:
                return "new"
            return "unchanged" if entry.content_hash in hashes else "changed"

        def fresh(entry: EntryRef, what: str) -> bool:
            seen = state(entry)
            if seen == "new":
                return True
            if seen == "unchanged":
                self.report.unchanged += 1
                self.report.issues.append(
                    information(
                        "informational",
                        f"{entry.resource_type}: unchanged since the last import.",
                        entry.path,
                    )
                )
                self.report.entries[entry.index] = EntryResult(entry.index, "200 OK")
                return False
            self.report.issues.append(
                warning(
                    "business-rule",
                    f"{entry.resource_type}: changed since it was imported; Waypoint cannot "
                    f"update {what} from FHIR, so the earlier record stands. The new version is "
                    "kept for provenance; correct the record in Waypoint if needed.",
                    entry.path,
                )
            )
            self.keep(entry, patient, ImportOutcome.KEPT, what)
            return False

        # Diagnoses, results and treatment first, then any death: the registry refuses a new
        # diagnosis for someone recorded as dead, and a death always comes last in a history.
        self._clinical(person, patient, fresh)
        if existing is not None:
            seen = state(pin.entry)
            if seen == "unchanged":
                fresh(pin.entry, "Patient")
            else:
                self._update_existing(pin, patient, previously_imported=seen == "changed")
        elif pin.died_on is not None:
            self._record_death(pin, patient)

    def _register(self, pin: PatientIn) -> Patient | None:
        team_id = self.team(pin.entry)
        if team_id is None:
            return None
        try:
            patient = patient_register(
                actor=self.actor,
                given_name=pin.given_name,
                family_name=pin.family_name,
                birth_date=pin.birth_date,
                sex=pin.sex,
                nhs_number=pin.nhs_number or None,
                team_id=team_id,
                postcode=pin.postcode,
                address=pin.address,
                phone=pin.phone,
                email=pin.email,
                identifiers=[IdentifierInput(s, v) for s, v in pin.identifiers],
                reason="Imported from FHIR",
            )
        except WaypointError as exc:
            self.fail(pin.entry, exc, "registering the person")
            return None
        self.keep(pin.entry, patient, ImportOutcome.CREATED, "Patient", patient.pk)
        self.registered.add(patient.pk)
        return patient

    def _record_death(self, pin: PatientIn, patient: Patient) -> None:
        assert pin.died_on is not None  # noqa: S101  # the caller checks
        try:
            patient_update(actor=self.actor, patient=patient, changes={"died_on": pin.died_on})
        except WaypointError as exc:
            self.fail(pin.entry, exc, "recording the death")

    def _update_existing(
        self, pin: PatientIn, patient: Patient, *, previously_imported: bool
    ) -> None:
        """A Patient resource imported before and changed since updates the demographics it
        carries; a first import for someone registered otherwise only adds a date of death (the
        one fact that must never wait) and reports the other differences."""
        incoming: dict[str, object] = {
            "given_name": pin.given_name,
            "family_name": pin.family_name,
            "birth_date": pin.birth_date,
            "sex": pin.sex,
            "postcode": pin.postcode,
            "phone": pin.phone,
            "email": pin.email,
        }
        differs = {
            k: v
            for k, v in incoming.items()
            if v not in ("", None) and str(getattr(patient, k)).upper() != str(v).upper()
        }
        changes: dict[str, object] = dict(differs) if previously_imported else {}
        if pin.died_on is not None and patient.died_on is None:
            changes["died_on"] = pin.died_on
        if not previously_imported and differs:
            self.report.issues.append(
                warning(
                    "business-rule",
                    "Patient: matched a registered person whose details differ ("
                    + ", ".join(sorted(differs))
                    + "); Waypoint's record was kept. Check which is right.",
                    pin.entry.path,
                )
            )
        if changes and self.actor is None:
            self.report.issues.append(
                error(
                    "forbidden",
                    "Patient: updating a registered person needs --as USERNAME.",
                    pin.entry.path,
                )
            )
            return
        if changes:
            assert self.actor is not None  # noqa: S101  # checked above
            try:
                patient_update(actor=self.actor, patient=patient, changes=changes)
            except WaypointError as exc:
                self.fail(pin.entry, exc, "updating the person")
                return
            self.keep(pin.entry, patient, ImportOutcome.UPDATED, "Patient", patient.pk)
        else:
            self.keep(pin.entry, patient, ImportOutcome.LINKED, "Patient", patient.pk)

    def refused(
        self, exc: WaypointError, what: str, items: dict[str, tuple[EntryRef, str]]
    ) -> None:
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
            self.report.issues.append(
                error(
                    "processing",
                    f"{entry.resource_type}: {label or what} was refused: {exc.message}"
                    + (f" ({detail})" if detail else ""),
                    entry.path,
                )
            )
            self.report.entries[entry.index] = EntryResult(entry.index, "422 Unprocessable Entity")

    def _clinical(
        self, person: PatientBundle, patient: Patient, fresh: Callable[[EntryRef, str], bool]
    ) -> None:
        primaries = [p for p in person.primaries if fresh(p.entry, "PrimaryDiagnosis")]
        secondaries = [
            (s, new)
            for s in person.secondaries
            if (new := [e for e in s.entries if fresh(e, "SecondaryDiagnosis")])
        ]
        receptors = [r for r in person.receptors if fresh(r.entry, "ReceptorResult")]
        biopsies = [b for b in person.biopsies if fresh(b.entry, "Biopsy")]
        if primaries or secondaries or receptors or biopsies:
            self._history(patient, primaries, secondaries, receptors, biopsies)
        statuses = [s for s in person.statuses if fresh(s.entry, s.kind)]
        if statuses:
            self._statuses(patient, statuses)
        self._medications(person, patient, fresh)
        for skipped in person.skipped:
            if fresh(skipped.entry, "nothing"):
                self.keep(skipped.entry, patient, ImportOutcome.SKIPPED)

    def _history(
        self,
        patient: Patient,
        primaries: list[PrimaryIn],
        secondaries: list[tuple[SecondaryIn, list[EntryRef]]],
        receptors: list[ReceptorIn],
        biopsies: list[BiopsyIn],
    ) -> None:
        items: dict[str, tuple[EntryRef, str]] = {}
        items.update(
            (f"primaries.{i}", (p.entry, "the primary diagnosis")) for i, p in enumerate(primaries)
        )
        items.update(
            (f"secondaries.{i}", (new[0], "the secondary diagnosis"))
            for i, (_, new) in enumerate(secondaries)
        )
        items.update(
            (f"receptors.{i}", (r.entry, "the receptor result")) for i, r in enumerate(receptors)
        )
        items.update((f"biopsies.{i}", (b.entry, "the biopsy")) for i, b in enumerate(biopsies))
        try:
            written = patient_history_import(
                actor=self.actor,
                patient=patient,
                primaries=[
                    PrimaryInput(p.diagnosed_on, p.laterality, p.er, p.pr, p.her2)
                    for p in primaries
                ],
                secondaries=[
                    SecondaryInput(
                        s.diagnosed_on,
                        s.presentation,
                        [SiteInput(site, detail[:200]) for site, detail in s.sites],
                    )
                    for s, _ in secondaries
                ],
                receptors=[
                    ReceptorInput(
                        r.marker,
                        r.value,
                        r.observed_on,
                        r.specimen,
                        r.loinc_code,
                        r.note or "Imported from FHIR",
                    )
                    for r in receptors
                ],
                biopsies=[
                    BiopsyInput(b.performed_on, b.site, b.body_site, b.snomed_code, b.note)
                    for b in biopsies
                ],
            )
        except WaypointError as exc:
            self.refused(exc, "the history", items)
            return
        for p, row in zip(primaries, written.primaries, strict=True):
            self.keep(p.entry, patient, ImportOutcome.CREATED, "PrimaryDiagnosis", row.pk)
        for (_, new), dx in zip(secondaries, written.secondaries, strict=True):
            for e in new:
                self.keep(e, patient, ImportOutcome.CREATED, "SecondaryDiagnosis", dx.pk)
        for r, result in zip(receptors, written.receptors, strict=True):
            self.keep(r.entry, patient, ImportOutcome.CREATED, "ReceptorResult", result.pk)
        for b, bx in zip(biopsies, written.biopsies, strict=True):
            self.keep(b.entry, patient, ImportOutcome.CREATED, "Biopsy", bx.pk)

    def _statuses(self, patient: Patient, statuses: list[DiseaseStatusIn]) -> None:
        if self.actor is None:
            for status in statuses:
                self.report.issues.append(
                    error(
                        "forbidden",
                        "Observation: timeline events need the clinician who records them "
                        "(--as USERNAME).",
                        status.entry.path,
                    )
                )
            return
        try:
            events = timeline_records_import(
                actor=self.actor,
                patient=patient,
                events=[
                    TimelineInput(kind=s.kind, on=s.on, result=s.result, note=s.note)
                    for s in statuses
                ],
            )
        except WaypointError as exc:
            self.refused(
                exc,
                "the disease status",
                {f"events.{i}": (s.entry, "") for i, s in enumerate(statuses)},
            )
            return
        for status, event in zip(statuses, events, strict=True):
            target = "ProgressionEvent" if status.kind == "progression" else "ResponseAssessment"
            self.keep(status.entry, patient, ImportOutcome.CREATED, target, event.pk)

    def _medications(
        self, person: PatientBundle, patient: Patient, fresh: Callable[[EntryRef, str], bool]
    ) -> None:
        meds = [m for m in person.medications if fresh(m.entry, "TreatmentLine")]
        if not meds:
            return
        # patient_history_import keeps the instance's T0 up to date.
        t0 = patient.metastatic_diagnosed_on
        usable = []
        for med in meds:
            if t0 is None or med.on < t0:
                self.report.issues.append(
                    information(
                        "informational",
                        f"{med.entry.resource_type}: started before any metastatic diagnosis; "
                        "treatment of early breast cancer is not a line of therapy for secondary "
                        "breast cancer, so it is kept for provenance only.",
                        med.entry.path,
                    )
                )
                self.keep(med.entry, patient, ImportOutcome.SKIPPED)
            else:
                usable.append(med)
        if not usable:
            return
        if self.actor is None:
            for med in usable:
                self.report.issues.append(
                    error(
                        "forbidden",
                        f"{med.entry.resource_type}: treatment lines need the clinician who "
                        "records them (--as USERNAME).",
                        med.entry.path,
                    )
                )
            return
        active = (
            TreatmentLine.objects.filter(patient=patient, stopped_on__isnull=True).first()
            if patient.pk not in self.registered
            else None
        )
        existing = (
            ExistingLine(active.pk, frozenset(drugs.drugs_in_text(active.drugs)), active.started_on)
            if active is not None
            else None
        )
        progression = [s.on for s in person.statuses if s.kind == "progression"]
        by_key = {m.entry.index: m for m in usable}
        planned = group_lines(
            [
                DoseEvent(
                    m.entry.index,
                    m.drugs,
                    m.on,
                    m.ended_on,
                    m.status in ("completed", "stopped"),
                    m.curative,
                    m.stop_reason,
                )
                for m in usable
            ],
            existing=existing,
            progression_dates=progression,
            config=InboundConfig(line_window_days=settings.WAYPOINT_FHIR_LINE_WINDOW_DAYS),
        )
        if not planned:
            return
        entries = [[by_key[k].entry for k in plan.keys] for plan in planned]
        firsts = [es[0] if es else usable[0].entry for es in entries]
        try:
            lines = treatment_history_import(
                actor=self.actor,
                patient=patient,
                lines=[
                    LineInput(
                        kind=plan.kind,
                        drugs=", ".join(plan.drugs).capitalize(),
                        started_on=plan.started_on,
                        intent="curative" if plan.curative else "palliative",
                        line_id=plan.line_id,
                        cycle_dates=tuple(plan.dose_dates),
                        stopped_on=(
                            min(plan.stopped_on, self.today)
                            if plan.stopped_on is not None
                            else None
                        ),
                        stop_reason=plan.stop_reason if plan.stopped_on is not None else "",
                    )
                    for plan in planned
                ],
                today=self.today,
            )
        except WaypointError as exc:
            self.refused(
                exc,
                "the treatment line",
                {f"lines.{i}": (first, "") for i, first in enumerate(firsts)},
            )
            return
        for plan, line, es, first in zip(planned, lines, entries, firsts, strict=True):
            for note in plan.notes:
                self.report.issues.append(
                    (warning if plan.stop_reason_inferred else information)(
                        "business-rule" if plan.stop_reason_inferred else "informational",
                        f"Treatment line ({', '.join(plan.drugs)} from {plan.started_on}): {note}"
                        + (
                            f"; recorded as stopped ({plan.stop_reason})."
                            if plan.stop_reason
                            else "."
                        ),
                        first.path,
                    )
                )
            for entry in es:
                self.keep(entry, patient, ImportOutcome.CREATED, "TreatmentLine", line.pk)


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
