"""Supplier contact data for the demo that makes the risk network view meaningful.

Real registries hold a few groups of companies that share a fiscal address, a telephone, a
legal representative or a shareholder (the pattern behind "empresas fantasma" and rigged
tenders); the rest share nothing. ``plant`` gives every demo supplier its own legal
representative and then plants a handful of such groups. It draws from a generator of its
own, so the registry's other demo data (and every test that counts it) stays the same.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from besa.demo import names
from besa.registry.models import Supplier

#: Groups planted, each as (what its members share, how many members).
GROUPS = (
    ("address", 3),
    ("address", 4),
    ("phone", 3),
    ("phone", 2),
    ("legal_representative", 3),
    ("shareholder", 3),
    ("shareholder", 2),
)

_FIRST = ("Laura", "José", "Ana", "Miguel", "María", "Luis", "Elena", "Jorge", "Sofía",
          "Carmen", "Raúl", "Patricia")  # fmt: skip
_LAST = tuple(dict.fromkeys(last for pair in names.PERSON_NAMES for last in pair[:2]))


@dataclass(frozen=True)
class PlantedShareholder:
    """A shareholder row to write once the supplier exists (``besa.risk.models.Shareholder``)."""

    supplier: Supplier
    name: str
    share_percent: int


def plant(seed: int, suppliers: list[Supplier]) -> list[PlantedShareholder]:
    """Give each supplier a distinct legal representative, plant the ``GROUPS`` among
    domestic companies (persona moral) and return the shareholders to write.

    Mutates the (unsaved) suppliers; deterministic for a given seed and supplier list.
    """
    rng = random.Random(f"besa-demo-networks:{seed}")
    people = [f"{f} {a} {b}" for f, a, b in itertools.product(_FIRST, _LAST, _LAST) if a != b]
    rng.shuffle(people)
    for supplier, person in zip(suppliers, itertools.cycle(people), strict=False):
        supplier.legal_representative = person

    companies = [s for s in suppliers if s.person_type == "moral" and s.country == "MX"]
    needed = sum(size for _, size in GROUPS)
    if len(companies) < needed:
        return []  # a tiny demo: no groups
    chosen = rng.sample(companies, needed)
    shareholders = []
    start = 0
    for number, (shared, size) in enumerate(GROUPS, 1):
        members = chosen[start : start + size]
        start += size
        first = members[0]
        owner = people[-number]  # never anyone's legal representative in a small demo
        for member in members:
            if shared == "address":
                member.fiscal_address = first.fiscal_address
            elif shared == "phone":
                member.phone = first.phone
            elif shared == "legal_representative":
                member.legal_representative = first.legal_representative
            else:
                shareholders.append(PlantedShareholder(member, owner, rng.randrange(20, 60)))
    return shareholders
