"""The pure rules' new inputs: opinions recorded on the supplier (A17) and fines (A18)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.logbook.histories import SUPPLIER_RFC
from tests.rules.snapshots import FEDERAL, Contract

from besa.rules import CATALOGUE, Context


def verdict(code: str, *, registered: bool, opinions: list[dict[str, Any]], **screen: Any) -> Any:
    snap = dict(Contract().snapshot)
    if not registered:
        snap["compliance"] = []
    context = Context(
        dt.date(2025, 12, 1),
        FEDERAL,
        FEDERAL.regime("LAASSP-2025"),
        screening={SUPPLIER_RFC: [screen]} if screen else {},
        opinions={SUPPLIER_RFC: opinions},
    )
    return CATALOGUE[code].evaluate(snap, context)


def opinion(source: str, result: str = "positive", date: str = "2025-06-01") -> dict[str, Any]:
    return {"source": source, "date": date, "result": result, "supplier_rfc": SUPPLIER_RFC}


ALL = [opinion("sat_32d"), opinion("imss"), opinion("infonavit")]


def test_supplier_opinions_are_judged_when_the_registration_carries_none() -> None:
    assert verdict("A17", registered=False, opinions=ALL).findings == ()
    negative = [*ALL[:2], opinion("infonavit", "negative")]
    (finding,) = verdict("A17", registered=False, opinions=negative).findings
    assert finding.evidence["problems"][0]["problem"] == "negative"
    assert finding.evidence["opinions_from"] == "supplier"


def test_the_registration_s_opinions_win_over_the_supplier_s() -> None:
    negative = [opinion(s, "negative") for s in ("sat_32d", "imss", "infonavit")]
    found = verdict("A17", registered=True, opinions=negative).findings
    assert found == ()  # the registered positive opinions of 2025-06-05/06 are judged


def test_without_any_opinion_every_source_is_missing() -> None:
    (finding,) = verdict("A17", registered=False, opinions=[]).findings
    assert [p["problem"] for p in finding.evidence["problems"]] == ["missing"] * 3
    assert "opinions_from" not in finding.evidence


@pytest.mark.parametrize(
    ("status", "fires"),
    [("inhabilitado", True), ("multa", False), ("absolutoria", False), ("", True)],
)
def test_a18_counts_debarments_not_fines(status: str, fires: bool) -> None:
    found = verdict(
        "A18", registered=True, opinions=[], list="sanctions", status=status,
        start="2025-01-01", end="2025-12-31",
    ).findings  # fmt: skip
    assert bool(found) is fires
