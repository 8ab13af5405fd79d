"""A national-scale synthetic logbook, seeded and streamed.

``contracts(n, seed, today)`` yields, one contract at a time, the registry rows and the planned
history of a realistic contract (the demo's planner, ``besa.demo.histories``), so memory stays
flat whatever ``n`` is: 1,000,000 contracts (about 12 million entries) are reachable. Each
contract draws from its own generator (``seed`` and its index), so contract *i* is the same
whichever ``n`` it was generated with.

``load_fast(...)`` writes them to the database in batches for benchmarks that need a large
logbook (``besa verify`` on a million entries): it validates and normalises every payload,
chains and folds exactly as ``append()`` does, and bulk-inserts the rows. It is not a second
writer for the product — ``besa verify`` and ``besa rebuild --check`` on the result are how a
benchmark run proves its data equals what ``append()`` would have written.
"""

from __future__ import annotations

import datetime as dt
import random
import string
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from stdnum.mx import rfc as stdnum_rfc

N_INSTITUTIONS = 300
UNITS_PER_INSTITUTION = 5
N_SUPPLIERS = 40_000


@dataclass(frozen=True)
class Planned:
    """One synthetic contract: its index, registration payload and later entries."""

    index: int
    ocid_suffix: str
    unit_index: int
    supplier_index: int
    registration: dict[str, Any]
    history: list[Any]


def _rng(seed: int, *key: int) -> random.Random:
    return random.Random(hash((seed, *key)) & 0xFFFFFFFFFFFF)


def institution_code(i: int) -> str:
    return f"INST{i:04d}"


def unit_code(i: int) -> str:
    return f"UC{i:06d}"


def _rfc(rng: random.Random, letters: int) -> str:
    while True:
        founded = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(365 * 50))
        stem = "".join(rng.choice(string.ascii_uppercase) for _ in range(letters))
        stem += founded.strftime("%y%m%d") + rng.choice("123456789ABCDEFGHJKLMNPQRSTUV")
        stem += rng.choice("123456789ABCDEFGHJKLMNPQRSTUVWXYZ")
        candidate = stem + stdnum_rfc.calc_check_digit(stem)
        if stdnum_rfc.is_valid(candidate) and not candidate.startswith(("XAXX", "XEXX")):
            return candidate


def institution_rfc(seed: int, i: int) -> str:
    return _rfc(_rng(seed, 1, i), 3)


def supplier_rfc(seed: int, i: int) -> str:
    return _rfc(_rng(seed, 2, i), 3)


def contracts(n: int, seed: int, today: dt.date, *, first: int = 0) -> Iterator[Planned]:
    """Yield contracts ``first .. first + n - 1`` with their planned histories."""
    from besa.demo import histories
    from besa.jurisdiction import from_env

    jurisdiction = from_env()
    for index in range(first, first + n):
        rng = _rng(seed, 3, index)
        unit = rng.randrange(N_INSTITUTIONS * UNITS_PER_INSTITUTION)
        institution = unit // UNITS_PER_INSTITUTION
        supplier = (
            min(int(rng.paretovariate(0.9)) - 1, N_SUPPLIERS - 1)
            if rng.random() < 0.3
            else rng.randrange(N_SUPPLIERS)
        )
        signing = today - dt.timedelta(days=rng.randrange(20, 3 * 365))
        regime = jurisdiction.regime_for(signing)
        start = signing + dt.timedelta(days=rng.randrange(0, 10))
        end = start + dt.timedelta(days=rng.choice((90, 180, 270, 365, 540)))
        amount = (
            jurisdiction.registration_threshold
            * Decimal(str(round(rng.lognormvariate(0.8, 0.9), 3) + 1))
        ).quantize(Decimal("0.01"))
        registration = {
            "contract": {
                "number": f"N-{index:07d}",
                "title": "Adquisición de bienes de consumo",
                "procedure_type": rng.choice(
                    ("adjudicacion_directa", "licitacion_publica", "invitacion_tres")
                ),
                "contracting_type": "adquisicion",
                "character": "nacional",
                "regime": regime.code,
                "award_date": (signing - dt.timedelta(days=rng.randrange(1, 14))).isoformat(),
                "signing_date": signing.isoformat(),
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "amount": str(amount),
                "currency": "MXN",
                "is_open": False,
                "multiyear": False,
                "advance_percent": "0",
                "guarantee_percent": "10",
                "penalty_rate_percent": "1.00",
            },
            "buyer": {
                "institution_code": institution_code(institution),
                "institution_name": f"Institución {institution}",
                "institution_rfc": institution_rfc(seed, institution),
                "buying_unit_code": unit_code(unit),
                "buying_unit_name": f"Unidad compradora {unit}",
                "level": "APF",
            },
            "suppliers": [
                {
                    "rfc": supplier_rfc(seed, supplier),
                    "name": f"Proveedor {supplier} S.A. de C.V.",
                    "share_percent": "100",
                }
            ],
            "home_currency": jurisdiction.currency,
            "compliance": [],
        }
        defects = frozenset()
        if rng.random() < 0.2:
            pick = rng.choice(histories.DEFECTS)
            if histories.applicable(pick, registration, today, regime=regime):
                defects = frozenset({pick})
        registration = histories.complete_registration(rng, registration, defects=defects)
        history = histories.plan_history(
            rng,
            registration,
            today,
            regime=regime,
            calendar=jurisdiction.calendar,
            beneficiary=jurisdiction.guarantee_beneficiary,
            zone=jurisdiction.zone,
            defects=defects,
        )
        suffix = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        yield Planned(index, suffix, unit, supplier, registration, history)
