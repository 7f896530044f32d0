"""The outbox in Django's admin shows only failed messages, addresses masked and no words that
say what a person's care is about; sending one again is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from tests.world import World

from waypoint.audit.models import AuditEvent
from waypoint.notifications.masking import mask_email, mask_phone
from waypoint.notifications.models import Channel, MessageStatus, OutboundMessage
from waypoint.notifications.services import message_enqueue

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
LIST = "/admin/notifications/outboundmessage/"
Outbox = dict[str, OutboundMessage]


def _message(to: str, channel: Channel, status: MessageStatus, error: str = "") -> OutboundMessage:
    message = message_enqueue(
        channel=channel,
        to=to,
        subject="Your chemotherapy on Tuesday",
        body="Please bring your capecitabine tablets.",
        topic="treatment.cycle_reminder",
        now=T0,
    )
    OutboundMessage.objects.filter(pk=message.pk).update(status=status, last_error=error)
    return message


@pytest.fixture
def outbox() -> Outbox:
    return {
        "failed_email": _message(
            "jane.doe@nhs.net.uk",
            Channel.EMAIL,
            MessageStatus.FAILED,
            "550 jane.doe@nhs.net.uk: no such mailbox",
        ),
        "failed_sms": _message("07700 900189", Channel.SMS, MessageStatus.FAILED, "phone off"),
        "sent": _message("sent.person@example.org", Channel.EMAIL, MessageStatus.SENT),
        "pending": _message("07700 900222", Channel.SMS, MessageStatus.PENDING),
    }


@pytest.fixture
def admin_client(world: World, client: Client) -> Client:
    client.force_login(world.admin)
    return client


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("jane.doe@nhs.net.uk", "j•••@n•••.uk"),
        ("k@example.org", "k•••@e•••.org"),
        ("someone@localhost", "s•••@l•••"),
        ("not an address", "•••"),
    ],
)
def test_an_email_address_is_masked_to_its_first_letters_and_ending(
    address: str, masked: str
) -> None:
    assert mask_email(address) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("07700 900189", "07•••••••89"),
        ("+44 7700 900189", "44••••••••89"),
        ("123", "•••"),
    ],
)
def test_a_mobile_number_keeps_only_its_first_and_last_two_digits(number: str, masked: str) -> None:
    assert mask_phone(number) == masked


def test_the_admin_lists_only_failed_messages_masked(admin_client: Client, outbox: Outbox) -> None:
    page = admin_client.get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "j•••@n•••.uk" in html
    assert "07•••••••89" in html
    assert "550 j•••@n•••.uk: no such mailbox" in html
    assert "Email to a person" in html
    assert "2 other messages (sent, or still being tried) are not listed." in html
    for hidden in (
        "jane.doe",
        "900189",
        "sent.person",
        "900222",
        "chemotherapy",
        "capecitabine",
        "treatment",
    ):
        assert hidden not in html


def test_a_failed_message_opens_masked_and_no_other_opens(
    admin_client: Client, outbox: Outbox
) -> None:
    detail = admin_client.get(f"{LIST}{outbox['failed_email'].pk}/change/")
    assert detail.status_code == 200
    assert "j•••@n•••.uk" in detail.content.decode()
    assert "jane.doe" not in detail.content.decode()
    assert "capecitabine" not in detail.content.decode()
    sent = admin_client.get(f"{LIST}{outbox['sent'].pk}/change/")
    assert sent.status_code == 302  # the admin's "does not exist" redirect


def test_messages_cannot_be_added_changed_or_deleted_in_the_admin(
    admin_client: Client, outbox: Outbox
) -> None:
    assert admin_client.get(f"{LIST}add/").status_code == 403
    assert admin_client.get(f"{LIST}{outbox['failed_email'].pk}/delete/").status_code == 403
    admin_client.post(f"{LIST}{outbox['failed_email'].pk}/change/", {"to": "other@example.org"})
    outbox["failed_email"].refresh_from_db()
    assert outbox["failed_email"].to == "jane.doe@nhs.net.uk"


def test_sending_a_failed_message_again_is_audited(
    admin_client: Client, world: World, outbox: Outbox
) -> None:
    message = outbox["failed_sms"]
    answer = admin_client.post(
        LIST, {"action": "send_again", "_selected_action": [str(message.pk)]}
    )
    assert answer.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    event = AuditEvent.objects.get(object_type="outbound_message", object_id=str(message.pk))
    assert event.actor == world.admin
    assert event.action == "update"
    assert "07700" not in event.detail


def test_a_message_that_did_not_fail_is_not_sent_again(
    admin_client: Client, outbox: Outbox
) -> None:
    sent = outbox["sent"]
    admin_client.post(LIST, {"action": "send_again", "_selected_action": [str(sent.pk)]})
    sent.refresh_from_db()
    assert sent.status == MessageStatus.SENT
    assert not AuditEvent.objects.filter(object_type="outbound_message").exists()
