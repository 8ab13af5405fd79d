"""A registered contract (A1 of tests/world.py: signed 2025-06-10, 20 M MXN, term to
2025-12-31) and helpers to append its facts at chosen moments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from tests.world import World

from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.models import Entry

MX = ZoneInfo("America/Mexico_City")
INVOICE = "0F1E2D3C-4B5A-4968-8776-A5B4C3D2E1F0"


def at(day: str, hour: int = 12) -> dt.datetime:
    """Noon (by default) of ``day`` in Mexico City."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=MX)


Append = Callable[..., Entry]


@pytest.fixture
def record(world: World) -> Append:
    """``record(kind, payload, day)``: the operator appends to contract A1 on ``day``."""

    def _record(kind: str, payload: dict[str, Any], day: str, **kwargs: Any) -> Entry:
        return append(
            world.contracts["A1"],
            kind,
            payload,
            actor=Actor.of(world.operator),
            occurred_at=at(day),
            now=at(day),
            **kwargs,
        )

    return _record


def schedule(due: str = "2025-08-15") -> dict[str, Any]:
    return {
        "deliverables": [
            {
                "deliverable_id": "D1",
                "description": "Medicamentos, primera entrega",
                "quantity": "1000",
                "amount": "20000000.00",
                "due_date": due,
            }
        ]
    }


def invoice(received: str, **extra: Any) -> dict[str, Any]:
    return {
        "uuid": INVOICE,
        "issue_date": received,
        "date_received": received,
        "issuer_rfc": "GODE561231GR8",
        "receiver_rfc": "EKU9003173C9",
        "subtotal": "1000000.00",
        "taxes": "160000.00",
        "total": "1160000.00",
        "currency": "MXN",
        "payment_method": "PUE",
        "deliverable_ids": ["D1"],
        **extra,
    }


def payment(day: str, amount: str = "1160000.00") -> dict[str, Any]:
    return {"date": day, "amount": amount, "currency": "MXN", "invoice_uuids": [INVOICE]}
