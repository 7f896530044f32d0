"""Every app offers its own events (``<app>/timeline_source.py``) and the workspace merges them:
the merged chronology is the one the timeline always showed, for the same number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from tests.world import World, build_world

from waypoint.assessments.care_plans import ActionInput, care_plan_revise
from waypoint.assessments.services import hna_decline
from waypoint.core.chronology import Entry
from waypoint.registry.models import Patient
from waypoint.registry.results import biopsy_record, receptor_result_record
from waypoint.registry.services import patient_update
from waypoint.support.models import SupportService
from waypoint.support.services import referral_create
from waypoint.timeline.services import timeline_record
from waypoint.treatment.services import (
    treatment_cycle_record,
    treatment_line_start,
    treatment_line_stop,
)
from waypoint.triage.services import ReportInput, symptom_report_submit
from waypoint.workspace.timeline import timeline_for

pytestmark = pytest.mark.django_db

DIAGNOSED = dt.date(2026, 10, 1)
REVIEWED = dt.date(2026, 11, 10)
TODAY = dt.date(2026, 11, 20)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _history() -> World:
    """One event of every kind, many on the same two days, so the order of ties is pinned too."""
    with time_machine.travel(_at(DIAGNOSED, 9), tick=False):
        world = build_world()
    patient, nurse = world.patient, world.key_worker
    with time_machine.travel(_at(TODAY, 12), tick=False):
        biopsy_record(actor=nurse, patient=patient, performed_on=DIAGNOSED, site="liver")
        receptor_result_record(
            actor=nurse,
            patient=patient,
            marker="er",
            value="positive",
            observed_on=DIAGNOSED,
            specimen="metastatic",
        )
        line = treatment_line_start(
            actor=world.oncologist,
            patient=patient,
            kind="endocrine",
            drugs="Letrozole",
            started_on=DIAGNOSED,
            today=TODAY,
        )
        for started_on, modified in ((line.started_on, False), (dt.date(2026, 11, 2), True)):
            treatment_cycle_record(
                actor=world.oncologist,
                line_id=line.pk,
                started_on=started_on,
                dose_modified=modified,
                note="Held for a week" if modified else "",
                today=TODAY,
            )
        treatment_line_stop(
            actor=world.oncologist,
            line_id=line.pk,
            stopped_on=REVIEWED,
            reason="progression",
            today=TODAY,
        )
        timeline_record(
            actor=nurse,
            patient_id=patient.pk,
            kind="admission",
            on=dt.date(2026, 11, 2),
            discharged_on=dt.date(2026, 11, 5),
            reason="Neutropenic sepsis",
            unplanned=True,
        )
        for kind, extra in (
            ("support_review", {}),
            ("progression", {"note": "New liver lesions"}),
            ("response", {"result": "progressive"}),
            ("mdt", {"note": "Start capecitabine"}),
            ("contact", {"contact_kind": "clinic"}),
        ):
            timeline_record(actor=nurse, patient_id=patient.pk, kind=kind, on=REVIEWED, **extra)
        symptom_report_submit(
            actor=world.patient_user,
            patient=patient,
            source="patient",
            data=ReportInput(
                symptoms=[{"code": "fatigue", "grade": 1}], reported_at=_at(REVIEWED, 14)
            ),
            now=_at(REVIEWED, 14),
        )
        hna_decline(actor=nurse, patient_id=patient.pk, reason="Not today", now=_at(REVIEWED, 15))
        care_plan_revise(
            actor=nurse,
            patient_id=patient.pk,
            actions=[ActionInput(action="Call after the scan", owner="Key worker")],
            note="Agreed in clinic",
            now=_at(REVIEWED, 16),
        )
        benefits = SupportService.objects.create(
            name="Benefits advice",
            kind="benefits",
            provider="Provider",
            area_served="National",
            mode="phone",
            response_days=14,
        )
        referral_create(
            actor=nurse,
            patient_id=patient.pk,
            service_id=benefits.pk,
            reason="Help with PIP",
            now=_at(REVIEWED, 16),
        )
        patient_update(actor=nurse, patient=patient, changes={"died_on": TODAY})
    return world


# What timeline_for returned for this history before the chronology was split into one source
# per app (the same records, read by the previous single function).
EXPECTED = [
    Entry(TODAY, None, "death", "Died", "", ""),
    Entry(
        REVIEWED,
        _at(REVIEWED, 16),
        "care_plan",
        "Care plan revision 1",
        "Agreed in clinic",
        "Care and support plan agreed",
    ),
    Entry(
        REVIEWED,
        _at(REVIEWED, 16),
        "referral",
        "Referral to Benefits advice",
        "Requested",
        "Referred to Benefits advice",
    ),
    Entry(
        REVIEWED,
        _at(REVIEWED, 15),
        "assessment",
        "Needs assessment declined",
        "Not today",
        "Needs assessment",
    ),
    Entry(
        REVIEWED,
        _at(REVIEWED, 14),
        "symptoms",
        "Symptom report (Green, The person, on the portal)",
        "Waiting for a clinician",
        "You reported symptoms",
    ),
    Entry(REVIEWED, None, "treatment", "Line 1 stopped", "Progression", "Stopped Letrozole"),
    Entry(
        REVIEWED,
        None,
        "support_review",
        "Support reviewed",
        "",
        "Your support was reviewed with you",
    ),
    Entry(REVIEWED, None, "progression", "Progression", "New liver lesions", ""),
    Entry(REVIEWED, None, "response", "Progressive disease", "", ""),
    Entry(
        REVIEWED,
        None,
        "mdt",
        "Discussed at the MDT meeting",
        "Start capecitabine",
        "Your care was discussed by your team",
    ),
    Entry(REVIEWED, None, "contact", "Clinic", "", "Clinic with your team"),
    Entry(
        dt.date(2026, 11, 2),
        None,
        "cycle",
        "Line 1, cycle 2",
        "dose reduced or delayed; Held for a week",
        "Treatment cycle 2",
    ),
    Entry(
        dt.date(2026, 11, 2),
        None,
        "admission",
        "Emergency admission",
        "Neutropenic sepsis; discharged 05 Nov 2026",
        "Admitted to hospital",
    ),
    Entry(
        DIAGNOSED,
        _at(DIAGNOSED, 9),
        "key_worker",
        "Key worker: Kate Walker",
        "New diagnosis",
        "Kate Walker became your key worker",
    ),
    Entry(
        DIAGNOSED,
        None,
        "diagnosis",
        "Secondary breast cancer diagnosed",
        "Bone",
        "Secondary breast cancer diagnosed",
    ),
    Entry(
        DIAGNOSED,
        None,
        "treatment",
        "Line 1 started",
        "Letrozole (Endocrine (hormone) therapy)",
        "Started Letrozole",
    ),
    Entry(DIAGNOSED, None, "cycle", "Line 1, cycle 1", "", "Treatment cycle 1"),
    Entry(DIAGNOSED, None, "biopsy", "Biopsy (Liver)", "", "Biopsy"),
    Entry(DIAGNOSED, None, "receptor", "Oestrogen receptor (ER): Positive", "Metastasis", ""),
]


def test_every_app_s_events_merge_in_the_order_the_timeline_always_had() -> None:
    world = _history()
    patient = Patient.objects.get(pk=world.patient.pk)
    assert timeline_for(patient) == EXPECTED


def test_the_chronology_costs_one_query_per_kind_of_record(django_assert_num_queries) -> None:
    world = _history()
    patient = Patient.objects.get(pk=world.patient.pk)
    with django_assert_num_queries(17):  # sites are prefetched with their diagnoses
        timeline_for(patient)
