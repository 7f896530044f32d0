"""From a report to the person's record: a helpline nurse is not stopped to give a reason they
have already given by dealing with the report; the reason is recorded."""

from __future__ import annotations

import re

import pytest

from waypoint.audit.models import AuditEvent
from waypoint.triage.services import ReportInput, symptom_report_submit

pytestmark = pytest.mark.django_db


def test_the_helpline_nurse_opens_the_record_from_a_report_they_logged(world, client) -> None:
    report, _ = symptom_report_submit(
        actor=world.helpline_nurse,
        patient=world.patient,
        source="helpline",
        data=ReportInput(symptoms=[{"code": "limb_weakness", "present": True}]),
        reason="The person rang the helpline",
    )
    client.force_login(world.helpline_nurse)
    page = client.get(f"/triage/reports/{report.pk}/?reason=call").content.decode()
    link = re.search(r'href="([^"]+)">Open the record<', page)
    assert link is not None
    href = link.group(1).replace("&amp;", "&")
    opened = client.get(href)
    assert opened.status_code == 200
    assert AuditEvent.objects.filter(
        actor=world.helpline_nurse,
        patient=world.patient,
        reason=f"Dealing with symptom report {report.pk}",
    ).exists()


def test_a_team_clinicians_link_carries_no_reason(world, client) -> None:
    report, _ = symptom_report_submit(
        actor=world.patient_user,
        patient=world.patient,
        source="patient",
        data=ReportInput(symptoms=[{"code": "limb_weakness", "present": True}]),
    )
    client.force_login(world.key_worker)
    page = client.get(f"/triage/reports/{report.pk}/").content.decode()
    assert f'href="/patients/{world.patient.pk}/">Open the record<' in page
