"""Every rule's evidence reads as sentences in each language, built from real findings.

The findings come from the rules themselves: the demo's planned histories (every seeded
defect, folded and evaluated as ``tests/rules/test_demo_alerts.py`` does) and, for the rules
the demo never triggers, the histories of the rule tests (``tests/rules/snapshots.py``). No
sentence may show an internal code, a key name, ``None`` or a JSON value.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from collections.abc import Iterator

import pytest
from tests.rules.snapshots import Contract, context, evaluate
from tests.rules.test_demo_alerts import FEDERAL, TODAY, folded

from besa.alerts import words
from besa.demo import seed
from besa.rules import CATALOGUE, Context, Finding, Publication
from besa.rules import evaluate as evaluate_all

#: What must never appear in a sentence: subjects' prefixes, breach and key names (snake_case),
#: Python/JSON values, bilingual separators.
FORBIDDEN = re.compile(
    r"deliverable:|payment:|invoice:|guarantee:|supplier:|amendment:|\bNone\b|\bTrue\b|"
    r"\bFalse\b|\bnull\b|[{}\[\]]|\b[a-z]+_[a-z_]+\b| / "
)


def _demo_findings() -> Iterator[Finding]:
    for planned in seed.plans_for(today=TODAY, n_contracts=240):
        snapshot = folded(planned)
        regime = FEDERAL.regime(snapshot["contract"]["regime"])
        demo_context = Context(TODAY, FEDERAL, regime, screening=planned.screening)
        yield from evaluate_all(snapshot, demo_context)[0]


def _rule_test_findings() -> Iterator[Finding]:
    """A11, A15, A21 and A23, which no demo defect raises, from the rule tests' histories."""
    partial = Contract()
    partial.schedule(("E1", "2025-07-31", "6000000.00", "10000"))
    partial.deliver("E1", "2025-07-20", received="10000", accepted="7000", result="partial")
    yield from evaluate("A11", partial.snapshot, "2025-07-25").findings

    cfdi = Contract()
    cfdi.schedule(("E1", "2025-07-31", "6000000.00", "10000"))
    cfdi.deliver("E1", "2025-06-30")
    cfdi.invoice("E1", "2025-07-01", sat_status="cancelado", sat_status_checked_on="2025-07-02")
    yield from evaluate("A15", cfdi.snapshot, "2025-12-01").findings

    rescinded = Contract()
    rescinded.add(
        "rescission",
        {"stage": "notice", "date": "2025-09-12", "cause": "Incumplimiento de entregas"},
        "2025-09-12",
    )
    yield from evaluate("A21", rescinded.snapshot, "2025-10-08").findings

    silent = Contract()
    silent.schedule(("E1", "2025-07-31", "6000000.00", "10000"))
    yield from evaluate("A23", silent.snapshot, "2025-08-10").findings


