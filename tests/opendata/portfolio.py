"""A small portfolio for export tests: the world's four contracts (signed 2025-06-10), one
more of buying unit A1 signed in 2024, and an invoice and a payment on A1's contract."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tests.world import World, make_contract

from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.models import Entry
from besa.registry.models import Contract

MX = ZoneInfo("America/Mexico_City")
INVOICE = "0F1E2D3C-4B5A-4968-8776-A5B4C3D2E1F0"


def at(day: str, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=MX)


@dataclass
class Portfolio:
    world: World
    old: Contract  # INSTA, buying unit A1, signed 2024-03-01
    payment: Entry  # on world.contracts["A1"], recorded 2025-07-20 noon


def invoice_payload() -> dict[str, Any]:
    return {
        "uuid": INVOICE,
        "issue_date": "2025-07-01",
        "date_received": "2025-07-01",
        "issuer_rfc": "GODE561231GR8",
        "receiver_rfc": "EKU9003173C9",
        "subtotal": "1000000.00",
        "taxes": "160000.00",
        "total": "1160000.00",
        "currency": "MXN",
        "payment_method": "PUE",
    }


def build(world: World) -> Portfolio:
    old = make_contract(
        world.admin,
        world.units["A1"],
        world.supplier,
        number="C-A1-2024",
        award_date=dt.date(2024, 2, 20),
        signing_date=dt.date(2024, 3, 1),
        start_date=dt.date(2024, 3, 2),
        end_date=dt.date(2024, 12, 31),
        amount=Decimal("16500000.50"),
    )
    contract = world.contracts["A1"]
    # A distinctive user name, to check that public files never carry it.
    world.operator.username = "maria.lopez.uc-a1"
    world.operator.save()
    operator = Actor.of(world.operator)
    append(
        contract,
        "invoice",
        invoice_payload(),
        actor=operator,
        occurred_at=at("2025-07-01"),
        now=at("2025-07-01"),
    )
    paid = append(
        contract,
        "payment",
        {
            "date": "2025-07-20",
            "amount": "1160000.00",
            "currency": "MXN",
            "invoice_uuids": [INVOICE],
            "clc_folio": "CLC-001",
        },
        actor=operator,
        occurred_at=at("2025-07-20"),
        now=at("2025-07-20"),
    )
    return Portfolio(world, old, paid)
