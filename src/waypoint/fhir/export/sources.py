"""Reads for the export: the ORM rows of a set of people, as the outbound mapping's facts, then
as resources. Every loader costs a fixed number of queries however many rows there are, and
works for one person ($everything, a search by patient) or a page of people.

Callers have already checked the policy: these functions take patient ids that are in scope.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Model, QuerySet

from waypoint.accounts.models import User
from waypoint.assessments.models import AssessmentStatus, CarePlanRevision, NeedsAssessment
from waypoint.assessments.selectors import hna_due_for
from waypoint.careteam.models import Cover, KeyWorkerAssignment
from waypoint.fhir.mapping.outbound import care, clinical, questionnaires
from waypoint.fhir.mapping.outbound.common import Resource
from waypoint.fhir.mapping.outbound.facts import (
    AdmissionFacts,
    AssessmentDueFacts,
    AssessmentFacts,
    BiopsyFacts,
    CarePlanFacts,
    CareTeamFacts,
    ContactFacts,
    CoverFacts,
    DiseaseStatusFacts,
    LineFacts,
    MarkerFacts,
    OrganisationFact,
    PatientFacts,
    PersonRef,
    PlanActionFacts,
    PrimaryFacts,
    ReferralFacts,
    SecondaryFacts,
    SiteFact,
    SymptomItemFacts,
    SymptomReportFacts,
)
from waypoint.registry.models import (
    NHS_NUMBER_SYSTEM,
    Biopsy,
    Her2Status,
    Patient,
    PrimaryDiagnosis,
    ReceptorMarker,
    ReceptorResult,
    SecondaryDiagnosis,
    Specimen,
)
from waypoint.support.models import Referral
from waypoint.timeline.models import (
    Contact,
    ContactKind,
    HospitalAdmission,
    ProgressionEvent,
    ResponseAssessment,
)
from waypoint.treatment.models import TreatmentLine
from waypoint.triage.models import SymptomReport
from waypoint.triage.rules.vocabulary import SYMPTOMS, Kind


def person(user: User | None) -> PersonRef:
    if user is None:
        return PersonRef("Waypoint")
    return PersonRef(user.display_name, user.job_title)


def patient_facts(p: Patient) -> PatientFacts:
    """``p`` comes with ``team__organisation`` joined and ``identifiers`` prefetched."""
    organisation = p.team.organisation
    return PatientFacts(
        pk=p.pk,
        nhs_number=p.nhs_number or "",
        identifiers=tuple(
            (i.system, i.value) for i in p.identifiers.all() if i.system != NHS_NUMBER_SYSTEM
        ),
        given_name=p.given_name,
        family_name=p.family_name,
        birth_date=p.birth_date,
        sex=p.sex,
        phone=p.phone,
        email=p.email,
        preferred_contact_method=p.preferred_contact_method,
        postcode=p.postcode,
        address=p.address,
        died_on=p.died_on,
        organisation=OrganisationFact(organisation.ods_code, organisation.name),
        updated_at=p.updated_at,
    )


def patients_with_joins(queryset: QuerySet[Patient]) -> QuerySet[Patient]:
    return queryset.select_related("team__organisation").prefetch_related("identifiers")


def _labels(choices: Iterable[tuple[Any, str]]) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices}


HER2_LABELS = _labels(Her2Status.choices)
SPECIMEN_LABELS = _labels(Specimen.choices)


def _diagnosis_on(diagnoses: Sequence[tuple[int, dt.date]], day: dt.date) -> int | None:
    """The secondary diagnosis a dated fact belongs to: the latest made on or before ``day``,
    else the earliest (how ``registry.results`` files a receptor result)."""
    before = [d for d in diagnoses if d[1] <= day]
    if before:
        return max(before, key=lambda d: (d[1], d[0]))[0]
    return min(diagnoses, key=lambda d: (d[1], d[0]))[0] if diagnoses else None


class Export:
    """The resources of ``patient_ids``. Rows shared by several resource types (the diagnoses
    that others point to) are read once per instance."""

    def __init__(self, patient_ids: Iterable[int], *, today: dt.date) -> None:
        self.ids = sorted(set(patient_ids))
        self.today = today
        self._primary_rows: list[PrimaryDiagnosis] | None = None
        self._secondary_rows: list[SecondaryDiagnosis] | None = None
        self._report_rows: list[SymptomReportFacts] | None = None
        self._contact_rows: list[ContactFacts] | None = None

    # Shared look-ups -----------------------------------------------------------------------

    def primary_rows(self) -> list[PrimaryDiagnosis]:
        if self._primary_rows is None:
            self._primary_rows = list(
                PrimaryDiagnosis.objects.filter(patient_id__in=self.ids).order_by(
                    "diagnosed_on", "pk"
                )
            )
        return self._primary_rows

    def secondary_rows(self) -> list[SecondaryDiagnosis]:
        if self._secondary_rows is None:
            self._secondary_rows = list(
                SecondaryDiagnosis.objects.filter(patient_id__in=self.ids)
                .prefetch_related("sites")
                .order_by("diagnosed_on", "pk")
            )
        return self._secondary_rows

    @functools.cached_property
    def secondaries_by_patient(self) -> dict[int, list[tuple[int, dt.date]]]:
        found: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
        for s in self.secondary_rows():
            found[s.patient_id].append((s.pk, s.diagnosed_on))
        return found

    @functools.cached_property
    def primaries_by_patient(self) -> dict[int, list[tuple[int, dt.date]]]:
        found: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
        for p in self.primary_rows():
            found[p.patient_id].append((p.pk, p.diagnosed_on))
        return found

    def _first_primary(self, patient_id: int) -> int | None:
        rows = self.primaries_by_patient.get(patient_id, [])
        return min(rows, key=lambda d: (d[1], d[0]))[0] if rows else None

    def _secondary_ref(self, patient_id: int, day: dt.date) -> str:
        pk = _diagnosis_on(self.secondaries_by_patient.get(patient_id, []), day)
        return f"Condition/secondary-{pk}" if pk is not None else ""

    # Registry ------------------------------------------------------------------------------

    def patients(self) -> list[Resource]:
        rows = patients_with_joins(Patient.objects.filter(pk__in=self.ids)).order_by("pk")
        return [clinical.patient_resource(patient_facts(p)) for p in rows]

    def conditions(self) -> list[Resource]:
        out = []
        for p in self.primary_rows():
            out.append(
                clinical.primary_condition(
                    PrimaryFacts(
                        pk=p.pk,
                        patient=p.patient_id,
                        diagnosed_on=p.diagnosed_on,
                        laterality=p.laterality,
                        laterality_label=p.get_laterality_display(),
                        recorded_at=p.created_at,
                    )
                )
            )
        for s in self.secondary_rows():
            out.append(
                clinical.secondary_condition(
                    SecondaryFacts(
                        pk=s.pk,
                        patient=s.patient_id,
                        diagnosed_on=s.diagnosed_on,
                        presentation_label=s.get_presentation_display(),
                        sites=tuple(
                            SiteFact(x.site, x.get_site_display(), x.detail) for x in s.sites.all()
                        ),
                        primary=self._first_primary(s.patient_id),
                        biopsy_decision_label=s.get_biopsy_decision_display(),
                        biopsy_not_feasible_reason=s.biopsy_not_feasible_reason,
                        recorded_at=s.created_at,
                    )
                )
            )
        return out

    def _markers(self) -> list[MarkerFacts]:
        kept = [
            MarkerFacts(
                id=f"receptor-{r.pk}",
                patient=r.patient_id,
                marker=r.marker,
                value=r.value,
                value_label=HER2_LABELS.get(r.value, r.value),
                observed_on=r.observed_on,
                specimen=r.specimen,
                specimen_label=SPECIMEN_LABELS[r.specimen],
                loinc_code=r.loinc_code,
                note=r.note,
                focus=self._marker_focus(r.patient_id, r.specimen, r.observed_on),
            )
            for r in ReceptorResult.objects.filter(patient_id__in=self.ids).order_by(
                "observed_on", "pk"
            )
        ]
        summaries: list[MarkerFacts] = []
        for p in self.primary_rows():
            summaries.extend(
                self._summary(
                    "primary", p.pk, p.patient_id, p.diagnosed_on, Specimen.PRIMARY, p, "primary"
                )
            )
        for s in self.secondary_rows():
            if s.receptors_assessed_on is None:
                continue
            summaries.extend(
                self._summary(
                    "secondary",
                    s.pk,
                    s.patient_id,
                    s.receptors_assessed_on,
                    Specimen.METASTATIC,
                    s,
                    "secondary",
                )
            )
        # A diagnosis's status that repeats a kept result (same marker, value, specimen and day)
        # is that result, not a second one.
        seen = {(m.patient, m.marker, m.value, m.specimen, m.observed_on) for m in kept}
        extra = [
            m
            for m in summaries
            if (m.patient, m.marker, m.value, m.specimen, m.observed_on) not in seen
        ]
        return kept + extra

    def _marker_focus(self, patient_id: int, specimen: str, day: dt.date) -> str:
        if specimen == Specimen.METASTATIC:
            return self._secondary_ref(patient_id, day)
        if specimen == Specimen.PRIMARY:
            primary = self._first_primary(patient_id)
            return f"Condition/primary-{primary}" if primary is not None else ""
        return ""

    def _summary(
        self,
        prefix: str,
        pk: int,
        patient_id: int,
        on: dt.date,
        specimen: str,
        row: PrimaryDiagnosis | SecondaryDiagnosis,
        condition: str,
    ) -> list[MarkerFacts]:
        out = []
        for marker in ReceptorMarker.values:
            value = str(getattr(row, marker))
            if not value or value == "unknown":
                continue
            out.append(
                MarkerFacts(
                    id=f"{prefix}-{pk}-{marker}",
                    patient=patient_id,
                    marker=marker,
                    value=value,
                    value_label=HER2_LABELS.get(value, value),
                    observed_on=on,
                    specimen=specimen,
                    specimen_label=SPECIMEN_LABELS[specimen],
                    loinc_code="",
                    note="The status recorded with the diagnosis.",
                    focus=f"Condition/{condition}-{pk}",
                )
            )
        return out

    def observations(self) -> list[Resource]:
        out = [clinical.tumour_marker(m) for m in self._markers()]
        statuses = [
            DiseaseStatusFacts(
                id=f"progression-{e.pk}",
                patient=e.patient_id,
                on=e.on,
                kind="progression",
                result="",
                result_label="Progression",
                note=e.note,
                focus=self._secondary_ref(e.patient_id, e.on),
            )
            for e in ProgressionEvent.objects.filter(patient_id__in=self.ids).order_by("on", "pk")
        ]
        statuses.extend(
            DiseaseStatusFacts(
                id=f"response-{r.pk}",
                patient=r.patient_id,
                on=r.on,
                kind="response",
                result=r.result,
                result_label=r.get_result_display(),
                note=r.note,
                focus=self._secondary_ref(r.patient_id, r.on),
            )
            for r in ResponseAssessment.objects.filter(patient_id__in=self.ids).order_by("on", "pk")
        )
        out.extend(clinical.disease_status(d) for d in sorted(statuses, key=lambda d: d.on))
        return out

    def medication_requests(self) -> list[Resource]:
        lines = (
            TreatmentLine.objects.filter(patient_id__in=self.ids)
            .annotate(cycle_count=Count("cycles"))
            .order_by("patient_id", "line_number", "started_on")
        )
        return [
            clinical.medication_request(
                LineFacts(
                    pk=line.pk,
                    patient=line.patient_id,
                    line_number=line.line_number,
                    kind_label=line.get_kind_display(),
                    drugs=line.drugs,
                    intent=line.intent,
                    intent_label=line.get_intent_display(),
                    started_on=line.started_on,
                    last_dose_on=line.last_dose_on,
                    stopped_on=line.stopped_on,
                    stop_reason=line.stop_reason,
                    stop_reason_label=line.get_stop_reason_display() if line.stop_reason else "",
                    cycles=line.cycle_count,
                    reason=self._secondary_ref(line.patient_id, line.started_on),
                    recorded_at=line.created_at,
                )
            )
            for line in lines
        ]

    def procedures(self) -> list[Resource]:
        return [
            clinical.biopsy_procedure(
                BiopsyFacts(
                    pk=b.pk,
                    patient=b.patient_id,
                    performed_on=b.performed_on,
                    site=b.site,
                    site_label=b.get_site_display() if b.site else "",
                    body_site=b.body_site,
                    snomed_code=b.snomed_code,
                    note=b.note,
                )
            )
            for b in Biopsy.objects.filter(patient_id__in=self.ids).order_by("performed_on", "pk")
        ]

    # Care ----------------------------------------------------------------------------------

    def care_teams(self) -> list[Resource]:
        patients = Patient.objects.filter(pk__in=self.ids).select_related("team__organisation")
        assignments = {
            a.patient_id: a
            for a in KeyWorkerAssignment.objects.filter(
                patient_id__in=self.ids, ended_at__isnull=True
            ).select_related("key_worker")
        }
        covers: dict[int, list[CoverFacts]] = defaultdict(list)
        absent = {a.key_worker_id for a in assignments.values()}
        for c in (
            Cover.objects.filter(
                absent_user_id__in=absent, cancelled_at__isnull=True, ends_on__gte=self.today
            )
            .select_related("cover_user")
            .order_by("starts_on", "pk")
        ):
            covers[c.absent_user_id].append(
                CoverFacts(c.pk, person(c.cover_user), c.starts_on, c.ends_on, c.reason)
            )
        out = []
        for p in patients.order_by("pk"):
            a = assignments.get(p.pk)
            team = p.team
            out.append(
                care.care_team(
                    CareTeamFacts(
                        patient=p.pk,
                        team_name=team.name,
                        organisation=OrganisationFact(
                            team.organisation.ods_code, team.organisation.name
                        ),
                        in_hours_phone=team.in_hours_phone,
                        in_hours_description=team.in_hours_description,
                        out_of_hours_phone=team.out_of_hours_phone,
                        team_email=team.email,
                        key_worker=person(a.key_worker) if a else None,
                        key_worker_since=a.started_at if a else None,
                        covers=tuple(covers.get(a.key_worker_id, [])) if a else (),
                        person_died=p.died_on is not None,
                    ),
                    today=self.today,
                )
            )
        return out

    def care_plans(self) -> list[Resource]:
        revisions = list(
            CarePlanRevision.objects.filter(patient_id__in=self.ids)
            .select_related("created_by")
            .prefetch_related("actions")
            .order_by("patient_id", "number")
        )
        latest: dict[int, int] = {}
        previous: dict[int, int] = {}
        by_patient: dict[int, list[CarePlanRevision]] = defaultdict(list)
        for r in revisions:
            by_patient[r.patient_id].append(r)
        for patient_revisions in by_patient.values():
            latest[patient_revisions[-1].patient_id] = patient_revisions[-1].pk
            for before, after in itertools.pairwise(patient_revisions):
                previous[after.pk] = before.pk
        return [
            care.care_plan(
                CarePlanFacts(
                    pk=r.pk,
                    patient=r.patient_id,
                    number=r.number,
                    current=latest[r.patient_id] == r.pk,
                    replaces=previous.get(r.pk),
                    assessment=r.assessment_id,
                    agreed_with_person=r.agreed_with_person,
                    note=r.note,
                    author=person(r.created_by),
                    created_at=r.created_at,
                    actions=tuple(
                        PlanActionFacts(
                            a.position, a.action, a.owner, a.due_on, a.status, a.concern_text
                        )
                        for a in r.actions.all()
                    ),
                )
            )
            for r in revisions
        ]

    def _reports(self, *, clocked_only: bool) -> list[SymptomReportFacts]:
        """Read once for both the Tasks and the QuestionnaireResponses they make."""
        if self._report_rows is None:
            rows = (
                SymptomReport.objects.filter(patient_id__in=self.ids)
                .defer("context", "reasons", "monitoring_alerts", "fingerprint", "idempotency_key")
                .select_related("team", "submitted_by", "acknowledged_by")
                .order_by("reported_at", "pk")
            )
            self._report_rows = [report_facts(r) for r in rows]
        if clocked_only:
            return [r for r in self._report_rows if r.respond_within_minutes is not None]
        return self._report_rows

    def tasks(self) -> list[Resource]:
        out = [care.report_task(r) for r in self._reports(clocked_only=True)]
        for patient_id, due in sorted(hna_due_for(self.ids, today=self.today).items()):
            if due.due and due.since is not None and due.deadline is not None:
                out.append(
                    care.assessment_due_task(
                        AssessmentDueFacts(
                            patient=patient_id,
                            since=due.since,
                            reason=due.reason,
                            deadline=due.deadline,
                            overdue=due.overdue,
                            rules_version=due.rules_version,
                        )
                    )
                )
        return out

    def service_requests(self) -> list[Resource]:
        rows = (
            Referral.objects.filter(patient_id__in=self.ids)
            .select_related("service", "requested_by")
            .order_by("requested_at", "pk")
        )
        return [
            care.service_request(
                ReferralFacts(
                    pk=r.pk,
                    patient=r.patient_id,
                    service_name=r.service.name,
                    service_kind_label=r.service.get_kind_display(),
                    provider=r.service.provider,
                    reason=r.reason,
                    status=r.status,
                    status_label=r.get_status_display(),
                    status_reason=r.status_reason,
                    self_referral=r.self_referral,
                    requested_by=person(r.requested_by),
                    requested_at=r.requested_at,
                    respond_by=r.respond_by,
                    booked_for=r.booked_for,
                    closed_at=r.closed_at,
                )
            )
            for r in rows
        ]

    def questionnaire_responses(self) -> list[Resource]:
        out = [questionnaires.symptom_response(r) for r in self._reports(clocked_only=False)]
        assessments = (
            NeedsAssessment.objects.filter(
                patient_id__in=self.ids,
                status=AssessmentStatus.COMPLETED,
                completed_at__isnull=False,
            )
            .select_related("completed_by", "patient")
            .order_by("completed_at", "pk")
        )
        for a in assessments:
            assert a.completed_at is not None  # noqa: S101  # filtered above
            out.append(
                questionnaires.hna_response(
                    AssessmentFacts(
                        pk=a.pk,
                        patient=a.patient_id,
                        questionnaire_version=a.questionnaire_version,
                        completed_at=a.completed_at,
                        mode_label=a.get_mode_display(),
                        answers=tuple(
                            (str(k), v)
                            for k, v in (a.answers or {}).items()
                            if isinstance(v, int | str) and not isinstance(v, bool)
                        ),
                        completed_by=person(a.completed_by) if a.completed_by else None,
                        by_person=a.completed_by_id is not None
                        and a.completed_by_id == a.patient.user_id,
                    )
                )
            )
        return out

    def _contacts(self) -> list[ContactFacts]:
        """Read once for both the Encounters and the Communications they make."""
        if self._contact_rows is not None:
            return self._contact_rows
        rows = (
            Contact.objects.filter(patient_id__in=self.ids)
            .select_related("recorded_by")
            .order_by("on", "pk")
        )
        self._contact_rows = [
            ContactFacts(
                pk=c.pk,
                patient=c.patient_id,
                on=c.on,
                kind=c.kind,
                kind_label=c.get_kind_display(),
                key_worker_introduced=c.key_worker_introduced,
                note=c.note,
                recorded_by=person(c.recorded_by),
            )
            for c in rows
        ]
        return self._contact_rows

    def encounters(self) -> list[Resource]:
        out = [
            care.admission_encounter(
                AdmissionFacts(
                    pk=a.pk,
                    patient=a.patient_id,
                    admitted_on=a.on,
                    discharged_on=a.discharged_on,
                    reason=a.reason,
                    unplanned=a.unplanned,
                    note=a.note,
                )
            )
            for a in HospitalAdmission.objects.filter(patient_id__in=self.ids).order_by("on", "pk")
        ]
        out.extend(
            care.clinic_encounter(c) for c in self._contacts() if c.kind == ContactKind.CLINIC
        )
        return out

    def communications(self) -> list[Resource]:
        return [
            care.contact_communication(c)
            for c in self._contacts()
            if c.kind != ContactKind.CLINIC or c.key_worker_introduced
        ]


def report_facts(r: SymptomReport) -> SymptomReportFacts:
    items = []
    for item in r.symptoms or []:
        symptom = SYMPTOMS.get(str(item.get("code", "")))
        if symptom is None:
            continue
        field = {Kind.GRADED: "grade", Kind.FEATURE: "present"}.get(symptom.kind, symptom.field)
        value = item.get(field)
        if isinstance(value, bool | int | float):
            items.append(SymptomItemFacts(symptom.code, symptom.label, symptom.kind.value, value))
    assert r.patient_id is not None  # noqa: S101  # the export reads registered people only
    return SymptomReportFacts(
        pk=r.pk,
        patient=r.patient_id,
        source=r.source,
        source_label=r.get_source_display(),
        team_name=r.team.name,
        reported_at=r.reported_at,
        received_at=r.received_at,
        submitted_by=person(r.submitted_by),
        items=tuple(items),
        free_text=r.free_text,
        level=r.level,
        level_label=r.get_level_display(),
        pathways=tuple(str(p) for p in r.pathways or []),
        advice=r.advice,
        rules_version=r.rules_version,
        needs_review=r.needs_review,
        respond_within_minutes=r.respond_within_minutes,
        respond_by=r.respond_by,
        status=r.status,
        status_label=r.get_status_display(),
        acknowledged_by=person(r.acknowledged_by) if r.acknowledged_by else None,
        acknowledged_at=r.acknowledged_at,
        action_taken=r.action_taken,
        closed_at=r.closed_at,
        outcome=r.outcome,
    )


# How a resource id names its row, and whose record that row is. ---------------------------


def _owner_of(model: type[Model]) -> Callable[[int], int | None]:
    def owner(pk: int) -> int | None:
        value = model._default_manager.filter(pk=pk).values_list("patient_id", flat=True).first()
        return int(value) if value is not None else None

    return owner


def _the_patient(pk: int) -> int | None:
    return pk if Patient.objects.filter(pk=pk).exists() else None


@dataclass(frozen=True)
class IdForm:
    pattern: re.Pattern[str]
    owner: Callable[[int], int | None]


def _form(regex: str, owner: Callable[[int], int | None]) -> IdForm:
    return IdForm(re.compile(regex), owner)


@dataclass(frozen=True)
class Source:
    """One exported resource type: its id forms and the ``Export`` method that builds it."""

    resource_type: str
    ids: tuple[IdForm, ...]
    build: Callable[[Export], list[Resource]]

    def owner(self, resource_id: str) -> int | None:
        """Whose record the resource belongs to, or None when no such row exists."""
        for form in self.ids:
            match = form.pattern.fullmatch(resource_id)
            if match:
                return form.owner(int(match["pk"]))
        return None


SOURCES: dict[str, Source] = {
    s.resource_type: s
    for s in (
        Source("Patient", (_form(r"(?P<pk>\d{1,18})", _the_patient),), Export.patients),
        Source(
            "Condition",
            (
                _form(r"primary-(?P<pk>\d{1,18})", _owner_of(PrimaryDiagnosis)),
                _form(r"secondary-(?P<pk>\d{1,18})", _owner_of(SecondaryDiagnosis)),
            ),
            Export.conditions,
        ),
        Source(
            "Observation",
            (
                _form(r"receptor-(?P<pk>\d{1,18})", _owner_of(ReceptorResult)),
                _form(r"primary-(?P<pk>\d{1,18})-(er|pr|her2)", _owner_of(PrimaryDiagnosis)),
                _form(r"secondary-(?P<pk>\d{1,18})-(er|pr|her2)", _owner_of(SecondaryDiagnosis)),
                _form(r"progression-(?P<pk>\d{1,18})", _owner_of(ProgressionEvent)),
                _form(r"response-(?P<pk>\d{1,18})", _owner_of(ResponseAssessment)),
            ),
            Export.observations,
        ),
        Source(
            "MedicationRequest",
            (_form(r"line-(?P<pk>\d{1,18})", _owner_of(TreatmentLine)),),
            Export.medication_requests,
        ),
        Source(
            "Procedure",
            (_form(r"biopsy-(?P<pk>\d{1,18})", _owner_of(Biopsy)),),
            Export.procedures,
        ),
        Source("CareTeam", (_form(r"careteam-(?P<pk>\d{1,18})", _the_patient),), Export.care_teams),
        Source(
            "CarePlan",
            (_form(r"careplan-(?P<pk>\d{1,18})", _owner_of(CarePlanRevision)),),
            Export.care_plans,
        ),
        Source(
            "Task",
            (
                _form(r"report-(?P<pk>\d{1,18})", _owner_of(SymptomReport)),
                _form(r"hna-due-(?P<pk>\d{1,18})", _the_patient),
            ),
            Export.tasks,
        ),
        Source(
            "ServiceRequest",
            (_form(r"referral-(?P<pk>\d{1,18})", _owner_of(Referral)),),
            Export.service_requests,
        ),
        Source(
            "QuestionnaireResponse",
            (
                _form(r"report-(?P<pk>\d{1,18})", _owner_of(SymptomReport)),
                _form(r"hna-(?P<pk>\d{1,18})", _owner_of(NeedsAssessment)),
            ),
            Export.questionnaire_responses,
        ),
        Source(
            "Encounter",
            (
                _form(r"admission-(?P<pk>\d{1,18})", _owner_of(HospitalAdmission)),
                _form(r"contact-(?P<pk>\d{1,18})", _owner_of(Contact)),
            ),
            Export.encounters,
        ),
        Source(
            "Communication",
            (_form(r"contact-(?P<pk>\d{1,18})", _owner_of(Contact)),),
            Export.communications,
        ),
    )
}
# $everything: every type, the person first.
EVERYTHING_ORDER: tuple[str, ...] = tuple(SOURCES)


def everything(export: Export) -> list[Resource]:
    return [r for t in EVERYTHING_ORDER for r in SOURCES[t].build(export)]
