"""docs/alerts.md is generated from the rules and never drifts from them."""

from __future__ import annotations

from pathlib import Path

from besa.jurisdiction import load
from besa.rules import CATALOGUE
from besa.rules.document import catalogue_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "alerts.md"


def test_the_catalogue_has_every_alert_a01_to_a26() -> None:
    assert sorted(CATALOGUE) == [f"A{n:02d}" for n in range(1, 27)]


def test_the_committed_document_equals_the_generated_one() -> None:
    generated = catalogue_markdown(load("mx-federal"))
    assert DOC.read_text() == generated, "run: besa alertsdoc (then commit docs/alerts.md)"


def test_every_rule_names_its_legal_basis_and_both_languages() -> None:
    for rule in CATALOGUE.values():
        assert rule.legal_basis and rule.name_es and rule.name_en
        assert rule.trigger_es and rule.trigger_en