def _branch_findings() -> Iterator[Finding]:
    """The branches of each rule's evidence the demo does not reach (a missing or short
    sufficiency, an SAT status, an expired opinion, too many extensions…), built with the rule
    tests' own histories and helpers."""
    from tests.rules import test_amendment_rules as amendments
    from tests.rules import test_guarantee_rules as guarantees
    from tests.rules import test_penalty_rules as penalties
    from tests.rules import test_supplier_rules as suppliers
    from tests.rules import test_termination_rules as termination
    from tests.rules.snapshots import BUDGET

    imported = Contract().snapshot  # signed 2025-06-10, published and imported on 06-12
    for confirmed in (None, dt.datetime(2025, 6, 25, 12, tzinfo=dt.UTC)):
        publication = Publication(dt.date(2025, 6, 12), confirmed)
        imported_context = dataclasses.replace(context("2025-07-01"), publication=publication)
        yield from CATALOGUE["A01"].evaluate(imported, imported_context).findings

    yield from evaluate("A02", Contract(budget=None).snapshot, "2025-07-01").findings
    short = Contract(budget={**BUDGET, "amount": "20000000.00"})
    yield from evaluate("A02", short.snapshot, "2025-07-01").findings
    for authorization in (None, {"oficio_number": "SHCP/307-A-1/2025", "date": "2025-06-11"}):
        budget = {**BUDGET, **({"multiyear_authorization": authorization} if authorization else {})}
        multiyear = Contract(multiyear=True, end_date="2026-12-31", budget=budget)
        yield from evaluate("A02", multiyear.snapshot, "2025-07-01").findings

    beneficiary = Contract()
    beneficiary.guarantee("2025-06-18", beneficiary="Comercializadora del Altiplano")
    yield from evaluate("A05", beneficiary.snapshot, "2025-07-01").findings
    advance = guarantees.advance_paid_on("2025-06-14", ("2025-06-13", "2000000.00"))
    yield from evaluate("A06", advance.snapshot, "2025-07-01").findings

    withheld, _ = penalties.late_e1_with_penalty()
    cfdi = withheld.invoice("E1", "2025-08-10")
    withheld.pay("2025-08-30", cfdi)
    yield from evaluate("A09", withheld.snapshot, "2025-12-01").findings
    deducted = penalties.contract_with()
    deducted.deliver("E1", "2025-07-20", received="10000", accepted="10000", result="deficient")
    deducted.deduction("E1", "2025-07-22", "300000.00")
    cfdi = deducted.invoice("E1", "2025-07-25")
    deducted.pay("2025-08-10", cfdi)
    yield from evaluate("A11", deducted.snapshot, "2025-08-15").findings

    for percent in ("0", "10"):
        advanced = Contract(advance_percent=percent)
        cfdi = advanced.invoice(None, "2025-06-20", subtotal="3000000.00")
        advanced.pay("2025-06-25", cfdi, is_advance=True)
        yield from evaluate("A13", advanced.snapshot, "2025-12-01").findings

    for field, value in (
        ("issuer_rfc", "OTR150315AB1"),
        ("receiver_rfc", "OTR630502AB1"),
        ("total", "6960000.02"),
        ("sat_status", "no_encontrado"),
        ("sat_status", "desconocido"),
    ):
        invoiced = Contract()
        invoiced.schedule(("E1", "2025-07-31", "6000000.00", "10000"))
        invoiced.deliver("E1", "2025-06-30")
        uuid = invoiced.invoice("E1", "2025-07-01")
        snap = copy.deepcopy(invoiced.snapshot)
        snap["invoices"][uuid][field] = value
        yield from evaluate("A15", snap, "2025-12-01").findings

    for compliance in (
        suppliers.opinions(imss=None),
        suppliers.opinions(sat_32d={"date": "2025-05-10"}),
        suppliers.opinions(infonavit={"date": "2025-06-11"}),
    ):
        history = suppliers.registered_with(compliance)
        yield from evaluate("A17", history.state, "2025-12-01").findings

    ends = ({"new_end_date": e} for e in ("2026-01-10", "2026-01-20", "2026-01-30"))
    yield from evaluate("A19", amendments.amended(*ends).snapshot, "2026-03-01").findings
    long = amendments.amended({"new_end_date": "2026-07-23"})
    yield from evaluate("A19", long.snapshot, "2026-03-01").findings
    replanned = Contract()
    replanned.schedule(("E1", "2025-07-31", "6000000.00", "10000"))
    replanned.schedule(("E1", "2025-08-31", "6500000.00", "10000"), on="2025-07-15")
    yield from evaluate("A19", replanned.snapshot, "2026-03-01").findings

    held = Contract()
    held.guarantee("2025-06-18")
    termination.close(held, "2026-01-20")
    yield from evaluate("A20", held.snapshot, "2026-03-22").findings
    unsettled = Contract()
    unsettled.guarantee("2025-06-18")
    termination.rescind(unsettled, "notice", "2025-09-12")
    termination.rescind(unsettled, "resolution", "2025-10-09", decision="rescinded")
    yield from evaluate("A21", unsettled.snapshot, "2025-12-15").findings

    from tests.rules import test_rule_inputs as inputs

    art42 = Contract(**{**inputs.ART42, "amount": "300000.01"}).snapshot
    budget = {**inputs.BUDGET, "art42_total": "300000.01"}
    yield from inputs.run("A24", art42, budget=budget).findings
    research = Contract(amount="110000.01", market_research_prices=inputs.PRICES).snapshot
    yield from inputs.run("A25", research).findings
    yield from inputs.second(inputs.rescinded("2025-07-15"), "2024-02-01")
    yield from inputs.second(inputs.rescinded("2025-07-15"), "2025-07-01", source="logbook")
    for name in sorted(inputs.ART_69_LISTS):
        screening = {
            inputs.SUPPLIER_RFC: [{"list": name, "status": "firmes", "published": "2025-01-02"}]
        }
        yield from inputs.run("A16", Contract().snapshot, screening=screening).findings

    direct = {"procedure_type": "adjudicacion_directa", "legal_basis": None}
    for terms in (
        {**direct, "exception_justification": "Dictamen", "pef_max_amount": "19999999.99"},
        {**direct, "procedure_type": "invitacion_tres", "exception_justification": None},
    ):
        yield from evaluate("A24", Contract(**terms).snapshot, "2025-12-01").findings
    for terms in ({"procedure_budget": "19999999.99"}, {"market_average_amount": "33338889.81"}):
        yield from evaluate("A25", Contract(**terms).snapshot, "2025-12-01").findings

    from tests.rules.test_audit_rule import requested

    yield from evaluate("A26", requested().snapshot, "2025-11-24").findings


