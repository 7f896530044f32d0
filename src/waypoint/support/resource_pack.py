"""The secondary resource pack: read online, downloaded as a PDF, or ordered by post."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.accounts.policies import Permission, has_permission
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record
from waypoint.careteam.selectors import PatientContact
from waypoint.core.errors import Conflict, NotFound, ValidationFailed
from waypoint.registry import policies as registry_policies
from waypoint.registry.models import Patient
from waypoint.support.models import (
    OfferKind,
    OrderStatus,
    ResourcePackOrder,
    ResourcePackSection,
    SupportOffer,
)

ORDER_OBJECT = "resource_pack_order"


def sections() -> QuerySet[ResourcePackSection]:
    return ResourcePackSection.objects.order_by("position")


def pack_pdf(*, contact: PatientContact | None, helpline: tuple[str, str]) -> bytes:
    """The pack as a PDF. With the person's ``contact`` it prints their key worker and their own
    team's numbers in and out of hours; without one (a blank copy for staff to hand out) it leaves
    lines to write them on. ``helpline`` is the helpline's number and hours."""
    from weasyprint import HTML  # needs Pango, which only PDFs use

    html = render_to_string(
        "support/resource_pack_pdf.html",
        {
            "sections": list(sections()),
            "printed": timezone.localtime(),
            "contact": contact,
            "helpline_phone": helpline[0],
            "helpline_hours": helpline[1],
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def order_for_printing(*, actor: User, order_id: int) -> ResourcePackOrder:
    """An order about to be printed and posted: the printed copy carries the person's own team's
    numbers, so reading them is a read of the person's record and is audited."""
    if not has_permission(actor, Permission.MANAGE_OUTBOX):
        raise NotFound()
    order = ResourcePackOrder.objects.select_related("patient").filter(pk=order_id).first()
    if order is None:
        raise NotFound()
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        patient=order.patient,
        object_type=ORDER_OBJECT,
        object_id=order.pk,
        detail="printed for posting",
    )
    return order


@transaction.atomic
def pack_order(
    *,
    actor: User,
    patient_id: int,
    name: str,
    address: str,
    postcode: str,
    now: dt.datetime | None = None,
) -> ResourcePackOrder:
    now = now or timezone.now()
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None or not registry_policies.acts_for_patient(actor, patient):
        raise NotFound()
    errors = {}
    if not name.strip():
        errors["name"] = "Enter the name to post it to."
    if not address.strip():
        errors["address"] = "Enter the address."
    if not postcode.strip():
        errors["postcode"] = "Enter the postcode."
    if errors:
        raise ValidationFailed("The order was not placed.", fields=errors)
    order = ResourcePackOrder.objects.create(
        patient=patient,
        name=name.strip()[:200],
        address=address.strip()[:1000],
        postcode=postcode.strip().upper()[:10],
        status=OrderStatus.REQUESTED,
        requested_at=now,
        requested_by=actor,
    )
    SupportOffer.objects.create(
        patient=patient,
        kind=OfferKind.RESOURCE_PACK,
        offered_at=now,
        offered_by=actor,
        accepted=True,
        note="Ordered by post",
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient=patient,
        object_type=ORDER_OBJECT,
        object_id=order.pk,
    )
    return order


def orders_to_send() -> QuerySet[ResourcePackOrder]:
    return ResourcePackOrder.objects.filter(status=OrderStatus.REQUESTED).order_by("requested_at")


@transaction.atomic
def order_dispatch(
    *, actor: User, order_id: int, now: dt.datetime | None = None
) -> ResourcePackOrder:
    """Mark a posted pack as sent (admins fulfil the orders)."""
    now = now or timezone.now()
    if not has_permission(actor, Permission.MANAGE_OUTBOX):
        raise NotFound()
    order = ResourcePackOrder.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise NotFound()
    if order.status != OrderStatus.REQUESTED:
        raise Conflict("This order is not waiting to be sent.")
    order.status = OrderStatus.DISPATCHED
    order.dispatched_at = now
    order.dispatched_by = actor
    order.save(update_fields=["status", "dispatched_at", "dispatched_by"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        patient=order.patient,
        object_type=ORDER_OBJECT,
        object_id=order.pk,
        detail="sent",
    )
    return order
