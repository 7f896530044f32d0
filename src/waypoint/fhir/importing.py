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
    EntryRef,
    MappedBundle,
    PatientBundle,
    PatientIn,
    map_bundle,
)
from waypoint.fhir.mapping.issues import Issue, error, information, warning
from waypoint.fhir.mapping.rules import DoseEvent, ExistingLine, InboundConfig, group_lines
from waypoint.fhir.models import ImportedResource, ImportOutcome
from waypoint.registry import policies
from waypoint.registry.models import Patient, PatientIdentifier
from waypoint.registry.results import biopsy_record, receptor_result_record
from waypoint.registry.services import (
    IdentifierInput,
    SiteInput,
    patient_register,
    patient_update,
    primary_diagnosis_record,
    secondary_diagnosis_record,
)
from waypoint.timeline.services import timeline_record
from waypoint.treatment.models import TreatmentLine
from waypoint.treatment.services import (
    treatment_cycle_record,
    treatment_line_start,
    treatment_line_stop,
)


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

        if existing is not None:
            seen = state(pin.entry)
            if seen == "unchanged":
                fresh(pin.entry, "Patient")
            else:
                self._update_existing(pin, patient, previously_imported=seen == "changed")
        self._clinical(person, patient, fresh)

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
            if pin.died_on is not None:
                if self.actor is None:
                    Patient.objects.filter(pk=patient.pk).update(died_on=pin.died_on)
                    patient.died_on = pin.died_on
                else:
                    patient = patient_update(
                        actor=self.actor, patient=patient, changes={"died_on": pin.died_on}
                    )
        except WaypointError as exc:
            self.fail(pin.entry, exc, "registering the person")
            return None
        self.keep(pin.entry, patient, ImportOutcome.CREATED, "Patient", patient.pk)
        self.registered.add(patient.pk)
        return patient

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

    def _clinical(
        self, person: PatientBundle, patient: Patient, fresh: Callable[[EntryRef, str], bool]
    ) -> None:
        for primary in person.primaries:
            if fresh(primary.entry, "PrimaryDiagnosis"):
                try:
                    row = primary_diagnosis_record(
                        actor=self.actor,
                        patient=patient,
                        diagnosed_on=primary.diagnosed_on,
                        laterality=primary.laterality,
                        er=primary.er,
                        pr=primary.pr,
                        her2=primary.her2,
                    )
                except WaypointError as exc:
                    self.fail(primary.entry, exc, "the primary diagnosis")
                    continue
                self.keep(primary.entry, patient, ImportOutcome.CREATED, "PrimaryDiagnosis", row.pk)
        for secondary in person.secondaries:
            new = [e for e in secondary.entries if fresh(e, "SecondaryDiagnosis")]
            if not new:
                continue
            try:
                diagnosis = secondary_diagnosis_record(
                    actor=self.actor,
                    patient=patient,
                    diagnosed_on=secondary.diagnosed_on,
                    presentation=secondary.presentation,
                    sites=[SiteInput(site, detail[:200]) for site, detail in secondary.sites],
                )
            except WaypointError as exc:
                self.fail(new[0], exc, "the secondary diagnosis")
                continue
            for e in new:
                self.keep(e, patient, ImportOutcome.CREATED, "SecondaryDiagnosis", diagnosis.pk)
        for receptor in person.receptors:
            if fresh(receptor.entry, "ReceptorResult"):
                try:
                    result = receptor_result_record(
                        actor=self.actor,
                        patient=patient,
                        marker=receptor.marker,
                        value=receptor.value,
                        observed_on=receptor.observed_on,
                        specimen=receptor.specimen,
                        loinc_code=receptor.loinc_code,
                        note=receptor.note or "Imported from FHIR",
                    )
                except WaypointError as exc:
                    self.fail(receptor.entry, exc, "the receptor result")
                    continue
                self.keep(
                    receptor.entry, patient, ImportOutcome.CREATED, "ReceptorResult", result.pk
                )
        for biopsy in person.biopsies:
            if fresh(biopsy.entry, "Biopsy"):
                try:
                    bx = biopsy_record(
                        actor=self.actor,
                        patient=patient,
                        performed_on=biopsy.performed_on,
                        site=biopsy.site,
                        body_site=biopsy.body_site,
                        snomed_code=biopsy.snomed_code,
                        note=biopsy.note,
                    )
                except WaypointError as exc:
                    self.fail(biopsy.entry, exc, "the biopsy")
                    continue
                self.keep(biopsy.entry, patient, ImportOutcome.CREATED, "Biopsy", bx.pk)
        for status in person.statuses:
            if not fresh(status.entry, status.kind):
                continue
            if self.actor is None:
                self.report.issues.append(
                    error(
                        "forbidden",
                        "Observation: timeline events need the clinician who records them "
                        "(--as USERNAME).",
                        status.entry.path,
                    )
                )
                continue
            try:
                event = timeline_record(
                    actor=self.actor,
                    patient_id=patient.pk,
                    kind=status.kind,
                    on=status.on,
                    result=status.result,
                    note=status.note,
                )
            except WaypointError as exc:
                self.fail(status.entry, exc, "the disease status")
                continue
            target = "ProgressionEvent" if status.kind == "progression" else "ResponseAssessment"
            self.keep(status.entry, patient, ImportOutcome.CREATED, target, event.pk)
        self._medications(person, patient, fresh)
        for skipped in person.skipped:
            if fresh(skipped.entry, "nothing"):
                self.keep(skipped.entry, patient, ImportOutcome.SKIPPED)

    def _medications(
        self, person: PatientBundle, patient: Patient, fresh: Callable[[EntryRef, str], bool]
    ) -> None:
        meds = [m for m in person.medications if fresh(m.entry, "TreatmentLine")]
        if not meds:
            return
        # secondary_diagnosis_record keeps the instance's T0 up to date.
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
                )
                for m in usable
            ],
            existing=existing,
            progression_dates=progression,
            config=InboundConfig(line_window_days=settings.WAYPOINT_FHIR_LINE_WINDOW_DAYS),
        )
        actor = self.actor
        for plan in planned:
            entries = [by_key[k].entry for k in plan.keys]
            first = entries[0] if entries else usable[0].entry
            try:
                if plan.line_id is None:
                    line = treatment_line_start(
                        actor=actor,
                        patient=patient,
                        kind=plan.kind,
                        drugs=", ".join(plan.drugs).capitalize(),
                        started_on=plan.started_on,
                        intent="curative" if plan.curative else "palliative",
                        today=self.today,
                    )
                    line_id = line.pk
                else:
                    line_id = plan.line_id
                for day in plan.dose_dates:
                    treatment_cycle_record(
                        actor=actor,
                        line_id=line_id,
                        started_on=day,
                        today=self.today,
                        note="Imported from FHIR",
                    )
                if plan.stopped_on is not None:
                    treatment_line_stop(
                        actor=actor,
                        line_id=line_id,
                        stopped_on=min(plan.stopped_on, self.today),
                        reason=plan.stop_reason,
                        today=self.today,
                    )
            except WaypointError as exc:
                self.fail(first, exc, "the treatment line")
                return
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
            for entry in entries:
                self.keep(entry, patient, ImportOutcome.CREATED, "TreatmentLine", line_id)


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
