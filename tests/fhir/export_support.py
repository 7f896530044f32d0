"""Shared by the export tests: R4B validation of anything emitted, and a person with a full
history built through the services."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class

from tests.world import World
from waypoint.accounts.models import User
from waypoint.accounts.services import api_token_create
from waypoint.assessments.care_plans import ActionInput, care_plan_revise
from waypoint.assessments.models import CarePlanRevision, NeedsAssessment
from waypoint.assessments.services import hna_open, hna_save
from waypoint.careteam.models import Cover
from waypoint.careteam.services import cover_arrange
from waypoint.registry.models import Biopsy, PrimaryDiagnosis, ReceptorResult, SecondaryDiagnosis
from waypoint.registry.results import biopsy_record, receptor_result_record
from waypoint.registry.services import primary_diagnosis_record
from waypoint.support.models import Referral, SupportService
from waypoint.support.services import referral_create, referral_move
from waypoint.timeline.models import (
    Contact,
    HospitalAdmission,
    ProgressionEvent,
    ResponseAssessment,
)
from waypoint.timeline.services import timeline_record
from waypoint.treatment.models import TreatmentLine
from waypoint.treatment.services import (
    treatment_cycle_record,
    treatment_line_start,
    treatment_line_stop,
)
from waypoint.triage.models import SymptomReport
from waypoint.triage.services import ReportInput, symptom_report_submit

FHIR_ID = re.compile(r"[A-Za-z0-9\-\.]{1,64}")


def _no_empty_values(value: object, path: str) -> None:
    """FHIR's ele-1: no element is empty (no "", [], {} or null). fhir.resources checks element
    names, types and cardinality but not this."""
    assert value not in ("", [], {}, None), f"{path} is empty"
    if isinstance(value, dict):
        for key, item in value.items():
            _no_empty_values(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _no_empty_values(item, f"{path}[{i}]")


def assert_r4b(resource: dict[str, Any]) -> None:
    """Parse ``resource`` with the fhir.resources R4B model of its resourceType (and every
    Bundle entry with its own), so an element out of place, a wrong type or a missing required
    element fails the test; and check that no element is empty."""
    model = get_fhir_model_class(resource["resourceType"])
    model.model_validate(resource)
    _no_empty_values(resource, resource["resourceType"])
    if "id" in resource:
        assert FHIR_ID.fullmatch(resource["id"]), resource["id"]
    for entry in resource.get("entry", []):
        assert_r4b(entry["resource"])


@dataclass
class History:
    primary: PrimaryDiagnosis
    secondary: SecondaryDiagnosis
    er_metastatic: ReceptorResult
    her2_unknown_specimen: ReceptorResult
    biopsy: Biopsy
    first_line: TreatmentLine
    second_line: TreatmentLine
    progression: ProgressionEvent
    response: ResponseAssessment
    call: Contact
    clinic: Contact
    admission: HospitalAdmission
    report: SymptomReport
    assessment: NeedsAssessment
    plans: list[CarePlanRevision]
    referral: Referral
    cover: Cover


def full_history(world: World) -> History:
    """Everything the export sends, for ``world.patient`` (team A; key worker Kate Walker)."""
    kw, patient = world.key_worker, world.patient
    today = timezone.localdate()
    secondary = SecondaryDiagnosis.objects.get(patient=patient)
    primary = primary_diagnosis_record(
        actor=kw,
        patient=patient,
        diagnosed_on=dt.date(2019, 3, 1),
        laterality="left",
        er="positive",
        pr="positive",
        her2="negative",
    )
    er = receptor_result_record(
        actor=kw,
        patient=patient,
        marker="er",
        value="negative",
        observed_on=dt.date(2026, 10, 3),
        specimen="metastatic",
    )
    her2 = receptor_result_record(
        actor=kw,
        patient=patient,
        marker="her2",
        value="low",
        observed_on=dt.date(2026, 10, 3),
        specimen="unknown",
    )
    biopsy = biopsy_record(
        actor=kw,
        patient=patient,
        performed_on=dt.date(2026, 10, 2),
        site="bone",
        body_site="T10 vertebra",
    )
    first = treatment_line_start(
        actor=kw,
        patient=patient,
        kind="targeted",
        drugs="Ribociclib and letrozole",
        started_on=dt.date(2026, 10, 5),
        today=today,
    )
    treatment_cycle_record(actor=kw, line_id=first.pk, started_on=dt.date(2026, 10, 5), today=today)
    treatment_cycle_record(actor=kw, line_id=first.pk, started_on=dt.date(2026, 11, 2), today=today)
    first = treatment_line_stop(
        actor=kw,
        line_id=first.pk,
        stopped_on=dt.date(2026, 11, 10),
        reason="progression",
        today=today,
    )
    second = treatment_line_start(
        actor=kw,
        patient=patient,
        kind="chemotherapy",
        drugs="Capecitabine",
        started_on=dt.date(2026, 11, 12),
        today=today,
    )
    progression = timeline_record(
        actor=kw,
        patient_id=patient.pk,
        kind="progression",
        on=dt.date(2026, 11, 9),
        note="New liver lesions",
    )
    response = timeline_record(
        actor=kw, patient_id=patient.pk, kind="response", on=dt.date(2026, 10, 30), result="stable"
    )
    call = timeline_record(
        actor=kw,
        patient_id=patient.pk,
        kind="contact",
        on=dt.date(2026, 10, 2),
        contact_kind="call",
        key_worker_introduced=True,
    )
    clinic = timeline_record(
        actor=kw,
        patient_id=patient.pk,
        kind="contact",
        on=dt.date(2026, 10, 20),
        contact_kind="clinic",
    )
    admission = timeline_record(
        actor=kw,
        patient_id=patient.pk,
        kind="admission",
        on=dt.date(2026, 11, 1),
        discharged_on=dt.date(2026, 11, 4),
        reason="Hypercalcaemia",
    )
    report, _ = symptom_report_submit(
        actor=kw,
        patient=patient,
        source="clinician",
        data=ReportInput(
            symptoms=[
                {"code": "breathlessness", "grade": 3},
                {"code": "chest_pain", "present": True},
            ],
            free_text="Short of breath on the stairs",
        ),
    )
    assert report.respond_by is not None
    assessment = hna_open(actor=world.patient_user, patient_id=patient.pk)
    assessment = hna_save(
        actor=world.patient_user,
        assessment_id=assessment.pk,
        answers={
            "distress": 3,
            "physical.fatigue": 7,
            "emotional.worry": 5,
            "anything_else": "Tired",
        },
        finish=True,
    )
    plans = [
        care_plan_revise(
            actor=kw,
            patient_id=patient.pk,
            actions=[ActionInput(action="Refer to fatigue clinic", owner="Key worker")],
        ),
        care_plan_revise(
            actor=kw,
            patient_id=patient.pk,
            actions=[
                ActionInput(action="Refer to fatigue clinic", owner="Key worker", status="done"),
                ActionInput(
                    action="Benefits advice", owner="Ada", due_on=today + dt.timedelta(days=14)
                ),
            ],
            note="Reviewed after progression",
        ),
    ]
    service = SupportService.objects.create(
        name="Benefits advice",
        kind="benefits",
        provider="Macmillan",
        area_served="National",
        mode="phone",
    )
    referral = referral_create(
        actor=kw, patient_id=patient.pk, service_id=service.pk, reason="Money worries"
    )
    referral = referral_move(actor=kw, referral_id=referral.pk, to="accepted")
    cover = cover_arrange(
        actor=kw,
        absent_user_id=kw.pk,
        cover_user_id=world.colleague.pk,
        starts_on=today,
        ends_on=today + dt.timedelta(days=7),
    )
    assert isinstance(progression, ProgressionEvent)
    assert isinstance(response, ResponseAssessment)
    assert isinstance(call, Contact) and isinstance(clinic, Contact)
    assert isinstance(admission, HospitalAdmission)
    return History(
        primary=primary,
        secondary=secondary,
        er_metastatic=er,
        her2_unknown_specimen=her2,
        biopsy=biopsy,
        first_line=first,
        second_line=second,
        progression=progression,
        response=response,
        call=call,
        clinic=clinic,
        admission=admission,
        report=report,
        assessment=assessment,
        plans=plans,
        referral=referral,
        cover=cover,
    )


def fhir_client(user: User, **headers: str) -> Client:
    """A client sending ``user``'s bearer token (and any other headers), as a hospital system
    would."""
    _, token = api_token_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", **headers)  # type: ignore[arg-type]
