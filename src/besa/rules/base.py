"""The shape of an alert rule: a pure function from a contract's snapshot to findings.

A rule reads the contract state folded from its logbook (``besa.logbook.state``), the legal
parameters of the contract's regime and the jurisdiction, the supplier screening facts known
to the system, and ``today``; it returns the findings that hold now and the earliest day on
which time alone could change its verdict (``next_check``). Rules import no Django, read no
clock and no database: the alerts app feeds them and stores what they say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from besa.jurisdiction import Jurisdiction, Regime

Severity = Literal["H", "M", "L"]


@dataclass(frozen=True)
class Finding:
    """One breach found by a rule.

    ``subject`` names what the finding is about within the contract, stable across
    evaluations so that one open alert exists per (contract, rule, subject): ``"contract"``,
    ``"guarantee:<id>"``, ``"deliverable:<id>"``, ``"invoice:<UUID>"``, ``"amendment:<id>"``,
    ``"supplier:<RFC>"``… ``evidence`` holds the figures that made the rule fire, as JSON
    values (money and dates as strings). ``severity`` may raise the rule's default (A07 is
    high when more than 30 days late). ``since`` is the day the breach began, when the rule
    can tell (a delivery's first late day, a payment's date); it dates findings about past
    history, and is not part of what the finding says (two evaluations compare evidence).
    """

    rule: str
    subject: str
    severity: Severity
    evidence: Mapping[str, Any]
    summary: str = ""
    since: dt.date | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Publication:
    """How a contract published elsewhere (CompraNet/ComprasMX, imported) reached BESA.

    An import registers a published contract with its pre-filled data; that is not the
    buying unit's registration. ``reached_on`` is the day the import brought it (jurisdiction
    time zone); ``confirmed_at`` the moment the buying unit confirmed the pre-filled
    registration (its rectification entry), or None while it has not (A01 "not registered").
    """

    reached_on: dt.date
    confirmed_at: dt.datetime | None = None


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the snapshot.

    ``screening`` maps a supplier RFC to the list entries known for it (SAT 69-B and art. 69
    lists, the sanctioned suppliers directory), each a dict with at least ``list``
    (``sat_69b``, ``sat_69``, ``sanctions``), ``status`` and the dates of the entry; it is
    empty until lists are imported.

    ``opinions`` maps a supplier RFC to the compliance opinions recorded on the supplier
    (not on one contract), in the form of a registration entry's ``compliance`` items; rule
    A17 reads them for a supplier whose registration entry carries no opinion.

    ``publication`` is set for a contract that reached BESA by import (``Publication``);
    None for one its buying unit registered itself.

    ``budget`` and ``rescissions`` are the inputs of A24 and A21 that no contract holds
    (``besa.registry.ruleinputs`` reads them).
    """

    today: dt.date
    jurisdiction: Jurisdiction
    regime: Regime
    screening: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    opinions: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    #: A24: the buying institution's annual acquisitions budget for the fiscal year the
    #: contract was signed in, or None when none is recorded. Keys: ``fiscal_year``,
    #: ``annual_budget`` (home currency, string), ``pef_limits`` (None, or the PEF annex's
    #: maxima for the budget's bracket: ``adjudicacion_directa``, ``invitacion_tres``) and
    #: ``art42_total``: the home-currency amounts (maximum if open) of the institution's
    #: exceptions citing art. 42 signed that year up to the contract's signing day, inclusive.
    budget: Mapping[str, Any] | None = None
    #: A21: by supplier RFC, its rescissions on other contracts (from their logbooks) and
    #: before BESA (imported): each ``{"date", "source", "contract", "institution"}`` with
    #: ``date`` the resolution's day (``YYYY-MM-DD``) and ``source`` ``logbook`` or ``import``.
    rescissions: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    publication: Publication | None = None


@dataclass(frozen=True)
class Verdict:
    """What one rule says about one contract: findings now, and the next day to look again
    (None when only a new logbook entry could change the verdict)."""

    findings: tuple[Finding, ...] = ()
    next_check: dt.date | None = None


Evaluate = Callable[[Mapping[str, Any], Context], Verdict]


@dataclass(frozen=True)
class Rule:
    """A catalogue entry (domain.md §4) and its evaluation function."""

    code: str  #: "A01" … "A25"
    name_es: str
    name_en: str
    severity: Severity
    legal_basis: str
    trigger_es: str
    trigger_en: str
    parameters: tuple[str, ...]  #: names of the Regime/Jurisdiction parameters it reads
    evaluate: Evaluate
    regimes: tuple[str, ...] = ()  #: regimes it applies to; empty means all (A25: 2025 only)

    def applies_to(self, regime_code: str) -> bool:
        return not self.regimes or regime_code in self.regimes


CATALOGUE: dict[str, Rule] = {}


def rule(
    code: str,
    *,
    name_es: str,
    name_en: str,
    severity: Severity,
    legal_basis: str,
    trigger_es: str,
    trigger_en: str,
    parameters: tuple[str, ...] = (),
    regimes: tuple[str, ...] = (),
) -> Callable[[Evaluate], Evaluate]:
    """Register the decorated function as the evaluation of rule ``code``."""

    def decorator(evaluate: Evaluate) -> Evaluate:
        if code in CATALOGUE:
            raise ValueError(f"rule {code} registered twice")
        CATALOGUE[code] = Rule(
            code,
            name_es,
            name_en,
            severity,
            legal_basis,
            trigger_es,
            trigger_en,
            parameters,
            evaluate,
            regimes,
        )
        return evaluate

    return decorator


def earliest(*days: dt.date | None) -> dt.date | None:
    """The earliest of the given days, ignoring None (for combining ``next_check``)."""
    present = [d for d in days if d is not None]
    return min(present) if present else None
