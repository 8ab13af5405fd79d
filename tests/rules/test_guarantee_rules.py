"""A04 (performance guarantee missing or late), A05 (insufficient) and A06 (advance without
guarantee). The contract is signed on 2025-06-10 for 20,000,000.00 MXN with a 10 %
performance guarantee, and ends on 2025-12-31; day 10 after signing is 2025-06-20."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.rules.snapshots import Contract, evaluate

DAY_10, DAY_11 = "2025-06-20", "2025-06-21"


def only(verdict: Any) -> Any:
    (finding,) = verdict.findings
    return finding


# --- A04 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "action", "days_late"),
    [
        ("2025-06-10", "new", None),  # on the signing day
        (DAY_10, "new", None),
        (DAY_11, "new", 1),
        ("2025-07-10", "new", 20),
        (DAY_10, "exemption", None),  # an exemption in time replaces the guarantee
        (DAY_11, "exemption", 1),
    ],
)
def test_the_performance_guarantee_is_due_by_day_10_after_signing(
    received: str, action: str, days_late: int | None
) -> None:
    contract = Contract()
    contract.guarantee(received, action=action)

    verdict = evaluate("A04", contract.snapshot, "2025-08-01")

    if days_late is None:
        assert verdict.findings == ()
    else:
        finding = only(verdict)
        assert (finding.subject, finding.severity) == ("contract", "H")
        assert finding.evidence["problem"] == "late"
        assert finding.evidence["deadline"] == DAY_10
        assert finding.evidence["days_late"] == days_late
        assert finding.evidence["exemption"] is (action == "exemption")
    assert verdict.next_check is None


@pytest.mark.parametrize(
    ("today", "missing", "next_check"),
    [
        ("2025-06-10", False, dt.date(2025, 6, 21)),
        (DAY_10, False, dt.date(2025, 6, 21)),
        (DAY_11, True, None),  # only a new entry can change it now
        ("2025-09-01", True, None),
    ],
)
def test_with_no_guarantee_the_alert_waits_until_day_11(
    today: str, missing: bool, next_check: dt.date | None
) -> None:
    verdict = evaluate("A04", Contract().snapshot, today)

    assert bool(verdict.findings) is missing
    if missing:
        assert only(verdict).evidence["problem"] == "missing"
        assert only(verdict).evidence["as_of"] == today
    assert verdict.next_check == next_check


def test_a_missing_guarantee_disappears_when_one_received_in_time_is_recorded_late() -> None:
    contract = Contract()
    assert evaluate("A04", contract.snapshot, "2025-06-25").findings

    contract.guarantee("2025-06-19")  # received on day 9, recorded on day 15

    assert evaluate("A04", contract.snapshot, "2025-06-25").findings == ()


def test_a_late_guarantee_disappears_when_a_rectification_corrects_its_date() -> None:
    contract = Contract()
    entry = contract.guarantee("2025-06-23")
    assert only(evaluate("A04", contract.snapshot, "2025-07-01")).evidence["days_late"] == 3

    contract.rectify(entry, "2025-07-01", date_received="2025-06-19")

    assert evaluate("A04", contract.snapshot, "2025-07-01").findings == ()


# --- A05 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "short"),
    [
        ("2000000.00", False),  # 10 % of 20,000,000.00
        ("1999999.99", False),  # one cent: rounding
        ("1999999.98", True),
        ("1000000.00", True),
    ],
)
def test_the_guarantee_must_cover_the_contracts_percentage(amount: str, short: bool) -> None:
    contract = Contract()
    contract.guarantee("2025-06-18", amount=amount)

    verdict = evaluate("A05", contract.snapshot, "2025-07-01")

    assert bool(verdict.findings) is short
    if short:
        finding = only(verdict)
        assert (finding.subject, finding.severity) == ("guarantee:G-1", "H")
        assert finding.evidence["problems"] == ["amount"]
        assert finding.evidence["required_amount"] == "2000000.00"
        assert finding.evidence["guaranteed_amount"] == amount


def test_an_open_contracts_guarantee_is_a_percentage_of_its_maximum() -> None:
    contract = Contract(is_open=True, min_amount="8000000.00", max_amount="20000000.00")
    contract.guarantee("2025-06-18", amount="800000.00")  # 10 % of the minimum only

    finding = only(evaluate("A05", contract.snapshot, "2025-07-01"))

    assert finding.evidence["required_amount"] == "2000000.00"


@pytest.mark.parametrize(
    ("valid_until", "expired"),
    [("2026-06-30", False), ("2025-12-31", False), ("2025-12-30", True)],
)
def test_the_guarantee_must_be_valid_until_the_contract_ends(
    valid_until: str, expired: bool
) -> None:
    contract = Contract()
    contract.guarantee("2025-06-18", valid_until=valid_until)

    verdict = evaluate("A05", contract.snapshot, "2025-07-01")

    assert bool(verdict.findings) is expired
    if expired:
        assert only(verdict).evidence["problems"] == ["validity"]
        assert only(verdict).evidence["contract_end_date"] == "2025-12-31"


@pytest.mark.parametrize(
    ("beneficiary", "accepted"),
    [
        ("Tesorería de la Federación (TESOFE)", True),
        ("TESORERIA DE LA FEDERACION", True),  # accents and case do not matter
        ("TESOFE", True),
        ("Secretaría de Salud", True),  # an entidad receives its own guarantees
        ("Comercializadora de Medicamentos del Altiplano", False),
    ],
)
def test_the_guarantee_must_be_in_favour_of_tesofe_or_the_entity(
    beneficiary: str, accepted: bool
) -> None:
    contract = Contract()
    contract.guarantee("2025-06-18", beneficiary=beneficiary)

    verdict = evaluate("A05", contract.snapshot, "2025-07-01")

    assert (verdict.findings == ()) is accepted
    if not accepted:
        assert only(verdict).evidence["problems"] == ["beneficiary"]


@pytest.mark.parametrize(
    ("today", "short", "next_check"),
    [
        ("2025-10-25", False, dt.date(2025, 10, 26)),  # day 10 after the amendment
        ("2025-10-26", True, None),  # day 11: the endorsement is late
    ],
)
def test_an_amendment_raising_the_amount_needs_an_endorsement_within_10_days(
    today: str, short: bool, next_check: dt.date | None
) -> None:
    contract = Contract()
    contract.guarantee("2025-06-18")
    contract.amend("2025-10-15", amount_change="3000000.00", quantity_change_percent="15")

    verdict = evaluate("A05", contract.snapshot, today)

    assert bool(verdict.findings) is short
    assert verdict.next_check == next_check
    if short:
        assert only(verdict).evidence["required_amount"] == "2300000.00"


def test_the_endorsement_of_the_amendment_clears_the_alert() -> None:
    contract = Contract()
    contract.guarantee("2025-06-18")
    contract.amend("2025-10-15", amount_change="3000000.00", quantity_change_percent="15")
    assert evaluate("A05", contract.snapshot, "2025-11-01").findings

    contract.guarantee("2025-11-01", action="extension", amount="2300000.00", amendment_id="CM-1")

    assert evaluate("A05", contract.snapshot, "2025-11-01").findings == ()


def test_a_term_extension_needs_the_validity_extended() -> None:
    contract = Contract()
    contract.guarantee("2025-06-18", valid_until="2026-06-30")
    contract.amend("2025-10-15", new_end_date="2026-08-31")

    assert evaluate("A05", contract.snapshot, "2025-10-25").findings == ()
    assert only(evaluate("A05", contract.snapshot, "2025-10-26")).evidence["problems"] == [
        "validity"
    ]

    contract.guarantee("2025-10-28", action="extension", amount="2000000.00",
                       valid_until="2026-09-30")  # fmt: skip

    assert evaluate("A05", contract.snapshot, "2025-11-01").findings == ()


def test_a_short_guarantee_stays_a_finding_after_it_is_released() -> None:
    contract = Contract()
    contract.guarantee("2025-06-18", amount="1500000.00")
    contract.guarantee("2026-01-20", action="release")

    assert only(evaluate("A05", contract.snapshot, "2026-02-01")).evidence["problems"] == ["amount"]


def test_an_exempted_guarantee_is_not_judged_for_its_amount() -> None:
    contract = Contract()
    contract.guarantee(DAY_10, action="exemption")

    assert evaluate("A05", contract.snapshot, "2025-07-01").findings == ()


# --- A06 ----------------------------------------------------------------------------------

ADVANCE = "2320000.00"  # 10 % of the amount, plus VAT


def advance_paid_on(paid: str, guarantee: tuple[str, str] | None) -> Contract:
    """A 10 % advance paid on ``paid``, with an advance guarantee ``(received, amount)``."""
    contract = Contract(advance_percent="10")
    contract.guarantee("2025-06-18")
    if guarantee is not None:
        received, amount = guarantee
        contract.guarantee(received, "G-A", type="advance", amount=amount)
    cfdi = contract.invoice(None, "2025-06-12", subtotal="2000000.00")
    contract.pay(paid, cfdi, is_advance=True)
    return contract


@pytest.mark.parametrize(
    ("guarantee", "problem"),
    [
        (("2025-06-13", ADVANCE), None),  # received before the payment
        (("2025-06-14", ADVANCE), None),  # received on the day of the payment
        (("2025-06-15", ADVANCE), "before_guarantee"),  # the day after
        (None, "before_guarantee"),
        (("2025-06-13", "2319999.99"), None),  # one cent: rounding
        (("2025-06-13", "2000000.00"), "guarantee_short"),  # VAT not covered
    ],
)
def test_the_advance_needs_its_guarantee_first(
    guarantee: tuple[str, str] | None, problem: str | None
) -> None:
    contract = advance_paid_on("2025-06-14", guarantee)

    verdict = evaluate("A06", contract.snapshot, "2025-07-01")

    if problem is None:
        assert verdict.findings == ()
    else:
        finding = only(verdict)
        assert finding.subject == f"payment:{contract.entries[-1]['id']}"
        assert finding.severity == "H"
        assert finding.evidence["problem"] == problem
        assert finding.evidence["advance_amount"] == ADVANCE
        assert finding.evidence["payment_date"] == "2025-06-14"
    assert verdict.next_check is None
