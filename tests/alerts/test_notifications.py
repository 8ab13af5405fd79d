"""Notifications: queued with the alert change, delivered by the worker with retries; a
webhook that is down is retried and its failure is visible; a worker that dies mid-delivery
loses nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from tests.alerts.conftest import Append, at, schedule
from tests.world import World

from besa.alerts import notifications
from besa.alerts.models import Notification, NotificationStatus, WebhookSubscription
from besa.alerts.sweep import sweep


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        headers = {name.lower(): value for name, value in self.headers.items()}
        type(self).received.append((headers, body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[Receiver]]]:
    handler = type("Handler", (Receiver,), {"received": [], "status": 200})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", handler
    server.shutdown()
    server.server_close()


@pytest.fixture
def subscribed(world: World, receiver: tuple[str, type[Receiver]]) -> WebhookSubscription:
    world.operator.email = "operador@insta.gob.mx"
    world.operator.save()
    return WebhookSubscription.objects.create(name="SIAF", url=receiver[0], secret="s3cr3t")


def _raise(record: Append) -> None:
    record("deliverable_schedule", schedule("2025-08-15"), "2025-06-12")
    sweep(at("2025-08-18", 9))


def test_each_email_names_its_notification_so_receivers_can_drop_duplicates(
    subscribed: WebhookSubscription, record: Append
) -> None:
    _raise(record)
    notifications.deliver(at("2025-08-18", 9))
    sent = Notification.objects.filter(channel="email", status=NotificationStatus.SENT)
    assert sent.exists()
    assert sorted(m.extra_headers["X-BESA-Notification"] for m in mail.outbox) == sorted(
        str(n.id) for n in sent
    )


def test_a_dead_workers_claim_lapses_after_the_configured_lease(
    subscribed: WebhookSubscription, record: Append, settings: pytest.FixtureRequest
) -> None:
    settings.BESA_NOTIFICATION_LEASE_SECONDS = 5  # type: ignore[attr-defined]
    _raise(record)
    now = at("2025-08-18", 9)
    _, claimed = notifications.claim(now)  # a worker that then dies without sending
    assert claimed
    assert notifications.deliver(now + dt.timedelta(seconds=4)) == 0
    assert notifications.deliver(now + dt.timedelta(seconds=6)) == len(claimed)


def test_an_alert_is_mailed_to_the_operator_and_posted_signed_to_the_webhook(
    subscribed: WebhookSubscription, record: Append, receiver: tuple[str, type[Receiver]]
) -> None:
    _raise(record)
    assert notifications.deliver(at("2025-08-18", 9)) >= 2
    assert any("A07" in m.subject and m.to == ["operador@insta.gob.mx"] for m in mail.outbox)
    headers, body = next(
        (h, b) for h, b in receiver[1].received if json.loads(b)["alert"]["rule"] == "A07"
    )
    expected = hmac.new(b"s3cr3t", body, hashlib.sha256).hexdigest()
    assert headers["x-besa-signature"] == f"sha256={expected}"
    assert json.loads(body)["event"] == "opened"


def test_a_webhook_that_is_down_is_retried_and_its_failure_is_visible(
    subscribed: WebhookSubscription, record: Append, receiver: tuple[str, type[Receiver]]
) -> None:
    receiver[1].status = 503
    _raise(record)
    now = at("2025-08-18", 9)
    notifications.deliver(now)
    hook = Notification.objects.filter(channel="webhook").first()
    assert hook is not None
    assert (hook.status, hook.attempts) == (NotificationStatus.PENDING, 1)
    assert "HTTP 503" in hook.last_error and hook.next_attempt_at == now + dt.timedelta(seconds=30)
    notifications.deliver(now + dt.timedelta(seconds=10))  # too early: not retried yet
    hook.refresh_from_db()
    assert hook.attempts == 1
    receiver[1].status = 200
    notifications.deliver(now + dt.timedelta(seconds=31))
    hook.refresh_from_db()
    assert (hook.status, hook.attempts, hook.last_error) == (NotificationStatus.SENT, 2, "")


def test_a_webhook_that_keeps_failing_ends_failed_with_its_error(
    subscribed: WebhookSubscription, record: Append, receiver: tuple[str, type[Receiver]]
) -> None:
    receiver[1].status = 500
    _raise(record)
    moment = at("2025-08-18", 9)
    for _ in range(notifications.MAX_ATTEMPTS):
        notifications.deliver(moment)
        moment += notifications.MAX_RETRY
    hook = Notification.objects.filter(channel="webhook").first()
    assert hook is not None
    assert (hook.status, hook.attempts) == (NotificationStatus.FAILED, notifications.MAX_ATTEMPTS)
    assert "HTTP 500" in hook.last_error


def test_a_worker_that_dies_mid_delivery_loses_nothing(
    subscribed: WebhookSubscription, record: Append, receiver: tuple[str, type[Receiver]]
) -> None:
    _raise(record)
    now = at("2025-08-18", 9)
    _, claimed = notifications.claim(now)  # this worker claims its batch… and dies
    assert claimed
    assert notifications.deliver(now + dt.timedelta(seconds=5)) == 0  # still leased
    sent = notifications.deliver(now + notifications.LEASE + dt.timedelta(seconds=1))
    assert sent == len(claimed)
    assert not Notification.objects.exclude(status=NotificationStatus.SENT).exists()


def test_raising_the_same_event_twice_queues_its_notifications_once(
    subscribed: WebhookSubscription, record: Append
) -> None:
    _raise(record)
    from besa.alerts.models import Alert

    alert = Alert.objects.get(rule="A07")
    before = Notification.objects.count()
    notifications.enqueue(alert, "opened", at("2025-08-18", 9))
    assert Notification.objects.count() == before
