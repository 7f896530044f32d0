"""The outbox: delivery, retries with backoff, failures kept for admins, two workers, and the
GOV.UK Notify client talking to a local HTTP server that checks what it is sent."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.utils import timezone

from waypoint.core.errors import Forbidden
from waypoint.notifications import backends, services
from waypoint.notifications.models import Channel, MessageStatus, OutboundMessage

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"waypoint_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


def enqueue(channel: Channel = Channel.EMAIL, to: str = "kate@example.nhs.uk") -> OutboundMessage:
    return services.message_enqueue(
        channel=channel, to=to, subject="Hello", body="A body", topic="test", now=T0
    )


@pytest.mark.django_db
def test_email_is_delivered_through_djangos_mail_backend(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = enqueue()
    stats = services.outbox_deliver_due(now=T0, worker_id="w1")
    assert stats.sent == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.sent_at == T0
    assert mail.outbox[0].to == ["kate@example.nhs.uk"]
    assert mail.outbox[0].subject == "Hello"


@pytest.mark.django_db
def test_a_failing_message_retries_with_backoff_then_is_kept_as_failed(settings, monkeypatch):
    settings.WAYPOINT_OUTBOX_MAX_ATTEMPTS = 3

    def broken(message: OutboundMessage) -> str:
        raise backends.DeliveryError("mail server refused")

    monkeypatch.setattr(backends, "deliver", broken)
    message = enqueue()
    now = T0
    assert services.outbox_deliver_due(now=now, worker_id="w").retrying == 1
    message.refresh_from_db()
    assert message.attempts == 1
    assert message.next_attempt_at == now + dt.timedelta(seconds=30)
    # Not due again before its backoff.
    assert (
        services.outbox_deliver_due(now=now + dt.timedelta(seconds=29), worker_id="w").handled == 0
    )
    now += dt.timedelta(seconds=30)
    assert services.outbox_deliver_due(now=now, worker_id="w").retrying == 1
    message.refresh_from_db()
    assert message.next_attempt_at == now + dt.timedelta(seconds=60)
    now += dt.timedelta(seconds=60)
    assert services.outbox_deliver_due(now=now, worker_id="w").failed == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.last_error == "mail server refused"
    assert OutboundMessage.objects.count() == 1  # never dropped


def test_backoff_doubles_and_is_capped_at_an_hour():
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert services.backoff(20) == dt.timedelta(hours=1)


@pytest.mark.django_db
def test_an_admin_sends_a_failed_message_again(world):
    message = enqueue()
    OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED, attempts=8)
    with pytest.raises(Forbidden):
        services.message_retry(actor=world.key_worker, message=message, now=T0)
    services.message_retry(actor=world.admin, message=message, now=T0)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 0)


@pytest.mark.django_db
def test_the_admin_page_lists_failed_messages(world, client):
    message = enqueue()
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.FAILED, last_error="550 no such mailbox"
    )
    client.force_login(world.admin)
    page = client.get("/messages/")
    assert page.status_code == 200
    assert b"550 no such mailbox" in page.content
    client.force_login(world.key_worker)
    assert client.get("/messages/").status_code == 403


def test_two_workers_never_send_the_same_message(settings, committed_world):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for _ in range(40):
        enqueue()
    barrier = threading.Barrier(2)
    sent: list[int] = []

    def work(name: str) -> None:
        # As the worker loop does: a pass that hits a lock is simply run again.
        try:
            barrier.wait()
            while True:
                try:
                    stats = services.outbox_deliver_due(now=T0, worker_id=name, limit=10)
                except OperationalError:
                    continue
                sent.append(stats.sent)
                if not stats.handled:
                    break
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # A pass that failed after claiming leaves its rows to the lease; once it runs out, they go.
    services.outbox_deliver_due(
        now=timezone.now() + services.CLAIM_LEASE + dt.timedelta(seconds=1),
        worker_id="w3",
        limit=100,
    )
    assert len(mail.outbox) == 40  # every message once, none twice
    assert OutboundMessage.objects.filter(status=MessageStatus.SENT).count() == 40


class _NotifyStub(BaseHTTPRequestHandler):
    """Answers like GOV.UK Notify's POST /v2/notifications/sms, checking the client's JWT."""

    received: list[dict[str, object]] = []
    fail_with: int | None = None

    def do_POST(self) -> None:  # http.server's naming
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append({"path": self.path, "iss": claims["iss"], "body": body})
        if type(self).fail_with:
            status, payload = (
                type(self).fail_with,
                {
                    "status_code": type(self).fail_with,
                    "errors": [
                        {"error": "BadRequestError", "message": "Can't send to this recipient"}
                    ],
                },
            )
        else:
            status, payload = 201, {"id": "740e5834-3a29-46b4-9a6f-16142fde533a"}
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def notify(settings) -> Iterator[type[_NotifyStub]]:  # type: ignore[no-untyped-def]
    server = HTTPServer(("127.0.0.1", 0), _NotifyStub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _NotifyStub.received = []
    _NotifyStub.fail_with = None
    settings.WAYPOINT_SMS_BACKEND = "govuk_notify"
    settings.WAYPOINT_NOTIFY_API_KEY = API_KEY
    settings.WAYPOINT_NOTIFY_SMS_TEMPLATE_ID = TEMPLATE_ID
    settings.WAYPOINT_NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    yield _NotifyStub
    server.shutdown()


@pytest.mark.django_db
def test_sms_goes_through_the_govuk_notify_client(notify):
    message = enqueue(Channel.SMS, to="07700 900123")
    assert services.outbox_deliver_due(now=T0, worker_id="w").sent == 1
    request = notify.received[0]
    assert request["path"] == "/v2/notifications/sms"
    assert request["iss"] == SERVICE_ID
    assert request["body"] == {
        "phone_number": "07700 900123",
        "template_id": TEMPLATE_ID,
        "personalisation": {"body": "A body"},
        "reference": f"waypoint-{message.pk}",
    }
    message.refresh_from_db()
    assert message.provider_id == "740e5834-3a29-46b4-9a6f-16142fde533a"


@pytest.mark.django_db
def test_a_notify_error_is_retried_with_its_message(notify):
    notify.fail_with = 400
    message = enqueue(Channel.SMS, to="07700 900123")
    assert services.outbox_deliver_due(now=T0, worker_id="w").retrying == 1
    message.refresh_from_db()
    assert "Can't send to this recipient" in message.last_error
    assert message.status == MessageStatus.PENDING


@pytest.mark.parametrize(
    ("number", "mobile"),
    [("07700 900123", True), ("+44 7700 900123", True), ("020 7946 0000", False), ("", False)],
)
def test_only_mobile_numbers_get_texts(number, mobile):
    assert services.is_mobile(number) is mobile
