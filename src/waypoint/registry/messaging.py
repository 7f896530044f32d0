"""Reaching a person by the route they chose, through the outbox."""

from __future__ import annotations

import datetime as dt

from waypoint.notifications.models import Channel, OutboundMessage
from waypoint.notifications.services import is_mobile, message_enqueue
from waypoint.registry.models import ContactMethod, Patient


def message_to_patient(
    *,
    patient: Patient,
    subject: str,
    body: str,
    topic: str,
    reference: str,
    now: dt.datetime,
) -> OutboundMessage | None:
    """One message to a person by the route they prefer: a text when they chose texts and have
    a mobile, otherwise email. None when there is no way to reach them."""
    if patient.preferred_contact_method == ContactMethod.SMS and is_mobile(patient.phone):
        return message_enqueue(
            channel=Channel.SMS,
            to=patient.phone,
            body=body,
            topic=topic,
            reference=reference,
            now=now,
        )
    if patient.email:
        return message_enqueue(
            channel=Channel.EMAIL,
            to=patient.email,
            subject=subject,
            body=body,
            topic=topic,
            reference=reference,
            now=now,
        )
    return None
