"""The registry's rows as the clinical resources: Patient, Condition, Observation,
MedicationRequest and Procedure."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet

from waypoint.fhir.export.sources.base import HER2_LABELS, SPECIMEN_LABELS, Rows
from waypoint.fhir.mapping.outbound import clinical
from waypoint.fhir.mapping.outbound.common import Resource
from waypoint.fhir.mapping.outbound.facts import (
    BiopsyFacts,
    DiseaseStatusFacts,
    LineFacts,
    MarkerFacts,
    OrganisationFact,
    PatientFacts,
    PrimaryFacts,
    SecondaryFacts,
    SiteFact,
)
from waypoint.registry.models import (
    NHS_NUMBER_SYSTEM,
    Biopsy,
    Patient,
    PrimaryDiagnosis,
    ReceptorMarker,
    ReceptorResult,
    SecondaryDiagnosis,
    Specimen,
)
from waypoint.timeline.models import (
    ProgressionEvent,
    ResponseAssessment,
)
from waypoint.treatment.models import TreatmentLine


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


class ClinicalReads(Rows):
    def patients(self) -> list[Resource]:
        rows = patients_with_joins(Patient.objects.filter(pk__in=self.ids)).order_by("pk")
        return [clinical.patient_resource(patient_facts(p), canonical=self.canonical) for p in rows]

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
                    ),
                    canonical=self.canonical,
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
                    ),
                    canonical=self.canonical,
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
        out = [clinical.tumour_marker(m, canonical=self.canonical) for m in self._markers()]
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
        out.extend(
            clinical.disease_status(d, canonical=self.canonical)
            for d in sorted(statuses, key=lambda d: d.on)
        )
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
                ),
                canonical=self.canonical,
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
                ),
                canonical=self.canonical,
            )
            for b in Biopsy.objects.filter(patient_id__in=self.ids).order_by("performed_on", "pk")
        ]
