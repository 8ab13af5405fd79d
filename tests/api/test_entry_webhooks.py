"""Webhooks for new entries: queued in the append transaction, delivered by the worker's
notification job with an HMAC-SHA256 signature; subscriptions choose events and
institutions."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from tests.alerts.conftest import at, schedule
from tests.world import World

from besa.alerts import notifications
from besa.alerts.models import Notification, NotificationStatus, WebhookSubscription
from besa.alerts.sweep import sweep
from besa.exceptions import InvalidInput
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.models import Entry


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[Receiver]]]:
    handler = type("Handler", (Receiver,), {"received": []})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", handler
    server.shutdown()
    server.server_close()


def subscribe(url: str, events: list[str], **fields: object) -> WebhookSubscription:
    return WebhookSubscription.objects.create(
        name="SIAF", url=url, secret="s3cr3t", events=events, **fields
    )


def record_schedule(world: World, unit: str = "A1") -> Entry:
    return append(
        world.contracts[unit],
        "deliverable_schedule",
        schedule(),
        actor=Actor.of(world.operator if unit == "A1" else world.admin),
        occurred_at=at("2025-06-12"),
        now=at("2025-06-12"),
    )


def test_a_new_entry_is_posted_signed_to_its_subscriber(
    world: World, receiver: tuple[str, type[Receiver]]
) -> None:
    url, handler = receiver
    subscribe(url, ["entry.appended"])

    entry = record_schedule(world)
    queued = Notification.objects.get(event="entry.appended")
    assert notifications.deliver(at("2025-06-12", 13)) == 1

    [(headers, body)] = handler.received
    expected = hmac.new(b"s3cr3t", body, hashlib.sha256).hexdigest()
    assert headers["x-besa-signature"] == f"sha256={expected}"
    assert (headers["x-besa-event"], headers["x-besa-delivery"]) == (
        "entry.appended",
        str(queued.id),
    )
    sent = json.loads(body)
    assert sent["institution"] == "INSTA"
    # The entry exactly as hashed, so the receiver can verify the chain.
    assert sent["entry"] == json.loads(json.dumps({**entry.as_chain_dict(), "salt": entry.salt}))
    assert Notification.objects.get().status == NotificationStatus.SENT


def test_subscriptions_hear_only_their_events_and_institutions(
    world: World, receiver: tuple[str, type[Receiver]]
) -> None:
    url, _ = receiver
    only_alerts = subscribe(url, ["alert.*"])
    only_b = subscribe(url, ["entry.appended"], institution=world.inst_b)
    everything = subscribe(url, ["*"])

    record_schedule(world, "A1")
    record_schedule(world, "B1")

    def heard(hook: WebhookSubscription) -> list[str]:
        rows = Notification.objects.filter(subscription=hook, event="entry.appended")
        return sorted(n.payload["entry"]["ocid"] for n in rows)

    assert heard(only_alerts) == []
    assert heard(only_b) == [world.contracts["B1"].ocid]
    assert heard(everything) == sorted(world.contracts[u].ocid for u in ("A1", "B1"))
    # Alert events still reach the alert subscriber, never the entries-only one.
    sweep(at("2025-08-18", 9))
    alert_events = Notification.objects.exclude(event="entry.appended")
    assert alert_events.filter(subscription=only_alerts).exists()
    assert not alert_events.filter(subscription=only_b).exists()


def test_a_rejected_entry_queues_nothing(
    world: World, receiver: tuple[str, type[Receiver]]
) -> None:
    subscribe(receiver[0], ["entry.appended"])

    with pytest.raises(InvalidInput):
        append(world.contracts["A1"], "payment", {"amount": "-1"}, actor=Actor.of(world.operator))

    assert not Notification.objects.exists()


def test_subscriptions_made_before_events_existed_keep_hearing_alerts_only(world: World) -> None:
    hook = WebhookSubscription.objects.create(name="old", url="http://127.0.0.1:9/", secret="s")

    assert hook.events == ["alert.*"]
    assert hook.wants("alert.opened") and not hook.wants("entry.appended")
