"""Care and support plans: agreed from the concerns a person rated, revised, shared as a PDF.

A revision is written whole: every action, in order. The latest revision is the plan; earlier ones
are kept unchanged (docs/design/care-standards.md CP1 counts a plan after each assessment).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.assessments.models import (
    ActionStatus,
    AssessmentStatus,
    CarePlanAction,
    CarePlanRevision,
    NeedsAssessment,
)
from waypoint.assessments.rules import hna
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.core.errors import NotFound, ValidationFailed
from waypoint.registry import policies as registry_policies
from waypoint.registry.models import Patient

PLAN_OBJECT = "care_plan"


@dataclass(frozen=True)
class ActionInput:
    action: str
    owner: str
    due_on: dt.date | None = None
    status: str = ActionStatus.TO_DO
    concern: str = ""


def _check(actions: Sequence[ActionInput], *, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not actions:
        errors["actions"] = "Agree at least one action."
    for i, item in enumerate(actions):
        where = f"actions.{i}"
        if not item.action.strip():
            errors[f"{where}.action"] = "Say what will be done."
        elif len(item.action) > 500:
            errors[f"{where}.action"] = "Use at most 500 characters."
        if not item.owner.strip():
            errors[f"{where}.owner"] = "Say who will do it."
        if item.status not in ActionStatus.values:
            errors[f"{where}.status"] = f"Choose one of {', '.join(ActionStatus.values)}."
        if item.concern and item.concern not in hna.CONCERNS:
            errors[f"{where}.concern"] = "Not a concern of the needs assessment."
        if item.due_on is not None and item.due_on < today - dt.timedelta(days=366):
            errors[f"{where}.due_on"] = "Check the date: more than a year ago."
    return errors


@transaction.atomic
def care_plan_revise(
    *,
    actor: User,
    patient_id: int,
    actions: Sequence[ActionInput],
    note: str = "",
    agreed_with_person: bool = True,
    now: dt.datetime | None = None,
) -> CarePlanRevision:
    """Record a new revision of the plan, agreed by the key worker and the person."""
    now = now or timezone.now()
    patient = Patient.objects.select_for_update().filter(pk=patient_id).first()
    if patient is None or not (
        has_permission(actor, Permission.EDIT_TEAM_PATIENTS)
        and registry_policies.can_edit_patient(actor, patient)
    ):
        raise NotFound()
    errors = _check(actions, today=timezone.localdate(now))
    if errors:
        raise ValidationFailed("The plan was not saved.", fields=errors)
    latest = CarePlanRevision.objects.filter(patient=patient).aggregate(n=Max("number"))["n"] or 0
    assessment = (
        NeedsAssessment.objects.filter(patient=patient, status=AssessmentStatus.COMPLETED)
        .order_by("-completed_at")
        .first()
    )
    revision = CarePlanRevision.objects.create(
        patient=patient,
        number=latest + 1,
        assessment=assessment,
        agreed_with_person=agreed_with_person,
        note=note.strip()[:4000],
        created_by=actor,
        created_at=now,
    )
    CarePlanAction.objects.bulk_create(
        CarePlanAction(
            revision=revision,
            position=i,
            concern=item.concern,
            concern_text=hna.CONCERNS[item.concern].text if item.concern else "",
            action=item.action.strip(),
            owner=item.owner.strip()[:120],
            due_on=item.due_on,
            status=item.status,
        )
        for i, item in enumerate(actions)
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type=PLAN_OBJECT,
        object_id=revision.pk,
        detail=f"revision {revision.number}, {len(actions)} actions",
    )
    return revision


def revisions_of(patient: Patient) -> list[CarePlanRevision]:
    return list(
        CarePlanRevision.objects.filter(patient=patient)
        .select_related("created_by", "assessment")
        .prefetch_related(Prefetch("actions", queryset=CarePlanAction.objects.order_by("position")))
        .order_by("-number")
    )


def suggested_actions(patient: Patient) -> list[ActionInput]:
    """Starting rows for a new plan: the concerns rated highest in the latest assessment."""
    assessment = (
        NeedsAssessment.objects.filter(patient=patient, status=AssessmentStatus.COMPLETED)
        .order_by("-completed_at")
        .first()
    )
    if assessment is None:
        return []
    return [
        ActionInput(action="", owner="", concern=concern.code)
        for concern, _ in hna.score(assessment.answers).top_concerns
    ]


def care_plan_pdf(*, revision: CarePlanRevision, patient: Patient) -> bytes:
    """The plan as a PDF to give to the person or share with their GP."""
    from weasyprint import HTML  # imported here: it needs Pango, which only PDFs use

    html = render_to_string(
        "assessments/care_plan_pdf.html",
        {"revision": revision, "patient": patient, "printed": timezone.localtime()},
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
