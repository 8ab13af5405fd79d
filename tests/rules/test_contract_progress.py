"""The contract page's facts (``besa.rules.progress``), computed from a snapshot without
Django: amended, accepted, invoiced and paid amounts, penalties, guarantee coverage, and the
next deadline as a date.

The contract is the medicines contract of ``tests.rules.snapshots`` (20,000,000.00 MXN without
VAT, guarantee 10 %, in force to 2025-12-31, signed 2025-06-10).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.rules.snapshots import Contract, context

from besa.rules.progress import Deadline, contract_facts


def _medicines() -> Contract:
    contract = Contract()
    contract.schedule(
        ("E1", "2025-07-31", "6000000.00", "10000"),
        ("E2", "2025-09-30", "14000000.00", "20000"),
    )
    return contract


def test_a_registered_contract_has_its_amount_and_its_first_deadline() -> None:
    contract = _medicines()
    facts = contract_facts(contract.snapshot, context("2025-06-20"))
    assert facts is not None
    assert facts.currency == "MXN"
    assert facts.original_amount == facts.current_amount == Decimal("20000000.00")
    assert facts.amendments == 0 and facts.amendment_percent == Decimal("0.0")
    assert facts.accepted_amount == facts.invoiced_amount == facts.paid_amount == Decimal(0)
    assert facts.deliverables == 2 and facts.deliverables_accepted == 0
    # No guarantee yet: none of the 2,000,000.00 required is covered.
    assert facts.guarantee_required == Decimal("2000000.00")
    assert facts.guarantee_coverage_percent == Decimal("0.0")
    assert facts.next_deadline == Deadline(dt.date(2025, 7, 31), "delivery", "Entregable E1")
    assert [d.what for d in facts.deadlines] == ["delivery", "delivery", "end"]


def test_delivered_invoiced_paid_amended_penalties_and_coverage() -> None:
    contract = _medicines()
    contract.guarantee("2025-06-15")  # 10 % of 20,000,000.00
    contract.deliver("E1", "2025-08-05")
    first = contract.invoice("E1", "2025-08-06")
    contract.penalty(
        "E1", "2025-08-06", days_late=5, base="6000000.00", calculated="150000.00",
        applied="100000.00",
    )  # fmt: skip
    contract.pay("2025-08-20", first)
    contract.deliver("E2", "2025-09-15", accepted="10000", result="partial")
    contract.amend("2025-09-01", amount_change="2000000.00")
    second = contract.invoice("E2", "2025-09-16", subtotal="7000000.00")

    facts = contract_facts(contract.snapshot, context("2025-09-20"))
    assert facts is not None
    assert facts.current_amount == Decimal("22000000.00")
    assert facts.amendment_change == Decimal("2000000.00")
    assert facts.amendment_percent == Decimal("10.0")
    # E1 in full (6,000,000.00) and half of E2 (7,000,000.00).
    assert facts.accepted_amount == Decimal("13000000.00")
    assert facts.deliverables_accepted == 1
    assert facts.invoiced_amount == Decimal("13000000.00")  # subtotals, without VAT
    assert facts.paid_amount == Decimal("6000000.00")  # the first CFDI's share without VAT
    assert facts.paid_percent == Decimal("27.3")  # of the amount as amended
    assert facts.penalties_calculated == Decimal("150000.00")
    assert facts.penalties_applied == Decimal("100000.00")
    # Amended to 22,000,000.00: 2,200,000.00 required, 2,000,000.00 held.
    assert facts.guarantee_required == Decimal("2200000.00")
    assert facts.guarantee_covered == Decimal("2000000.00")
    assert facts.guarantee_coverage_percent == Decimal("90.9")
    # E2 (half accepted) is due on 2025-09-30; the unpaid second CFDI 20 days after its
    # receipt, on 2025-10-06.
    assert facts.deadlines[:2] == (
        Deadline(dt.date(2025, 9, 30), "delivery", "Entregable E2"),
        Deadline(dt.date(2025, 10, 6), "payment", second),
    )


def test_an_overdue_delivery_stays_the_next_deadline_and_an_exemption_needs_no_coverage() -> None:
    contract = _medicines()
    contract.guarantee("2025-06-15", action="exemption")
    facts = contract_facts(contract.snapshot, context("2025-08-15"))
    assert facts is not None
    assert facts.next_deadline == Deadline(dt.date(2025, 7, 31), "delivery", "Entregable E1")
    assert facts.guarantee_exempted and facts.guarantee_required is None
    assert facts.guarantee_coverage_percent is None


def test_a_completed_contract_has_nothing_due() -> None:
    contract = _medicines()
    contract.deliver("E1", "2025-07-20")
    contract.deliver("E2", "2025-09-20")
    facts = contract_facts(contract.snapshot, context("2025-10-01"))
    assert facts is not None
    assert facts.status == "terminated_completed" and facts.deadlines == ()
    assert facts.accepted_percent == Decimal("100.0")


def test_nothing_is_known_before_the_registration() -> None:
    from besa.logbook.state import initial_state

    assert contract_facts(initial_state("ocds-x-1"), context("2025-06-20")) is None


def test_the_facts_of_every_demo_history_are_consistent() -> None:
    """Over the demo's planned histories (open contracts, foreign currencies, amendments,
    penalties, closures…): every figure is computed and agrees with the snapshot."""
    from tests.rules.test_demo_alerts import FEDERAL, TODAY, folded

    from besa.demo import seed
    from besa.rules.base import Context

    plans = seed.plans_for(today=TODAY, n_contracts=120)
    assert plans
    seen = set()
    for planned in plans:
        snapshot = folded(planned)
        regime = FEDERAL.regime(snapshot["contract"]["regime"])
        facts = contract_facts(snapshot, Context(TODAY, FEDERAL, regime))
        assert facts is not None, planned.ocid
        assert facts.currency == snapshot["currency"]
        assert facts.current_amount == facts.original_amount + facts.amendment_change
        assert facts.amendments == len(snapshot["amendments"])
        assert Decimal(0) <= facts.accepted_amount
        assert facts.paid_amount >= 0 and facts.invoiced_amount >= 0
        assert facts.penalties_applied == Decimal(snapshot["totals"]["penalties_applied"])
        assert list(facts.deadlines) == sorted(
            facts.deadlines, key=lambda d: (d.due, d.what, d.subject)
        )
        if snapshot["status"] in ("closed", "rescinded", "terminated_early"):
            assert facts.deadlines == ()
        seen.add(snapshot["status"])
        if facts.guarantee_required is not None:
            assert facts.guarantee_coverage_percent is not None
    assert len(seen) >= 3  # the demo covers several statuses
