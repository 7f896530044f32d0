"""Waypoint's own work as FHIR: the named key worker and cover (CareTeam), care and support plans
(CarePlan), follow-ups with a clock (Task), referrals (ServiceRequest), admissions and clinic
visits (Encounter), and calls, letters and portal messages (Communication)."""

from __future__ import annotations

import datetime as dt

from waypoint.fhir.mapping.outbound.common import (
    ACT_CODE,
    ACT_PRIORITY,
    EXT_KEY_WORKER_INTRODUCED,
    EXT_REFERRAL_STATUS,
    Resource,
    coding,
    compact,
    concept,
    day,
    display_ref,
    instant,
    meta,
    ods_ref,
    own,
    patient_ref,
    ref,
    text_concept,
)
from waypoint.fhir.mapping.outbound.facts import (
    AdmissionFacts,
    AssessmentDueFacts,
    CarePlanFacts,
    CareTeamFacts,
    ContactFacts,
    PersonRef,
    ReferralFacts,
    SymptomReportFacts,
)

KEY_WORKER_ROLE = "Named key worker (clinical nurse specialist)"
COVER_ROLE = "Covering for the named key worker"


def _person(person: PersonRef) -> dict[str, str]:
    return display_ref(f"{person.name}, {person.job_title}" if person.job_title else person.name)


def care_team(c: CareTeamFacts, *, today: dt.date, canonical: str) -> Resource:
    """The person's named key worker now, and cover for them today or planned, each with a
    period. Past key workers are not sent: a receiver shows who to contact now."""
    participants: list[Resource] = []
    if c.key_worker is not None:
        participants.append(
            compact(
                {
                    "role": [text_concept(KEY_WORKER_ROLE)],
                    "member": _person(c.key_worker),
                    "period": {"start": instant(c.key_worker_since)}
                    if c.key_worker_since
                    else None,
                }
            )
        )
        for cover in c.covers:
            if cover.ends_on < today:
                continue
            participants.append(
                {
                    "role": [text_concept(f"{COVER_ROLE} ({cover.reason})")],
                    "member": _person(cover.cover),
                    "period": {"start": day(cover.starts_on), "end": day(cover.ends_on)},
                }
            )
    telecom: list[Resource] = [
        {"system": "phone", "value": c.in_hours_phone, "use": "work", "rank": 1},
        {"system": "phone", "value": c.out_of_hours_phone, "use": "temp", "rank": 2},
    ]
    if c.team_email:
        telecom.append({"system": "email", "value": c.team_email, "use": "work"})
    return compact(
        {
            "resourceType": "CareTeam",
            "id": f"careteam-{c.patient}",
            "meta": meta(canonical=canonical),
            # After a death the assignment has ended and the team no longer acts for the person.
            "status": "inactive" if c.person_died else "active",
            "name": f"{c.team_name}: named key worker",
            "subject": patient_ref(c.patient),
            "participant": participants,
            "managingOrganization": [
                ods_ref(c.organisation.ods_code, f"{c.team_name}, {c.organisation.name}")
            ],
            "telecom": [t for t in telecom if t["value"]],
            "note": [
                {
                    "text": f"In hours ({c.in_hours_description}): {c.in_hours_phone}. "
                    f"Out of hours (acute oncology): {c.out_of_hours_phone}."
                    + ("" if c.key_worker else " No named key worker is assigned at present.")
                }
            ],
        }
    )


_ACTION_STATUS = {
    "to_do": "not-started",
    "in_progress": "in-progress",
    "done": "completed",
    "not_needed": "cancelled",
}


