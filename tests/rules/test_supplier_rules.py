"""Supplier rules on a frozen day: SAT lists (A16), compliance opinions (A17) and debarment
(A18).

The contract is the medicines contract of ``tests.rules.snapshots``: awarded 2025-06-02, signed
2025-06-10, supplier ``SUPPLIER_RFC``, with positive SAT, IMSS and INFONAVIT opinions of
2025-06-05/06 that record no ``valid_until`` (so they last 30 natural days).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.logbook.histories import SUPPLIER_RFC, History, full_history, registration_payload
from tests.rules.snapshots import OCID, Contract, evaluate, snapshot

CODES = ("A16", "A17", "A18")
ON = "2025-12-01"
FOREIGN_RFC = "XEXX010101000"


def screened(code: str, *entries: dict[str, Any], contract: Contract | None = None) -> list[Any]:
    """``code``'s findings with ``entries`` listed against the supplier."""
    snap = (contract or Contract()).snapshot
    return list(evaluate(code, snap, ON, screening={SUPPLIER_RFC: list(entries)}).findings)


# --- A16: SAT lists -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "moment"),
    [
        pytest.param({"list": "sat_69b", "status": "presunto", "published": "2025-03-01"},
                     "at_signing", id="69-B presumed before signing"),
        pytest.param({"list": "sat_69b", "status": "definitivo", "published": "2025-06-10"},
                     "at_signing", id="69-B definitive on the signing day"),
        pytest.param({"list": "sat_69b", "status": "Definitivo", "published": "2025-06-11"},
                     "during_execution", id="69-B definitive the day after signing"),
        pytest.param({"list": "sat_69b", "status": "desvirtuado", "published": "2025-03-01"},
                     None, id="69-B disproved"),
        pytest.param({"list": "sat_69b", "status": "sentencia_favorable",
                      "published": "2025-03-01"}, None, id="69-B favourable ruling"),
        pytest.param({"list": "sat_69", "status": "no_localizado", "published": "2025-08-01"},
                     "during_execution", id="art. 69 not located"),
        pytest.param({"list": "sanctions", "start": "2025-01-01"}, None,
                     id="a debarment is A18's, not A16's"),
    ],
)  # fmt: skip
def test_a_supplier_listed_by_the_sat_at_signing_or_during_execution_fires(
    entry: dict[str, Any], moment: str | None
) -> None:
    found = screened("A16", entry)

    assert [f.evidence["listings"][0]["moment"] for f in found] == ([moment] if moment else [])
    assert all(f.subject == f"supplier:{SUPPLIER_RFC}" and f.severity == "H" for f in found)


@pytest.mark.parametrize(
    ("published", "fires"),
    [
        pytest.param("2026-02-20", True, id="published on the closure day"),
        pytest.param("2026-02-21", False, id="published after the closure"),
    ],
)
def test_a_listing_after_the_contract_was_closed_does_not_fire(published: str, fires: bool) -> None:
    closed = snapshot(full_history(OCID))  # closed on 2026-02-20
    entry = {
        "list": "sat_69b",
        "status": "definitivo",
        "published": dt.date.fromisoformat(published),
    }

    found = evaluate("A16", closed, "2026-03-01", screening={SUPPLIER_RFC: [entry]}).findings

    assert bool(found) is fires


def test_a_definitive_listing_names_the_cfdis_issued_since() -> None:
    contract = Contract()
    contract.schedule(("E1", "2025-07-31", "6000000.00", "10000"))
    contract.deliver("E1", "2025-06-30")
    before = contract.invoice("E1", "2025-07-01")
    contract.schedule(("E2", "2025-08-31", "9000000.00", "15000"))
    contract.deliver("E2", "2025-08-01")
    after = contract.invoice("E2", "2025-08-02")
    entry = {"list": "sat_69b", "status": "definitivo", "published": "2025-07-15"}

    (finding,) = screened("A16", entry, contract=contract)

    assert finding.evidence["invoices_after_listing"] == [after]
    assert before not in finding.evidence["invoices_after_listing"]


def test_screening_of_other_taxpayers_is_ignored() -> None:
    listed = {"OTR150315AB1": [{"list": "sat_69b", "status": "definitivo"}]}

    assert evaluate("A16", Contract().snapshot, ON, screening=listed).findings == ()


# --- A17: compliance opinions -------------------------------------------------------------


