"""Checking CFDIs at the SAT: the configured service, and the re-check of a contract's CFDIs
before a payment or its closure is recorded.

A CFDI can be cancelled after the entity received it, so its status is asked again before
each ``payment`` entry (the CFDIs it pays) and before the ``closure`` (every CFDI of the
contract). Each answer is appended as an ``invoice_status`` entry *before* the payment or
closure entry, so the logbook's history shows what the SAT said and when, and A15 (which
reads the latest status) opens in that entry's transaction: the alert exists before the
payment is even validated. An unreachable SAT is recorded as ``desconocido`` and never
stops the payment or closure (``besa.interop.cfdi.status`` defines the statuses).

Settings (Django setting or environment variable of the same name):

- ``BESA_SAT_CFDI_CHECK``: ``on`` (the SAT's service; **the default unless** ``BESA_DEBUG``),
  ``off`` (no status is asked or recorded; the default with ``BESA_DEBUG``, as in the demo,
  and in the tests unless a test turns it on) or ``fake`` (``FakeStatusService``, offline).
  ``1``/``true``/``yes`` and ``0``/``false``/``no`` are accepted for on and off.
- ``BESA_SAT_CFDI_URL``: the service's URL (default SAT's production endpoint).
- ``BESA_SAT_CFDI_TIMEOUT``: seconds to wait for it, per socket operation (default 10).
- ``BESA_SAT_CFDI_FAKE``: for ``fake``, ``UUID=status`` pairs separated by commas
  (``desconocido``: as if the SAT could not be reached); every other CFDI is ``vigente``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from besa import configured
from besa.exceptions import ConfigurationError
from besa.interop.cfdi.status import (
    DEFAULT_TIMEOUT,
    SAT_URL,
    STATUSES,
    UNKNOWN,
    Answer,
    FakeStatusService,
    SoapStatusService,
    StatusService,
    ask,
)
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.models import ContractState, Entry
from besa.registry.models import Contract

#: The actor of the ``invoice_status`` entries BESA appends itself.
ACTOR = Actor.system("sat:cfdi-status")
#: Entry kinds before which the CFDIs they concern are checked again.
OCCASIONS = frozenset({"payment", "closure"})

_ON = {"on", "1", "true", "yes"}
_OFF = {"off", "0", "false", "no"}


def status_service() -> StatusService | None:
    """The configured SAT status service, or None when checks are off.

    Raises ``ConfigurationError`` naming the setting that is wrong.
    """
    default = "off" if settings.DEBUG else "on"
    choice = (configured.text("BESA_SAT_CFDI_CHECK") or default).strip().lower()
    if choice in _OFF:
        return None
    if choice in _ON:
        return SoapStatusService(url=_url(), timeout=_timeout())
    if choice == "fake":
        return FakeStatusService(_fake_overrides())
    raise ConfigurationError(f"BESA_SAT_CFDI_CHECK must be on, off or fake, not {choice!r}")


def recheck(
    contract: Contract,
    uuids: Iterable[str],
    *,
    occasion: str = "manual",
    service: StatusService | None = None,
) -> list[Entry]:
    """Ask the SAT again about the CFDIs ``uuids`` recorded on ``contract`` and append one
    ``invoice_status`` entry per CFDI, in order; returns them.

    UUIDs not recorded on the contract are ignored (the entry that names them is refused on
    its own), as are CFDIs already ``cancelado`` (a cancellation at the SAT is final). Once
    the SAT fails to answer, the CFDIs left in this call are recorded ``desconocido`` without
    asking, so that a payment never waits more than about one timeout. May be called
    repeatedly: each call is a new check and appends new entries.
    """
    service = service if service is not None else status_service()
    if service is None:
        return []
    invoices = _invoices(contract)
    wanted = [u for u in dict.fromkeys(u.upper() for u in uuids) if u in invoices]
    entries = []
    unreachable: str | None = None
    for uuid in wanted:
        invoice = invoices[uuid]
        if invoice.get("sat_status") == "cancelado":
            continue
        if unreachable is None:
            answer = ask(
                service,
                uuid,
                invoice["issuer_rfc"],
                invoice["receiver_rfc"],
                Decimal(invoice["total"]),
            )
            if answer.status == UNKNOWN:
                unreachable = answer.detail
        else:
            answer = Answer(UNKNOWN, detail=f"no preguntado / not asked: {unreachable}"[:500])
        entries.append(_record(contract, uuid, answer, occasion))
    return entries


def before_entry(contract: Contract, kind: str, payload: Mapping[str, Any], actor: Actor) -> None:
    """The before-append hook (``besa.logbook.append.before_append``): re-check the CFDIs a
    ``payment`` pays, or every CFDI before the ``closure``. Other kinds: nothing."""
    if kind not in OCCASIONS:
        return
    if kind == "payment":
        listed = payload.get("invoice_uuids") if isinstance(payload, Mapping) else None
        if not isinstance(listed, list | tuple):
            return
        uuids = [u for u in listed if isinstance(u, str)]
    else:
        uuids = list(_invoices(contract))
    if uuids:
        recheck(contract, uuids, occasion=kind)


def _record(contract: Contract, uuid: str, answer: Answer, occasion: str) -> Entry:
    now = timezone.now()
    payload = {
        "invoice_uuid": uuid,
        "status": answer.status,
        "checked_on": timezone.localdate(now).isoformat(),
        "occasion": occasion,
        "sat_code": answer.code,
        "cancellable": answer.cancellable,
        "cancellation_status": answer.cancellation_status,
        "detail": answer.detail,
    }
    clean = {key: value for key, value in payload.items() if value is not None}
    return append(contract, "invoice_status", clean, actor=ACTOR, occurred_at=now, now=now)


def _invoices(contract: Contract) -> dict[str, Any]:
    snapshot = (
        ContractState.objects.filter(contract=contract).values_list("snapshot", flat=True).first()
    )
    return dict((snapshot or {}).get("invoices") or {})


def _url() -> str:
    url = configured.text("BESA_SAT_CFDI_URL") or SAT_URL
    if not url.startswith(("https://", "http://")):
        raise ConfigurationError(f"BESA_SAT_CFDI_URL must be an http(s) URL, not {url!r}")
    return url


def _timeout() -> float:
    raw = configured.text("BESA_SAT_CFDI_TIMEOUT")
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError as exc:
        raise ConfigurationError(f"BESA_SAT_CFDI_TIMEOUT is not a number: {raw!r}") from exc
    if not 0 < value <= 300:
        raise ConfigurationError("BESA_SAT_CFDI_TIMEOUT must be between 0 and 300 seconds")
    return value


def _fake_overrides() -> dict[str, str]:
    overrides = {}
    for pair in (configured.text("BESA_SAT_CFDI_FAKE") or "").split(","):
        if pair.strip():
            uuid, _, status = pair.partition("=")
            if status.strip() not in STATUSES:
                raise ConfigurationError(f"BESA_SAT_CFDI_FAKE: bad pair {pair!r}")
            overrides[uuid.strip()] = status.strip()
    return overrides
