"""Hand-made contract snapshots for the pure flag tests, folded by the real logbook fold."""

from __future__ import annotations

import datetime as dt
from typing import Any

from besa.logbook.state import State, fold

OCID = "ocds-test00-0001"


def _entry(sequence: int, kind: str, payload: dict[str, Any], day: str) -> dict[str, Any]:
    return {
        "id": f"e{sequence}",
        "ocid": OCID,
        "sequence": sequence,
        "kind": kind,
        "occurred_at": f"{day}T12:00:00+00:00",
        "recorded_at": f"{day}T12:00:00+00:00",
        "payload": payload,
        "documents": [],
    }


def registration(**terms: Any) -> dict[str, Any]:
    contract = {
        "number": "C-1",
        "title": "Medicamentos",
        "procedure_type": "licitacion_publica",
        "contracting_type": "adquisicion",
        "character": "nacional",
        "regime": "LAASSP-2025",
        "award_date": "2025-06-02",
        "signing_date": "2025-06-10",
        "start_date": "2025-06-11",
        "end_date": "2025-12-31",
        "amount": "1000000.00",
        "currency": "MXN",
        "guarantee_percent": "10",
        "penalty_rate_percent": "0.5",
    }
    contract.update(terms)
    return {
        "contract": contract,
        "buyer": {"institution_code": "INSTA", "institution_name": "Institución A"},
        "suppliers": [{"rfc": "ABC200101AB1", "name": "Proveedor", "share_percent": "100"}],
        "home_currency": "MXN",
    }


def snapshot(*facts: tuple[str, dict[str, Any], str], **terms: Any) -> State:
    """A registered contract (``terms`` override the registration) followed by ``facts``,
    each ``(kind, payload, day)``; entry ``n`` has sequence ``n`` (registration is 1)."""
    entries = [_entry(1, "registration", registration(**terms), "2025-06-10")]
    for n, (kind, payload, day) in enumerate(facts, 2):
        entries.append(_entry(n, kind, payload, day))
    return fold(entries)


def amendment(change: str, day: str = "2025-08-01", amendment_id: str = "M1") -> tuple:
    return (
        "amendment",
        {
            "amendment_id": amendment_id,
            "signing_date": day,
            "types": ["amount"],
            "amount_change": change,
            "justification": "Más piezas",
        },
        day,
    )


def schedule(due: str, quantity: str = "10", deliverable_id: str = "D1") -> tuple:
    return (
        "deliverable_schedule",
        {
            "deliverables": [
                {
                    "deliverable_id": deliverable_id,
                    "description": "Lote",
                    "quantity": quantity,
                    "amount": "1000000.00",
                    "due_date": due,
                }
            ]
        },
        "2025-06-12",
    )


def reception(day: str, received: str, accepted: str, result: str, deliverable_id: str = "D1"):
    return (
        "delivery",
        {
            "deliverable_id": deliverable_id,
            "date": day,
            "quantity_received": received,
            "quantity_accepted": accepted,
            "result": result,
        },
        day,
    )


def payment(amount: str, day: str = "2025-09-01") -> tuple:
    return (
        "payment",
        {
            "date": day,
            "amount": amount,
            "currency": "MXN",
            "invoice_uuids": [],
            "penalties_withheld": "0",
            "deductions_withheld": "0",
            "financial_charges": "0",
            "is_advance": False,
        },
        day,
    )


TODAY = dt.date(2025, 11, 1)
