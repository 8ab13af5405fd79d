"""Every rule's evidence reads as sentences in each language, built from real findings.

The findings come from the rules themselves: the demo's planned histories (every seeded
defect, folded and evaluated as ``tests/rules/test_demo_alerts.py`` does) and, for the rules
the demo never triggers, the histories of the rule tests (``tests/rules/snapshots.py``). No
sentence may show an internal code, a key name, ``None`` or a JSON value.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import pytest
from tests.rules.snapshots import Contract, evaluate
from tests.rules.test_demo_alerts import FEDERAL, TODAY, folded

from besa.alerts import words
from besa.demo import seed
from besa.rules import CATALOGUE, Context, Finding
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
        context = Context(TODAY, FEDERAL, regime, screening=planned.screening)
        yield from evaluate_all(snapshot, context)[0]


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


@pytest.fixture(scope="module")
def findings() -> dict[str, list[Finding]]:
    by_rule: dict[str, list[Finding]] = {}
    for finding in [*_demo_findings(), *_rule_test_findings()]:
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
