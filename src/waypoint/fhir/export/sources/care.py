"""Waypoint's own work as resources: CareTeam, CarePlan, Task, ServiceRequest,
QuestionnaireResponse, Encounter and Communication."""

from __future__ import annotations

import itertools
from collections import defaultdict

from waypoint.assessments.models import AssessmentStatus, CarePlanRevision, NeedsAssessment
from waypoint.assessments.selectors import hna_due_for
from waypoint.careteam.models import Cover, KeyWorkerAssignment
from waypoint.fhir.export.sources.base import Rows, person
from waypoint.fhir.mapping.outbound import care, questionnaires
from waypoint.fhir.mapping.outbound.common import Resource
from waypoint.fhir.mapping.outbound.facts import (
    AdmissionFacts,
    AssessmentDueFacts,
    AssessmentFacts,
    CarePlanFacts,
    CareTeamFacts,
    ContactFacts,
    CoverFacts,
    OrganisationFact,
    PlanActionFacts,
    ReferralFacts,
    SymptomItemFacts,
    SymptomReportFacts,
)
from waypoint.registry.models import (
    Patient,
)
from waypoint.support.models import Referral
from waypoint.timeline.models import (
    Contact,
    ContactKind,
    HospitalAdmission,
)
from waypoint.triage.models import SymptomReport
from waypoint.triage.rules.vocabulary import SYMPTOMS, Kind


class CareReads(Rows):
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
                    canonical=self.canonical,
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
                ),
                canonical=self.canonical,
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
        out = [
            care.report_task(r, canonical=self.canonical) for r in self._reports(clocked_only=True)
        ]
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
                        ),
                        canonical=self.canonical,
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
                ),
                canonical=self.canonical,
            )
            for r in rows
        ]

    def questionnaire_responses(self) -> list[Resource]:
        out = [
            questionnaires.symptom_response(r, canonical=self.canonical)
            for r in self._reports(clocked_only=False)
        ]
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
                    ),
                    canonical=self.canonical,
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
                ),
                canonical=self.canonical,
            )
            for a in HospitalAdmission.objects.filter(patient_id__in=self.ids).order_by("on", "pk")
        ]
        out.extend(
            care.clinic_encounter(c, canonical=self.canonical)
            for c in self._contacts()
            if c.kind == ContactKind.CLINIC
        )
        return out

    def communications(self) -> list[Resource]:
        return [
            care.contact_communication(c, canonical=self.canonical)
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
        thresholds_fingerprint=r.thresholds_fingerprint,
    )
