"""Reads for the export: the ORM rows of a set of people, as the outbound mapping's facts, then
as resources. Every loader costs a fixed number of queries however many rows there are, and
works for one person ($everything, a search by patient) or a page of people.

Callers have already checked the policy: these functions take patient ids that are in scope.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model

from waypoint.assessments.models import CarePlanRevision, NeedsAssessment
from waypoint.fhir.export.sources.care import CareReads, report_facts
from waypoint.fhir.export.sources.clinical import ClinicalReads, patient_facts, patients_with_joins
from waypoint.fhir.mapping.outbound.common import Resource
from waypoint.registry.models import (
    Biopsy,
    Patient,
    PrimaryDiagnosis,
    ReceptorResult,
    SecondaryDiagnosis,
)
from waypoint.support.models import Referral
from waypoint.timeline.models import (
    Contact,
    HospitalAdmission,
    ProgressionEvent,
    ResponseAssessment,
)
from waypoint.treatment.models import TreatmentLine
from waypoint.triage.models import SymptomReport

__all__ = [
    "SOURCES",
    "Export",
    "everything",
    "patient_facts",
    "patients_with_joins",
    "report_facts",
]


class Export(ClinicalReads, CareReads):
    """Every resource of ``patient_ids``, one method per resource type."""


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
