"""The alert catalogue A01–A26 (domain.md §4) as pure rules.

Importing this package registers every rule in ``CATALOGUE``; ``evaluate(snapshot, context)``
runs the rules that apply to the contract's regime and returns every finding and the
earliest day on which any verdict could change by time alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from besa.rules import (  # noqa: F401 - imported to register their rules
    amendments,
    audits,
    budget,
    deliveries,
    guarantees,
    invoices,
    payments,
    penalties,
    procedure,
    registration,
    suppliers,
    termination,
)
from besa.rules.base import CATALOGUE, Context, Finding, Publication, Rule, Verdict, earliest

__all__ = ["CATALOGUE", "Context", "Finding", "Publication", "Rule", "Verdict", "evaluate"]


def evaluate(
    snapshot: Mapping[str, Any], context: Context, *, only: set[str] | None = None
) -> tuple[list[Finding], dt.date | None]:
    """Run every applicable rule (or those in ``only``) on one contract snapshot."""
    findings: list[Finding] = []
    next_check: dt.date | None = None
    for code in sorted(CATALOGUE):
        rule = CATALOGUE[code]
        if (only is not None and code not in only) or not rule.applies_to(context.regime.code):
            continue
        verdict = rule.evaluate(snapshot, context)
        findings.extend(verdict.findings)
        next_check = earliest(next_check, verdict.next_check)
    return findings, next_check