@pytest.fixture(scope="module")
def findings() -> dict[str, list[Finding]]:
    by_rule: dict[str, list[Finding]] = {}
    for finding in [*_demo_findings(), *_rule_test_findings(), *_branch_findings()]:
        by_rule.setdefault(finding.rule, []).append(finding)
    return by_rule


def test_every_rule_of_the_catalogue_has_a_real_finding_and_a_sentence_function(
    findings: dict[str, list[Finding]],
) -> None:
    assert sorted(findings) == sorted(CATALOGUE)
    assert sorted(words.EVIDENCE) == sorted(CATALOGUE)


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_each_rules_evidence_reads_as_sentences_without_codes(
    findings: dict[str, list[Finding]], code: str, lang: str
) -> None:
    trigger = words.rule_description(code, lang)
    for finding in findings[code]:
        sentences = words.evidence(code, finding.evidence, lang)
        subject = words.subject(finding.subject, finding.evidence, lang)
        # The rule's own sentences, not the fallback to its trigger text.
        assert sentences and sentences != [trigger], (code, finding.evidence)
        for text in [*sentences, subject]:
            assert not FORBIDDEN.search(text), (code, text)
            assert "—" not in text, (code, text, finding.evidence)


def test_a_late_payment_says_how_many_days_after_the_cfdi_and_the_term() -> None:
    evidence = {
        "total": "1160000.00",
        "currency": "MXN",
        "date_received": "2025-07-01",
        "payment_days": 20,
        "due_date": "2025-07-21",
        "status": "paid_late",
        "payment_date": "2025-07-24",
        "days_late": 3,
        "paused_days": 0,
    }
    es = " ".join(words.evidence("A12", evidence, "es"))
    en = " ".join(words.evidence("A12", evidence, "en"))

    assert "$1,160,000.00" in es and "1 de julio de 2025" in es
    assert "Pagado el 24 de julio de 2025, 23 días después de recibir el CFDI" in es
    assert "20 días naturales" in es and "3 días tarde" in es
    assert "23 days after the CFDI was received" in en and "July 24, 2025" in en


def test_subjects_are_named_in_words() -> None:
    payment = {"payment_date": "2025-03-12", "amount": "1234.56", "currency": "MXN"}
    assert words.subject("deliverable:E4", {}, "es") == "entrega E4"
    assert words.subject("deliverable:E4", {}, "en") == "delivery E4"
    assert (
        words.subject("payment:886cb6db-0000", payment, "es")
        == "pago del 12 de marzo de 2025 por $1,234.56"
    )
    assert words.subject("payment:886cb6db-0000", payment, "en") == (
        "payment of MX$1,234.56 on March 12, 2025"
    )


