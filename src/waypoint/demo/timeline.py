"""The demo persona's history: cycles of her line, receptor results with their tissue, a biopsy,
an MDT discussion, an admission, and a recent progression, so the caseload shows what falls due
after one (an MDT discussion, a needs assessment, a support review)."""

from __future__ import annotations

import datetime as dt

from waypoint.accounts.models import User
from waypoint.registry.models import Patient
from waypoint.registry.results import biopsy_record, receptor_result_record
from waypoint.timeline.services import timeline_record
from waypoint.treatment.models import TreatmentLine
from waypoint.treatment.services import treatment_cycle_record


def load_timeline_demo(*, users: dict[str, User], today: dt.date) -> None:
    sarah = Patient.objects.get(user__username="patient")
    nurse = users["keyworker"]
    oncologist = users["oncologist"]

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    primary_on = ago(6 * 365)
    for marker, value in (("er", "positive"), ("pr", "positive"), ("her2", "negative")):
        receptor_result_record(
            actor=nurse,
            patient=sarah,
            marker=marker,
            value=value,
            observed_on=primary_on,
            specimen="primary",
        )
    biopsy_record(
        actor=nurse,
        patient=sarah,
        performed_on=ago(195),
        site="liver",
        body_site="Liver, segment 6",
        note="Metastatic breast carcinoma",
    )
    for marker, value in (("er", "positive"), ("pr", "negative"), ("her2", "low")):
        receptor_result_record(
            actor=nurse,
            patient=sarah,
            marker=marker,
            value=value,
            observed_on=ago(190),
            specimen="metastatic",
        )
    timeline_record(
        actor=oncologist,
        patient_id=sarah.pk,
        kind="mdt",
        on=ago(188),
        note="CDK4/6 inhibitor with fulvestrant",
    )
    timeline_record(
        actor=nurse,
        patient_id=sarah.pk,
        kind="contact",
        on=ago(185),
        contact_kind="clinic",
        key_worker_introduced=True,
        note="Met Sarah and her husband; gave my direct line and the helpline number",
    )
    line = TreatmentLine.objects.get(patient=sarah, line_number=1)
    for cycle in range(5):
        treatment_cycle_record(
            actor=oncologist,
            line_id=line.pk,
            started_on=line.started_on + dt.timedelta(days=28 * cycle),
            dose_modified=cycle == 2,
            note="Palbociclib reduced to 100 mg for neutropenia" if cycle == 2 else "",
            today=today,
        )
    timeline_record(
        actor=oncologist, patient_id=sarah.pk, kind="response", on=ago(60), result="stable"
    )
    timeline_record(
        actor=nurse,
        patient_id=sarah.pk,
        kind="admission",
        on=ago(75),
        discharged_on=ago(72),
        reason="Neutropenic sepsis",
        unplanned=True,
    )
    timeline_record(
        actor=oncologist,
        patient_id=sarah.pk,
        kind="progression",
        on=ago(10),
        note="CT: new lung nodules; for discussion at the MDT",
    )