def care_plan(p: CarePlanFacts, *, canonical: str) -> Resource:
    """One revision. Revisions are never changed; an earlier one is ``revoked`` and replaced by
    the next (``replaces``), so what was agreed when stays readable."""
    notes = [] if p.agreed_with_person else ["Not yet agreed with the person."]
    if p.note:
        notes.append(p.note)
    return compact(
        {
            "resourceType": "CarePlan",
            "id": f"careplan-{p.pk}",
            "meta": meta(canonical=canonical),
            "status": "active" if p.current else "revoked",
            "intent": "plan",
            "title": f"Care and support plan, revision {p.number}",
            "category": [text_concept("Care and support plan")],
            "subject": patient_ref(p.patient),
            "created": instant(p.created_at),
            "author": _person(p.author),
            "replaces": [ref("CarePlan", f"careplan-{p.replaces}")] if p.replaces else [],
            "supportingInfo": [ref("QuestionnaireResponse", f"hna-{p.assessment}")]
            if p.assessment
            else [],
            "activity": [
                {
                    "detail": compact(
                        {
                            "status": _ACTION_STATUS.get(a.status, "unknown"),
                            "description": a.action,
                            "reasonCode": [text_concept(a.concern_text)] if a.concern_text else [],
                            "scheduledPeriod": {"end": day(a.due_on)} if a.due_on else None,
                            "performer": [display_ref(a.owner)] if a.owner else [],
                        }
                    )
                }
                for a in p.actions
            ],
            "note": [{"text": n} for n in notes],
        }
    )


_REPORT_TASK_STATUS = {"open": "requested", "acknowledged": "in-progress", "closed": "completed"}
_LEVEL_PRIORITY = {"emergency": "stat", "red": "asap", "amber": "urgent", "green": "routine"}


def report_task(r: SymptomReportFacts, *, canonical: str) -> Resource:
    """The follow-up a graded report asks of the team, with its response clock as the period
    by which it must be acted on (``restriction.period.end``)."""
    owner = _person(r.acknowledged_by) if r.acknowledged_by else display_ref(r.team_name)
    notes = [n for n in (r.action_taken, r.outcome) if n]
    return compact(
        {
            "resourceType": "Task",
            "id": f"report-{r.pk}",
            "meta": meta(canonical=canonical),
            "status": _REPORT_TASK_STATUS[r.status],
            "businessStatus": text_concept(r.status_label),
            "intent": "order",
            "priority": _LEVEL_PRIORITY[r.level],
            "code": text_concept(f"Respond to a {r.level_label.lower()} symptom report"),
            "description": r.advice,
            "focus": ref("QuestionnaireResponse", f"report-{r.pk}"),
            "for": patient_ref(r.patient),
            "authoredOn": instant(r.received_at),
            "lastModified": instant(r.closed_at or r.acknowledged_at or r.received_at),
            "owner": owner,
            "executionPeriod": compact(
                {
                    "start": instant(r.acknowledged_at) if r.acknowledged_at else None,
                    "end": instant(r.closed_at) if r.closed_at else None,
                }
            ),
            "restriction": {"period": {"end": instant(r.respond_by)}} if r.respond_by else None,
            "note": [{"text": n} for n in notes],
        }
    )


def assessment_due_task(d: AssessmentDueFacts, *, canonical: str) -> Resource:
    return compact(
        {
            "resourceType": "Task",
            "id": f"hna-due-{d.patient}",
            "meta": meta(canonical=canonical),
            "status": "requested",
            "intent": "plan",
            "priority": "urgent" if d.overdue else "routine",
            "code": text_concept("Offer a holistic needs assessment"),
            "description": f"Due since {day(d.since)} ({d.reason}); offer by {day(d.deadline)}"
            + (" (overdue)." if d.overdue else "."),
            "for": patient_ref(d.patient),
            "restriction": {"period": {"start": day(d.since), "end": day(d.deadline)}},
            "note": [{"text": f"Rules {d.rules_version}."}],
        }
    )


_REFERRAL_STATUS = {
    "requested": "active",
    "accepted": "active",
    "booked": "active",
    "completed": "completed",
    "declined": "revoked",
    "cancelled": "revoked",
}


