"""Seeded synthetic OCDS for the import tests: processes with two releases each (award and
contract, then implementation), half above the registration threshold, in 2024."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

PREFIX = "ocds-tst001"
BUYER_RFC = "SHC820101AB1"


def supplier_rfc(n: int) -> str:
    return f"SUP{(n % 28) + 1:02d}0101{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}{n % 10}"[:12]


def releases(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """``2 × count`` releases; the implementation releases come after all award releases,
    so that the importer must regroup each ocid's releases."""
    rng = random.Random(seed)
    plans = [_process(i, rng) for i in range(count)]
    for first, _ in plans:
        yield first
    for _, second in plans:
        yield second


def _process(i: int, rng: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    ocid = f"{PREFIX}-{i:06d}"
    amount = 20_000_000 + rng.randint(0, 9_000_000) if i % 2 == 0 else 900_000
    rfc = supplier_rfc(i % 40)
    parties = [
        {"id": "MX-RFC-" + BUYER_RFC, "name": "Secretaría de Pruebas", "roles": ["buyer"],
         "identifier": {"scheme": "MX-RFC", "id": BUYER_RFC}},
        {"id": "MX-RFC-" + rfc, "name": f"Proveedora {i % 40} SA de CV", "roles": ["supplier"],
         "identifier": {"scheme": "MX-RFC", "id": rfc}},
    ]  # fmt: skip
    award = {
        "ocid": ocid, "id": f"{ocid}-1", "date": "2024-02-01T10:00:00-06:00",
        "tag": ["award", "contract"], "initiationType": "tender", "parties": parties,
        "buyer": {"id": parties[0]["id"], "name": parties[0]["name"]},
        "tender": {"id": f"LA-{i:06d}", "procurementMethod": "open",
                   "mainProcurementCategory": "goods", "title": f"Compra {i}"},
        "awards": [{"id": "1", "date": "2024-01-20T00:00:00-06:00", "status": "active",
                    "suppliers": [{"id": parties[1]["id"], "name": parties[1]["name"]}]}],
        "contracts": [{"id": f"C-{i:06d}", "awardID": "1", "title": f"Contrato {i}",
                       "dateSigned": "2024-02-01T00:00:00-06:00",
                       "period": {"startDate": "2024-02-02T00:00:00-06:00",
                                  "endDate": "2024-12-31T00:00:00-06:00"},
                       "value": {"amount": amount, "currency": "MXN"}}],
    }  # fmt: skip
    late = rng.random() < 0.5
    implementation = {
        "ocid": ocid, "id": f"{ocid}-2", "date": "2024-06-01T10:00:00-06:00",
        "tag": ["implementation"],
        "contracts": [{
            "id": f"C-{i:06d}", "awardID": "1",
            "guarantees": [{"id": "G1", "type": "suretyBond", "obligations": "fulfillment",
                            "date": "2024-02-25T00:00:00-06:00" if late
                            else "2024-02-05T00:00:00-06:00",
                            "value": {"amount": round(amount * 0.1, 2), "currency": "MXN"}}],
            "amendments": [{"id": "A1", "date": "2024-05-01T00:00:00-06:00",
                            "rationale": "Ampliación de plazo"}],
            "implementation": {"transactions": [
                {"id": f"T{k}", "date": f"2024-0{3 + k}-15T00:00:00-06:00",
                 "value": {"amount": str(round(amount / 4, 2)), "currency": "MXN"}}
                for k in range(rng.randint(1, 3))
            ]},
        }],
    }  # fmt: skip
    return award, implementation