def test_severity_and_state_have_names_in_each_language() -> None:
    assert words.severity_name("H", "es") == "Alta"
    assert words.severity_name("L", "en") == "Low"
    assert words.state_name("not_resolved", "es") == "No solventada"
    assert words.state_name("referred", "en") == "Referred to investigation"


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_rule_descriptions_give_the_regimes_values_not_parameter_names(
    code: str, lang: str
) -> None:
    regime = FEDERAL.regime("LAASSP-2025")
    values = {f.name: getattr(regime, f.name) for f in dataclasses.fields(regime)}
    text = words.rule_description(code, lang, values)
    assert text and not re.search(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", text), text
    assert not re.search(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", words.rule_description(code, lang))
    if code == "A12":
        assert str(regime.payment_days) in text


def test_the_branches_of_each_rules_evidence_are_reached(
    findings: dict[str, list[Finding]],
) -> None:
    """The sentences above are checked on every branch a rule's evidence has."""

    def reached(code: str, key: str) -> set[str]:
        values: set[str] = set()
        for finding in findings[code]:
            value = finding.evidence.get(key)
            if isinstance(value, list):
                values |= {v if isinstance(v, str) else v.get("problem", "") for v in value}
            elif value is not None:
                values.add(str(value))
        return values

    assert {bool(f.evidence.get("published")) for f in findings["A01"]} == {True, False}
    assert reached("A01", "problem") >= {"not_registered"}
    assert reached("A02", "problem") >= {"missing", "late"}
    assert {f.subject for f in findings["A02"]} >= {
        "budget:timing",
        "budget:amount",
        "budget:multiyear",
    }
    assert reached("A05", "problems") >= {"amount", "validity", "beneficiary"}
    assert reached("A06", "problem") >= {"before_guarantee", "guarantee_short"}
    assert {f.subject.split(":")[0] for f in findings["A09"]} >= {"deliverable", "penalty"}
    assert {f.subject.split(":")[0] for f in findings["A11"]} >= {"deliverable", "deduction"}
    assert reached("A13", "breaches") >= {
        "advance_not_agreed",
        "advance_above_agreed",
        "unaccepted_deliverable",
        "paid_beyond_accepted",
    }
    assert reached("A15", "breaches") >= {
        "sat_cancelled",
        "sat_not_found",
        "sat_unknown",
        "issuer_not_supplier",
        "receiver_not_buyer",
        "total_mismatch",
        "issued_before_delivery",
    }
    assert reached("A17", "problems") >= {"missing", "negative", "expired"}
    assert reached("A19", "breaches") >= {
        "amount_over_limit",
        "quantity_over_limit",
        "too_many_extensions",
        "extensions_over_term",
    }
    assert {f.subject.split(":")[0] for f in findings["A19"]} >= {
        "amendment",
        "contract",
        "deliverable",
    }
    assert reached("A20", "breaches") >= {"no_closure", "guarantees_held"}
    assert reached("A21", "breaches") >= {
        "resolution_overdue",
        "resolution_late",
        "guarantee_not_enforced",
        "no_settlement",
    }
    assert reached("A22", "breaches") >= {"no_justification", "reimbursement_over_documented"}
    assert reached("A24", "breaches") >= {
        "no_legal_basis",
        "no_dictamen",
        "above_pef_limit",
        "art42_share_exceeded",
    }
    assert reached("A24", "pef_max_amount_source") >= {"contract", "pef_annex"}
    assert {f.subject.split(":")[0] for f in findings["A21"]} >= {
        "rescission",
        "second_rescission",
    }
    assert {listing["list"] for f in findings["A16"] for listing in f.evidence["listings"]} >= {
        "sat_69b",
        "sat_69_firmes",
        "sat_69_csd",
    }
    assert any(f.evidence.get("market_research_prices") for f in findings["A25"])
    assert reached("A25", "breaches") >= {
        "above_budget",
        "unacceptable_price",
        "inconvenient_price",
    }
