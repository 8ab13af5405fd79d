"""Payment rules on a frozen day: late payment (A12), payment without delivery (A13) and
overpayment (A14), each at its boundaries.

The contract is the medicines contract of ``tests.rules.snapshots`` (20,000,000.00 MXN, signed
2025-06-10): deliverable E1 (10,000 boxes, 6,000,000.00 MXN) is delivered on 2025-06-30 and its
CFDI (6,960,000.00 with VAT) received on Tuesday 2025-07-01, unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.logbook.histories import full_history
from tests.rules.snapshots import OCID, Contract, evaluate, snapshot

CODES = ("A12", "A13", "A14")
RECEIVED = "2025-07-01"


def delivered(on: str | None = "2025-06-30", *, accepted: str | None = None) -> Contract:
    """The contract with E1 scheduled and (unless ``on`` is None) received on ``on``."""
    contract = Contract()
    contract.schedule(("E1", "2025-07-31", "6000000.00", "10000"))
    if on is not None:
        result = "accepted" if accepted is None else "partial"
        contract.deliver("E1", on, accepted=accepted, result=result)
    return contract


def findings(code: str, contract: Contract, today: str) -> list[Any]:
    return list(evaluate(code, contract.snapshot, today).findings)


# --- A12: late payment --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("letter", "corrected", "paid", "days_late"),
    [
        pytest.param(None, None, "2025-07-21", None, id="paid on day 20: on time"),
        pytest.param(None, None, "2025-07-22", 1, id="paid on day 21: one day late"),
        pytest.param("2025-07-03", "2025-07-10", "2025-07-28", None, id="day 27, 7 paused"),
        pytest.param("2025-07-03", "2025-07-10", "2025-07-29", 1, id="day 28, 7 paused: late"),
        pytest.param("2025-07-07", "2025-07-10", "2025-07-22", 1, id="late letter: no pause"),
    ],
)
def test_a_payment_is_late_after_20_days_from_the_cfdi_plus_the_paused_days(
    letter: str | None, corrected: str | None, paid: str, days_late: int | None
) -> None:
    contract = delivered()
    pause = {"deficiency_letter_date": letter, "corrected_invoice_date": corrected}
    cfdi = contract.invoice("E1", RECEIVED, **{k: v for k, v in pause.items() if v})
    contract.pay(paid, cfdi)

    found = findings("A12", contract, "2025-12-01")

    assert [f.evidence["days_late"] for f in found] == ([days_late] if days_late else [])
    if found:
        assert found[0].subject == f"invoice:{cfdi}"
        assert found[0].evidence["status"] == "paid_late"


def test_a_late_payment_carries_its_evidence() -> None:
    contract = delivered()
    cfdi = contract.invoice(
        "E1", RECEIVED, deficiency_letter_date="2025-07-03", corrected_invoice_date="2025-07-10"
    )
    payment = contract.pay("2025-08-04", cfdi, financial_charges="1500.00")

    (finding,) = findings("A12", contract, "2025-12-01")

    assert finding.severity == "M"
    assert finding.evidence == {
        "invoice_uuid": cfdi,
        "total": "6960000.00",
        "currency": "MXN",
        "date_received": RECEIVED,
        "delivered_on": "2025-06-30",
        "clock_start": RECEIVED,
        "deficiency_letter_date": "2025-07-03",
        "letter_deadline": "2025-07-04",
        "corrected_invoice_date": "2025-07-10",
        "paused_days": 7,
        "payment_days": 20,
        "due_date": "2025-07-28",
        "status": "paid_late",
        "payment_date": "2025-08-04",
        "payment_entry_id": payment["id"],
        "financial_charges": "1500.00",
        "days_late": 7,
    }


@pytest.mark.parametrize(
    ("received", "letter", "deadline", "paused", "due"),
    [
        # Friday 2025-09-12; Tuesday 09-16 is Independence Day: 3 business days end on Thursday.
        pytest.param("2025-09-12", "2025-09-18", "2025-09-18", 7, "2025-10-09", id="holiday in"),
        pytest.param("2025-09-12", "2025-09-19", "2025-09-18", 0, "2025-10-02", id="holiday out"),
        # Friday 2025-10-03, no holiday: 3 business days end on Wednesday.
        pytest.param("2025-10-03", "2025-10-08", "2025-10-08", 7, "2025-10-30", id="plain week in"),
        pytest.param("2025-10-03", "2025-10-09", "2025-10-08", 0, "2025-10-23", id="plain out"),
    ],
)
def test_a_deficiency_letter_pauses_the_clock_only_within_3_business_days_of_receipt(
    received: str, letter: str, deadline: str, paused: int, due: str
) -> None:
    contract = delivered("2025-09-01")
    corrected = (dt.date.fromisoformat(letter) + dt.timedelta(days=7)).isoformat()
    contract.invoice(
        "E1", received, deficiency_letter_date=letter, corrected_invoice_date=corrected
    )

    (finding,) = findings("A12", contract, "2025-12-31")  # still unpaid

    evidence = finding.evidence
    assert (evidence["letter_deadline"], evidence["paused_days"]) == (deadline, paused)
    assert evidence["due_date"] == due


@pytest.mark.parametrize(
    ("today", "days_late", "next_check"),
    [
        pytest.param("2025-07-10", None, "2025-07-22", id="not due yet"),
        pytest.param("2025-07-21", None, "2025-07-22", id="due today"),
        pytest.param("2025-07-22", 1, None, id="one day overdue"),
        pytest.param("2025-09-01", 42, None, id="long overdue"),
    ],
)
def test_an_unpaid_cfdi_fires_from_the_day_after_its_due_date(
    today: str, days_late: int | None, next_check: str | None
) -> None:
    contract = delivered()
    contract.invoice("E1", RECEIVED)

    verdict = evaluate("A12", contract.snapshot, today)

    assert [f.evidence["days_late"] for f in verdict.findings] == ([days_late] if days_late else [])
    assert all(f.evidence["status"] == "unpaid" for f in verdict.findings)
    assert all(f.evidence["as_of"] == today for f in verdict.findings)
    assert verdict.next_check == (next_check and dt.date.fromisoformat(next_check))


def test_the_next_check_is_the_day_after_the_earliest_due_date() -> None:
    contract = delivered()
    contract.schedule(("E2", "2025-08-31", "9000000.00", "15000"))
    contract.deliver("E2", "2025-06-30")
    contract.invoice("E2", "2025-07-05")
    contract.invoice("E1", RECEIVED)

    assert evaluate("A12", contract.snapshot, "2025-07-15").next_check == dt.date(2025, 7, 22)


def test_a_cfdi_awaiting_its_correction_has_no_running_clock() -> None:
    contract = delivered()
    contract.invoice("E1", RECEIVED, deficiency_letter_date="2025-07-03")

    verdict = evaluate("A12", contract.snapshot, "2025-12-01")

    assert verdict.findings == ()
    assert verdict.next_check is None


@pytest.mark.parametrize(
    ("delivered_on", "accepted", "paid", "days_late"),
    [
        pytest.param("2025-07-15", None, "2025-08-04", None, id="20 days after the delivery"),
        pytest.param("2025-07-15", None, "2025-08-05", 1, id="21 days after the delivery"),
        pytest.param("2025-07-15", "4000", "2025-08-05", 1, id="partly accepted counts"),
    ],
)
def test_the_clock_starts_at_the_delivery_when_the_cfdi_came_first(
    delivered_on: str, accepted: str | None, paid: str, days_late: int | None
) -> None:
    contract = delivered(None)
    cfdi = contract.invoice("E1", RECEIVED)
    contract.deliver(
        "E1", delivered_on, accepted=accepted, result="partial" if accepted else "accepted"
    )
    contract.pay(paid, cfdi)

    found = findings("A12", contract, "2025-12-01")

    assert [f.evidence["days_late"] for f in found] == ([days_late] if days_late else [])
    assert all(f.evidence["clock_start"] == delivered_on for f in found)


def test_a_cfdi_for_something_not_yet_accepted_is_not_yet_payable() -> None:
    contract = delivered(None)
    contract.invoice("E1", RECEIVED)
    contract.deliver("E1", "2025-07-02", result="rejected")

    verdict = evaluate("A12", contract.snapshot, "2025-12-01")

    assert (verdict.findings, verdict.next_check) == ((), None)


@pytest.mark.parametrize(
    ("paid", "expected"),
    [
        pytest.param("2025-07-20", None, id="paid in time, recorded late: the finding goes"),
        pytest.param("2025-07-24", "paid_late", id="paid late: it stays, as paid late"),
    ],
)
def test_recording_the_payment_settles_an_unpaid_finding(paid: str, expected: str | None) -> None:
    contract = delivered()
    cfdi = contract.invoice("E1", RECEIVED)
    assert [f.evidence["status"] for f in findings("A12", contract, "2025-07-25")] == ["unpaid"]

    contract.add("payment", _payment(paid, cfdi), "2025-07-25")

    found = findings("A12", contract, "2025-07-25")
    assert [f.evidence["status"] for f in found] == ([expected] if expected else [])


def test_rectifying_the_receipt_date_withdraws_the_late_payment_finding() -> None:
    contract = delivered()
    contract.invoice("E1", RECEIVED)
    wrong = contract.entries[-1]
    cfdi = wrong["payload"]["uuid"]
    contract.pay("2025-07-25", cfdi)
    assert len(findings("A12", contract, "2025-12-01")) == 1

    contract.rectify(wrong, "2025-07-26", date_received="2025-07-10")

    assert findings("A12", contract, "2025-12-01") == []


def _payment(day: str, cfdi: str) -> dict[str, Any]:
    return {"date": day, "amount": "6960000.00", "currency": "MXN", "invoice_uuids": [cfdi]}


# --- A13: payment without delivery --------------------------------------------------------


@pytest.mark.parametrize(
    ("delivered_on", "breaches"),
    [
        pytest.param("2025-07-10", None, id="accepted on the payment day"),
        pytest.param("2025-07-11", ["unaccepted_deliverable", "paid_beyond_accepted"],
                     id="accepted the day after the payment"),
    ],
)  # fmt: skip
def test_paying_a_cfdi_before_its_deliverable_is_accepted_fires(
    delivered_on: str, breaches: list[str] | None
) -> None:
    contract = delivered(None)
    cfdi = contract.invoice("E1", RECEIVED)
    payment = contract.pay("2025-07-10", cfdi)
    contract.deliver("E1", delivered_on)

    found = findings("A13", contract, "2025-12-01")

    assert [f.evidence["breaches"] for f in found] == ([breaches] if breaches else [])
    if found:
        assert found[0].subject == f"payment:{payment['id']}"
        assert found[0].severity == "H"
        assert found[0].evidence["unaccepted_deliverables"] == ["E1"]


@pytest.mark.parametrize(
    ("advance_percent", "subtotal", "breaches"),
    [
        pytest.param("10", "2000000.00", None, id="the agreed 10 %"),
        pytest.param("10", "2000000.01", None, id="a cent over: rounding tolerated"),
        pytest.param("10", "2000000.02", ["advance_above_agreed", "paid_beyond_accepted"],
                     id="two cents over the agreed advance"),
        pytest.param("0", "2000000.00", ["advance_not_agreed", "paid_beyond_accepted"],
                     id="no advance agreed"),
    ],
)  # fmt: skip
def test_an_advance_must_be_agreed_and_within_its_percentage(
    advance_percent: str, subtotal: str, breaches: list[str] | None
) -> None:
    contract = Contract(advance_percent=advance_percent)
    cfdi = contract.invoice(None, "2025-06-20", subtotal=subtotal)
    contract.pay("2025-06-25", cfdi, is_advance=True)

    found = findings("A13", contract, "2025-12-01")

    assert [f.evidence["breaches"] for f in found] == ([breaches] if breaches else [])


@pytest.mark.parametrize(
    ("subtotal", "fires"),
    [
        pytest.param("3000000.00", False, id="the value of the 5,000 boxes accepted"),
        pytest.param("3000000.02", True, id="two cents more"),
    ],
)
def test_payments_may_not_exceed_the_value_accepted(subtotal: str, fires: bool) -> None:
    contract = delivered(accepted="5000")
    cfdi = contract.invoice("E1", RECEIVED, subtotal=subtotal)
    contract.pay("2025-07-10", cfdi)

    found = findings("A13", contract, "2025-12-01")

    assert [f.evidence["breaches"] for f in found] == ([["paid_beyond_accepted"]] if fires else [])
    if fires:
        assert found[0].evidence["accepted_to_date"] == "3000000.00"
        assert found[0].evidence["excess"] == "0.02"


# --- A14: overpayment ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "breaches"),
    [
        pytest.param("6960000.00", None, id="the CFDI total"),
        pytest.param("6960000.01", None, id="a cent over: rounding tolerated"),
        pytest.param("6960000.02", ["paid_above_total"], id="two cents over the total"),
    ],
)
def test_a_cfdi_paid_above_its_total_fires(amount: str, breaches: list[str] | None) -> None:
    contract = delivered()
    cfdi = contract.invoice("E1", RECEIVED)
    contract.pay("2025-07-10", cfdi, amount=amount)

    found = findings("A14", contract, "2025-12-01")

    assert [f.evidence["breaches"] for f in found] == ([breaches] if breaches else [])
    assert all(f.subject == f"invoice:{cfdi}" for f in found)


def test_a_pue_cfdi_paid_twice_fires() -> None:
    contract = delivered()
    cfdi = contract.invoice("E1", RECEIVED)
    first = contract.pay("2025-07-10", cfdi)
    second = contract.pay("2025-07-20", cfdi)

    (finding,) = findings("A14", contract, "2025-12-01")

    assert finding.evidence["breaches"] == ["paid_twice", "paid_above_total"]
    assert finding.evidence["payment_entry_ids"] == [first["id"], second["id"]]
    assert finding.evidence["excess"] == "6960000.00"


@pytest.mark.parametrize(
    ("amendment", "fires"),
    [
        pytest.param(None, True, id="1,000,000 above the contract"),
        pytest.param("1000000.00", False, id="covered by an amendment of +1,000,000"),
    ],
)
def test_payments_may_not_exceed_the_contract_plus_its_amendments(
    amendment: str | None, fires: bool
) -> None:
    contract = Contract()
    contract.schedule(("E1", "2025-07-31", "20000000.00", "1"))
    if amendment:
        contract.amend("2025-06-20", amount_change=amendment)
    contract.deliver("E1", "2025-06-30")
    contract.pay("2025-07-10", contract.invoice("E1", RECEIVED))
    contract.pay("2025-07-10", contract.invoice(None, RECEIVED, subtotal="1000000.00"))

    found = [f for f in findings("A14", contract, "2025-12-01") if f.subject == "contract"]

    assert [f.evidence["excess"] for f in found] == (["1000000.00"] if fires else [])


# --- the whole catalogue's promises -------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_the_medicines_contracts_clean_history_raises_no_payment_alert(code: str) -> None:
    verdict = evaluate(code, snapshot(full_history(OCID)), "2026-03-01")

    assert verdict.findings == ()