def opinions(**changes: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The registration's three positive opinions, each changed or (None) dropped."""
    base = {
        "sat_32d": {"source": "sat_32d", "date": "2025-06-05", "result": "positive"},
        "imss": {"source": "imss", "date": "2025-06-05", "result": "positive"},
        "infonavit": {"source": "infonavit", "date": "2025-06-06", "result": "positive"},
    }
    result = []
    for source, opinion in base.items():
        change = changes.get(source, {})
        if change is not None:
            result.append({**opinion, **change})
    return result


@pytest.mark.parametrize(
    ("compliance", "problems"),
    [
        pytest.param(opinions(), [], id="three positive opinions"),
        pytest.param(opinions(sat_32d={"result": "negative"}), [("sat_32d", "negative")],
                     id="negative SAT opinion"),
        pytest.param(opinions(imss=None), [("imss", "missing")], id="no IMSS opinion"),
        pytest.param(opinions(infonavit={"date": "2025-06-11"}), [("infonavit", "missing")],
                     id="INFONAVIT opinion dated after signing"),
        pytest.param(opinions(sat_32d={"date": "2025-05-11"}), [],
                     id="30 days old on the signing day: still valid"),
        pytest.param(opinions(sat_32d={"date": "2025-05-10"}), [("sat_32d", "expired")],
                     id="31 days old: expired"),
        pytest.param(opinions(imss={"valid_until": "2025-06-10"}), [],
                     id="valid until the signing day"),
        pytest.param(opinions(imss={"valid_until": "2025-06-09"}), [("imss", "expired")],
                     id="valid until the day before signing"),
    ],
)  # fmt: skip
def test_each_opinion_must_be_positive_and_current_at_signing(
    compliance: list[dict[str, Any]], problems: list[tuple[str, str]]
) -> None:
    history = registered_with(compliance)

    found = evaluate("A17", history.state, ON).findings

    got = [(p["source"], p["problem"]) for f in found for p in f.evidence["problems"]]
    assert got == problems
    assert all(f.subject == f"supplier:{SUPPLIER_RFC}" and f.severity == "H" for f in found)


def test_an_opinion_dated_after_signing_is_named_in_the_evidence() -> None:
    history = registered_with(opinions(infonavit={"date": "2025-06-11"}))

    (finding,) = evaluate("A17", history.state, ON).findings

    assert finding.evidence["problems"] == [
        {"source": "infonavit", "problem": "missing", "dated_after": ["2025-06-11"]}
    ]


def test_a_supplier_with_a_generic_foreign_rfc_needs_no_opinions() -> None:
    history = registered_with([], rfc=FOREIGN_RFC)

    assert evaluate("A17", history.state, ON).findings == ()


def test_a_rectified_registration_with_the_missing_opinion_withdraws_the_finding() -> None:
    history = registered_with(opinions(imss=None))
    registration = history.entries[0]
    assert len(evaluate("A17", history.state, ON).findings) == 1

    corrected = {**registration["payload"], "compliance": opinions()}
    history.add(
        "rectification",
        {"corrects": registration["id"], "reason": "Faltó capturar la opinión del IMSS",
         "payload": corrected},
        "2025-06-12",
    )  # fmt: skip

    assert evaluate("A17", history.state, ON).findings == ()


def registered_with(compliance: list[dict[str, Any]], *, rfc: str = SUPPLIER_RFC) -> History:
    """The medicines contract registered with these opinions, for a supplier with ``rfc``."""
    history = History(OCID)
    payload = registration_payload()
    payload["compliance"] = compliance
    payload["suppliers"][0]["rfc"] = rfc
    history.add("registration", payload, "2025-06-10")
    return history


# --- A18: debarment -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "in_force_on"),
    [
        pytest.param("2024-06-01", "2025-06-01", None, id="ended the day before the award"),
        pytest.param("2024-06-01", "2025-06-02", ["award"], id="ended on the award day"),
        pytest.param("2025-06-03", "2025-06-09", None, id="between award and signing"),
        pytest.param("2025-06-10", "2026-06-10", ["signing"], id="began on the signing day"),
        pytest.param("2025-06-11", None, None, id="began the day after signing"),
        pytest.param("2024-01-01", None, ["award", "signing"], id="indefinite"),
    ],
)
def test_a_debarment_in_force_at_award_or_signing_fires(
    start: str, end: str | None, in_force_on: list[str] | None
) -> None:
    entry = {"list": "sanctions", "start": start, "end": end, "published": start}

    found = screened("A18", entry)

    assert [f.evidence["sanctions"][0]["in_force_on"] for f in found] == (
        [in_force_on] if in_force_on else []
    )
    assert all(f.subject == f"supplier:{SUPPLIER_RFC}" and f.severity == "H" for f in found)


def test_a_debarment_may_be_given_with_dates() -> None:
    entry = {"list": "sanctions", "start": dt.date(2025, 1, 1), "end": dt.date(2025, 12, 31)}

    (finding,) = screened("A18", entry)

    assert finding.evidence["sanctions"][0]["start"] == "2025-01-01"


# --- the whole catalogue's promises -------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_the_medicines_contracts_clean_history_raises_no_supplier_alert(code: str) -> None:
    assert evaluate(code, snapshot(full_history(OCID)), "2026-03-01").findings == ()
