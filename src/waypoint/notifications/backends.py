"""Delivery backends for the outbox. Chosen by settings; each raises DeliveryError on failure.

- Email goes through Django's email backends (``EMAIL_BACKEND``; SMTP in production).
- Text messages go through GOV.UK Notify's Python client when ``WAYPOINT_SMS_BACKEND=govuk_notify``,
  using ``WAYPOINT_NOTIFY_API_KEY`` and ``WAYPOINT_NOTIFY_SMS_TEMPLATE_ID`` (a template whose whole
  content is ``((body))``). The default, ``console``, writes the message to the log only, so a
  demo or test installation never texts anyone.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient
from requests import RequestException

from waypoint.notifications.models import Channel, OutboundMessage

logger = logging.getLogger("waypoint.notifications")


class DeliveryError(Exception):
    """The message was not delivered this time; the outbox retries it with backoff."""


def deliver(message: OutboundMessage) -> str:
    """Send one message; answer the provider's id for it."""
    if message.channel == Channel.EMAIL:
        return _send_email(message)
    return _send_sms(message)


def _send_email(message: OutboundMessage) -> str:
    try:
        sent = send_mail(
            subject=message.subject or "Waypoint",
            message=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[message.to],
        )
    except (OSError, ValueError) as exc:  # smtplib errors are OSErrors
        raise DeliveryError(f"email: {exc}") from exc
    if sent != 1:
        raise DeliveryError("email: the mail backend accepted no message")
    return f"email:{message.pk}"


def _send_sms(message: OutboundMessage) -> str:
    if settings.WAYPOINT_SMS_BACKEND == "console":
        logger.info("SMS to %s: %s", message.to, message.body)
        return f"console:{message.pk}"
    client = NotificationsAPIClient(  # type: ignore[no-untyped-call]  # the client is untyped
        settings.WAYPOINT_NOTIFY_API_KEY, base_url=settings.WAYPOINT_NOTIFY_BASE_URL, timeout=10
    )
    try:
        response = client.send_sms_notification(  # type: ignore[no-untyped-call]  # untyped
            phone_number=message.to,
            template_id=settings.WAYPOINT_NOTIFY_SMS_TEMPLATE_ID,
            personalisation={"body": message.body},
            reference=f"waypoint-{message.pk}",
        )
    except HTTPError as exc:
        raise DeliveryError(f"GOV.UK Notify {exc.status_code}: {exc.message}") from exc
    except RequestException as exc:
        raise DeliveryError(f"GOV.UK Notify unreachable: {exc}") from exc
    return str(response.get("id", ""))
