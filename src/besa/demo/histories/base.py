"""What every phase of a planned history shares: the planner's state and helpers, the
planned entry, and the money and date helpers. Pure: no Django."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from besa.jurisdiction.calendar import BusinessCalendar
from besa.jurisdiction.model import Regime
from besa.logbook.kinds.payloads import SCHEDULED_KEYS

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


#: Value added tax (IVA) on every CFDI.
VAT_RATE = Decimal("0.16")


_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PlannedEntry:
    """One entry to append: ``append(contract, kind, payload, occurred_at=…, documents=…)``."""

    kind: str
    payload: dict[str, Any]
    occurred_at: dt.datetime
    documents: tuple[dict[str, str], ...] = ()

    def earliest_recording(self, delay: dt.timedelta) -> dt.datetime:
        """When the entry can be recorded: ``delay`` after it happened, and not before noon of
        the last fact its payload states (an invoice telling of a deficiency letter is
        recorded once the letter exists; the logbook refuses facts dated after recording)."""
        moment = self.occurred_at + delay
        last = _last_fact(self.payload)
        if last is not None:
            moment = max(moment, dt.datetime.combine(last, dt.time(12), self.occurred_at.tzinfo))
        return moment


def _last_fact(payload: Any, key: str = "") -> dt.date | None:
    """The latest day of a fact in ``payload``: any date but a scheduled one (a due date…)."""
    if isinstance(payload, Mapping):
        found = [_last_fact(item, str(name)) for name, item in payload.items()]
    elif isinstance(payload, list):
        found = [_last_fact(item, key) for item in payload]
    elif isinstance(payload, str) and key not in SCHEDULED_KEYS and _ISO_DAY.fullmatch(payload):
        return dt.date.fromisoformat(payload)
    else:
        return None
    return max((day for day in found if day is not None), default=None)


@dataclass
class _Event:
    day: dt.date
    order: int
    kind: str
    payload: dict[str, Any]
    documents: tuple[dict[str, str], ...] = ()


@dataclass
class _Deliverable:
    id: str
    description: str
    quantity: Decimal
    unit: str
    amount: Decimal
    due: dt.date
    floor: dt.date  # the earliest day it can be received (after it was scheduled)
    place: str
    added_by: str | None = None
    discount: Decimal = Decimal(0)  # the advance amortised on its CFDI
    penalty: Decimal = Decimal(0)
    deduction: Decimal = Decimal(0)
    mode: str = "clean"
    pay_mode: str = "clean"

    def payload(self) -> dict[str, Any]:
        return {
            "deliverable_id": self.id,
            "description": self.description,
            "quantity": _plain(self.quantity),
            "unit": self.unit,
            "amount": _plain(self.amount),
            "due_date": self.due.isoformat(),
            "place": self.place,
        }


@dataclass
class _Invoice:
    uuid: str
    total: Decimal
    received: dt.date
    paid: list[dt.date] = field(default_factory=list)


class _Base:
    """The planner's state: the contract's terms, the events planned so far, and what
    ends its obligations early; each phase (a subclass) adds its steps."""

    def __init__(
        self,
        rng: random.Random,
        registration: Mapping[str, Any],
        today: dt.date,
        regime: Regime,
        calendar: BusinessCalendar,
        beneficiary: str,
        zone: dt.tzinfo,
        defects: frozenset[str],
    ) -> None:
        self.rng = rng
        self.registration = registration
        self.today = today
        self.regime = regime
        self.calendar = calendar
        self.beneficiary = beneficiary
        self.zone = zone
        self.defects = defects
        terms = registration["contract"]
        self.terms = terms
        self.signed = _day(terms["signing_date"])
        self.start = _day(terms["start_date"])
        self.end = self.current_end = _day(terms["end_date"])
        self.amount = self.current_amount = Decimal(terms["amount"])
        self.base = Decimal(terms.get("max_amount") or terms["amount"])
        self.currency = terms["currency"]
        self.home = registration["home_currency"]
        self.rate = Decimal(terms["exchange_rate"]) if terms.get("exchange_rate") else None
        self.guarantee_percent = Decimal(terms["guarantee_percent"])
        self.advance_percent = Decimal(terms.get("advance_percent") or 0)
        self.penalty_rate = Decimal(terms["penalty_rate_percent"])
        self.kind = terms.get("contracting_type", "adquisicion")
        self.title = terms["title"]
        self.supplier_rfc = registration["suppliers"][0]["rfc"]
        self.buyer_rfc = registration["buyer"]["institution_rfc"]
        self.buyer_code = registration["buyer"]["institution_code"]
        self.events: list[_Event] = []
        self.deliverables: list[_Deliverable] = []
        self.invoices: list[_Invoice] = []
        self.guarantees: dict[str, dict[str, Any]] = {}
        self.amendments = 0
        self.schedule_day = self.signed
        self.folio = 0
        # What ends the contract's obligations early, and when.
        self.cutoff: dt.date | None = None  # deliverables due on or after it are not delivered
        self.ended_on: dt.date | None = None  # termination or rescission resolution
        self.closable = True
        self.advance_subtotal = Decimal(0)
        self.termination: dict[str, Any] | None = None
        self.rescission: tuple[dt.date, dt.date, dt.date] | None = None

    def add(
        self,
        kind: str,
        day: dt.date,
        payload: dict[str, Any],
        documents: tuple[dict[str, str], ...] = (),
    ) -> None:
        self.events.append(_Event(day, len(self.events), kind, payload, documents))

    def days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, max(low, high)))

    def between(self, first: dt.date, last: dt.date) -> dt.date:
        """A day in [first, last] (``first`` if the range is empty)."""
        return first + dt.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def yesterday(self) -> dt.date:
        return self.today - dt.timedelta(days=1)

    def document(self, title: str) -> tuple[dict[str, str], ...]:
        digest = f"{self.rng.getrandbits(256):064x}"
        return ({"title": title, "sha256": digest, "media_type": "application/pdf"},)

    def rate_fields(self) -> dict[str, str]:
        if self.currency != self.home and self.rate is not None:
            return {"exchange_rate": _plain(self.rate)}
        return {}

    def business_days(self, start: dt.date, count: int) -> dt.date:
        return self.calendar.add_business_days(start, count)

    def entries(self) -> list[PlannedEntry]:
        events = sorted(
            (e for e in self.events if e.day < self.today), key=lambda e: (e.day, e.order)
        )
        planned = []
        previous: dt.date | None = None
        minute = 0
        for event in events:
            # Office hours: the day's first fact by 10:30, the next ones 7–40 minutes apart.
            if event.day == previous:
                minute += self.rng.randint(7, 40)
            else:
                minute = self.rng.randint(0, 90)
            previous = event.day
            at = dt.time(9 + min(minute, 539) // 60, min(minute, 539) % 60)
            planned.append(
                PlannedEntry(
                    event.kind,
                    event.payload,
                    dt.datetime.combine(event.day, at, tzinfo=self.zone),
                    event.documents,
                )
            )
        return planned


# --- small helpers ------------------------------------------------------------------------


def _day(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _money(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    return format(value, "f")
