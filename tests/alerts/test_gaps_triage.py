"""``besa.alerts.gaps.triage``, pure: which findings on an imported contract are data gaps
(the source cannot carry the fact) and which the data support, when a gap becomes an alert,
and what coverage does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from besa.alerts.gaps import describe, missing_item, triage
from besa.jurisdiction import load
from besa.rules.base import Finding, Publication

MX = load("mx-federal")
IMPORTED = Publication(dt.date(2025, 4, 11))  # a Friday; grace ends Tuesday 2025-04-29


def _snapshot(signed: str = "2025-04-09", **extra: Any) -> dict[str, Any]:
    return {"contract": {"signing_date": signed}, "guarantees": {}, "data_gaps": [], **extra}


def _finding(rule: str, subject: str = "contract", **evidence: Any) -> Finding:
    return Finding(rule, subject, "H", evidence)


NO_SUFFICIENCY = _finding("A02", "budget:timing", problem="missing")
NO_GUARANTEE = _finding("A04", problem="missing")
NO_OPINIONS = _finding(
    "A17", "supplier:EKU9003173C9", problems=[{"source": "sat_32d", "problem": "missing"}]
)


def test_findings_on_absent_facts_a_source_cannot_carry_are_gaps() -> None:
    snapshot = _snapshot()
    assert missing_item(NO_SUFFICIENCY, snapshot) == "budget_sufficiency"
    assert missing_item(NO_GUARANTEE, snapshot) == "performance_guarantee"
    assert missing_item(NO_OPINIONS, snapshot) == "compliance_opinions"
    assert missing_item(_finding("A23"), snapshot) == "recent_events"
    assert missing_item(_finding("A24", breaches=["no_dictamen"]), snapshot) == "exception_basis"


def test_findings_the_data_support_are_not_gaps() -> None:
    snapshot = _snapshot()
    assert missing_item(_finding("A02", "budget:timing", problem="late"), snapshot) is None
    assert missing_item(_finding("A04", problem="late"), snapshot) is None
    negative = [
        {"source": "sat_32d", "problem": "missing"},
        {"source": "imss", "problem": "negative"},
    ]
    assert missing_item(_finding("A17", "supplier:X", problems=negative), snapshot) is None
    assert missing_item(_finding("A24", breaches=["above_pef_limit"]), snapshot) is None
    assert missing_item(_finding("A20", breaches=["no_closure"]), snapshot) is None
    assert missing_item(_finding("A07", "deliverable:1"), snapshot) is None
    # A publisher that gives guarantees (extension used) is judged on what it gives.
    with_guarantees = _snapshot(guarantees={"G1": {"type": "advance"}})
    assert missing_item(NO_GUARANTEE, with_guarantees) is None


def test_within_the_grace_period_a_gap_is_no_alert_and_the_day_after_it_is() -> None:
    late_delivery = _finding("A07", "deliverable:1")
    findings = [NO_SUFFICIENCY, NO_OPINIONS, late_delivery]
    during = triage(_snapshot(), findings, IMPORTED, MX, dt.date(2025, 4, 29))
    assert during.alerts == (late_delivery,)
    assert {g.item: g.due_on for g in during.gaps} == {
        "budget_sufficiency": dt.date(2025, 4, 29),
        "compliance_opinions": dt.date(2025, 4, 29),
    }
    assert during.next_check == dt.date(2025, 4, 30)
    after = triage(_snapshot(), findings, IMPORTED, MX, dt.date(2025, 4, 30))
    assert sorted(f.rule for f in after.alerts) == ["A02", "A07", "A17"]
    assert all(g.overdue for g in after.gaps) and after.next_check is None


def test_a_contract_typed_in_by_its_unit_has_no_gaps_only_alerts() -> None:
    decided = triage(_snapshot(), [NO_SUFFICIENCY], None, MX, dt.date(2025, 4, 11))
    assert decided.alerts == (NO_SUFFICIENCY,) and not decided.gaps


def test_before_coverage_nothing_is_an_alert_and_gaps_have_no_deadline() -> None:
    old = _snapshot(signed="2021-10-17")  # federal coverage starts 2021-10-18
    decided = triage(old, [NO_SUFFICIENCY, _finding("A07")], IMPORTED, MX, dt.date(2030, 1, 1))
    assert decided.alerts == () and not decided.covered
    (gap,) = decided.gaps
    assert (gap.item, gap.due_on, gap.overdue) == ("budget_sufficiency", None, False)
    assert "contrato anterior a la cobertura" in describe(gap)
    typed_old = triage(old, [NO_SUFFICIENCY], None, MX, dt.date(2030, 1, 1))
    assert typed_old.alerts == ()
    on_the_day = triage(
        _snapshot(signed="2021-10-18"), [NO_SUFFICIENCY], None, MX, dt.date(2030, 1, 1)
    )
    assert on_the_day.alerts == (NO_SUFFICIENCY,)


def test_unjudgeable_facts_are_listed_once_per_subject_without_deadline() -> None:
    unknown = [
        {"rule": r, "subject": "deliverable:M1", "reason": "amount unknown"}
        for r in ("A09", "A13", "A19")
    ] + [{"rule": "A20", "subject": "contract", "reason": "settlement unknown"}]
    decided = triage(_snapshot(data_gaps=unknown), [], None, MX, dt.date(2025, 4, 11))
    by_item = {g.item: g for g in decided.gaps}
    assert by_item["deliverable_amount"].rules == ("A09", "A13", "A19")
    assert by_item["deliverable_amount"].subject == "deliverable:M1"
    assert by_item["settlement"].rules == ("A20",)
    assert all(g.kind == "unjudgeable" and g.due_on is None for g in decided.gaps)
    assert "A09, A13, A19 no juzgable" in describe(by_item["deliverable_amount"])


def test_the_report_line_names_the_item_the_deadline_and_the_rule() -> None:
    decided = triage(_snapshot(), [NO_SUFFICIENCY], IMPORTED, MX, dt.date(2025, 4, 11))
    line = describe(decided.gaps[0])
    assert "suficiencia presupuestaria" in line and "2025-04-29" in line and "A02" in line
    assert "the buying unit must record it by 2025-04-29, else A02 opens" in line
