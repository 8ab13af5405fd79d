"""Notification channels: a registry of tiny transports, each raising ``TransportError``.

A transport sends one notification and either returns (delivered) or raises
``TransportError(message, permanent=...)``: permanent failures are not retried (a malformed
address, a receiver answering 4xx), others are retried with back-off by ``notifications``.
"""

from __future__ import annotations

import hashlib
import hmac
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, ClassVar

import orjson
from django.conf import settings
from django.core.mail import EmailMessage

if TYPE_CHECKING:
    from besa.alerts.models import Notification


class TransportError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Transport:
    name: ClassVar[str]

    def send(self, notification: Notification) -> None:
        raise NotImplementedError


class Email(Transport):
    """E-mail through Django's configured mail backend. The ``X-BESA-Notification`` header
    carries the notification id, so a receiver (or an audit of the outbox) can drop the
    duplicates at-least-once delivery may send."""

    name = "email"

    def send(self, notification: Notification) -> None:
        payload = notification.payload
        alert = payload["alert"]
        subject = f"[BESA] {alert['rule']} {alert['name']} — {alert['ocid']}"
        lines = [
            f"Evento / event: {payload['event']}",
            f"Contrato / contract: {alert['ocid']} ({alert['contract_number']})",
            f"Regla / rule: {alert['rule']} {alert['name']}",
            f"Severidad / severity: {alert['severity']}",
            f"Estado / state: {alert['state']}",
            f"Objeto / subject: {alert['subject']}",
            "",
            "Evidencia / evidence:",
            *(f"  {k}: {v}" for k, v in sorted(alert["evidence"].items())),
        ]
        try:
            EmailMessage(
                subject,
                "\n".join(lines),
                settings.DEFAULT_FROM_EMAIL,
                [notification.address],
                headers={"X-BESA-Notification": str(notification.id)},
            ).send()
        except OSError as exc:  # SMTP and socket errors: the server may come back
            raise TransportError(f"mail: {exc}") from exc


class Webhook(Transport):
    """An HTTP POST of the JSON payload, signed with HMAC-SHA256 of the body.

    Headers: ``X-BESA-Event``, ``X-BESA-Delivery`` (the notification id: receivers use it to
    drop duplicates, since delivery is at-least-once) and ``X-BESA-Signature:
    sha256=<hex>``.
    """

    name = "webhook"
    timeout = 10.0

    def send(self, notification: Notification) -> None:
        body = orjson.dumps(notification.payload, option=orjson.OPT_SORT_KEYS)
        secret = notification.subscription.secret if notification.subscription else ""
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(
            notification.address,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": "BESA-webhook/1",
                "X-BESA-Event": notification.event,
                "X-BESA-Delivery": str(notification.id),
                "X-BESA-Signature": f"sha256={signature}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read(1024)
        except urllib.error.HTTPError as exc:
            exc.close()  # it holds the open response
            retry = exc.code >= 500 or exc.code in (408, 429)
            raise TransportError(f"HTTP {exc.code} from {notification.address}",
                                 permanent=not retry) from exc  # fmt: skip
        except (urllib.error.URLError, OSError) as exc:
            raise TransportError(f"{notification.address}: {exc}") from exc


TRANSPORTS: dict[str, Transport] = {t.name: t for t in (Email(), Webhook())}