def service_request(r: ReferralFacts, *, canonical: str) -> Resource:
    """A referral. FHIR's status has one ``active`` for requested, accepted and booked, so the
    lifecycle step travels in an extension too."""
    notes = [f"{r.status_label}: {r.status_reason}" if r.status_reason else r.status_label]
    notes.append(f"Response expected by {day(r.respond_by)}.")
    requester = patient_ref(r.patient) if r.self_referral else _person(r.requested_by)
    return compact(
        {
            "resourceType": "ServiceRequest",
            "id": f"referral-{r.pk}",
            "meta": meta(canonical=canonical),
            "extension": [{"url": own(canonical, EXT_REFERRAL_STATUS), "valueCode": r.status}],
            "status": _REFERRAL_STATUS[r.status],
            "intent": "order",
            "category": [text_concept(r.service_kind_label)],
            "code": text_concept(r.service_name),
            "subject": patient_ref(r.patient),
            "occurrenceDateTime": instant(r.booked_for) if r.booked_for else None,
            "authoredOn": instant(r.requested_at),
            "requester": requester,
            "performer": [display_ref(f"{r.service_name} ({r.provider})")],
            "reasonCode": [text_concept(r.reason)] if r.reason else [],
            "note": [{"text": n} for n in notes],
        }
    )


def admission_encounter(a: AdmissionFacts, *, canonical: str) -> Resource:
    return compact(
        {
            "resourceType": "Encounter",
            "id": f"admission-{a.pk}",
            "meta": meta(canonical=canonical),
            "status": "finished" if a.discharged_on else "in-progress",
            "class": coding(ACT_CODE, "IMP", "inpatient encounter"),
            "priority": concept(
                coding(ACT_PRIORITY, "EM", "emergency")
                if a.unplanned
                else coding(ACT_PRIORITY, "EL", "elective")
            ),
            "subject": patient_ref(a.patient),
            "period": compact(
                {
                    "start": day(a.admitted_on),
                    "end": day(a.discharged_on) if a.discharged_on else None,
                }
            ),
            "reasonCode": [text_concept(a.reason)],
        }
    )


INTRODUCED = "Told who their named key worker is and how to reach them"


def clinic_encounter(c: ContactFacts, *, canonical: str) -> Resource:
    return compact(
        {
            "resourceType": "Encounter",
            "id": f"contact-{c.pk}",
            "meta": meta(canonical=canonical),
            "status": "finished",
            "class": coding(ACT_CODE, "AMB", "ambulatory"),
            "type": [text_concept(c.kind_label)],
            "subject": patient_ref(c.patient),
            "participant": [{"individual": _person(c.recorded_by)}],
            "period": {"start": day(c.on), "end": day(c.on)},
            "reasonCode": [text_concept(INTRODUCED)] if c.key_worker_introduced else [],
        }
    )


_MEDIUM = {
    "call": "Telephone",
    "letter": "Letter",
    "portal": "Portal message",
    "clinic": "In person",
}


def contact_communication(c: ContactFacts, *, canonical: str) -> Resource:
    """A call, letter or portal message, or a clinic visit in which the person was told who
    their key worker is (care standard KW2): that fact travels as the extension."""
    return compact(
        {
            "resourceType": "Communication",
            "id": f"contact-{c.pk}",
            "meta": meta(canonical=canonical),
            "extension": [{"url": own(canonical, EXT_KEY_WORKER_INTRODUCED), "valueBoolean": True}]
            if c.key_worker_introduced
            else [],
            "status": "completed",
            "category": [text_concept(c.kind_label)],
            "medium": [text_concept(_MEDIUM[c.kind])],
            "subject": patient_ref(c.patient),
            "topic": text_concept(INTRODUCED) if c.key_worker_introduced else None,
            "sent": day(c.on),
            "recipient": [patient_ref(c.patient)],
            "sender": _person(c.recorded_by),
            "payload": [{"contentString": c.note}] if c.note else [],
        }
    )
