"""Data gaps: what a contract's data leave unknown, kept apart from misconduct (issue 12, item 5).

Pure: no Django, no clock, no database. ``triage`` takes the rules' findings on one contract
and decides, for each, whether it is a misconduct alert now or a *data gap* — information the
buying unit must complete:

- A contract published elsewhere and imported (``Publication``) arrives with only what its
  source can carry. A finding that rests on the *absence* of a fact such a source cannot carry
  (``missing_item``: no budget sufficiency, no compliance opinion, no guarantee at all where
  the publisher gives none, no events since the published ones, no legal basis of an
  exception) is a
  data gap, due ``Coverage.completion_business_days`` business days after the day the contract
  reached BESA (jurisdiction calendar). Until then no alert is raised; from the day after, if
  the fact is still missing, the finding becomes the alert it always was (the sweep raises it:
  ``next_check`` is that day). Recording the fact removes the finding, which closes the gap
  (and corrects the alert if it was raised).
- What the facts leave unjudgeable (``snapshot["data_gaps"]``: a deliverable of unknown
  amount, an imported closure's unknown settlement) is a gap for every contract, with no
  deadline: no rule can raise anything on it.
- A contract signed before ``Coverage.covered_from`` is kept and shown, and its gaps listed,
  but it raises no misconduct alert at all.

Findings that the data support (a guarantee received late, a delivery past its due date, a
negative compliance opinion, a contract past its end date that the publisher does not report
concluded: A20) are alerts as for a contract typed in by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from besa.jurisdiction import Jurisdiction
from besa.rules.base import Finding, Publication

#: Each item a buying unit may have to complete, in Spanish and English (for the import
#: report, whose lines are bilingual like every engine message; pages translate the label of
#: ``besa.alerts.models.GapItem``).
ITEMS: Mapping[str, tuple[str, str]] = {
    "budget_sufficiency": ("suficiencia presupuestaria", "budget sufficiency"),
    "multiyear_authorisation": (
        "autorización plurianual de la SHCP", "SHCP multiyear authorisation"
    ),
    "performance_guarantee": (
        "garantía de cumplimiento o su excepción", "performance guarantee or its exemption"
    ),
    "compliance_opinions": (
        "opiniones de cumplimiento (SAT 32-D, IMSS, INFONAVIT)",
        "compliance opinions (SAT 32-D, IMSS, INFONAVIT)",
    ),
    "recent_events": ("hechos posteriores a los publicados", "facts after the published ones"),
    "exception_basis": (
        "fundamento legal o dictamen de la excepción", "legal basis or report of the exception"
    ),
    "deliverable_amount": ("importe del entregable", "amount of the deliverable"),
    "settlement": ("importes del finiquito", "settlement amounts"),
}  # fmt: skip

#: The state's unjudgeable gaps (``{rule, subject, reason}``) by the item they name.
_UNJUDGEABLE = {"A09": "deliverable_amount", "A13": "deliverable_amount",
                "A19": "deliverable_amount", "A20": "settlement"}  # fmt: skip


@dataclass(frozen=True)
class Gap:
    """One piece of information missing from a contract.

    ``kind`` is ``missing`` (a fact whose absence a rule would flag; ``rules`` is that rule)
    or ``unjudgeable`` (a fact without which the ``rules`` cannot judge). ``due_on``: the last
    day the buying unit has to record it before the alert is raised (None: no alert will be,
    for an unjudgeable item or a contract outside coverage); ``overdue``: that day has passed
    and the alert is raised.
    """

    item: str
    subject: str
    kind: str
    rules: tuple[str, ...]
    due_on: dt.date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class Triage:
    """What ``triage`` decided: the findings to keep as alerts, the gaps, and the day time
    alone changes the decision (a grace period ending)."""

    alerts: tuple[Finding, ...]
    gaps: tuple[Gap, ...]
    covered: bool
    next_check: dt.date | None = None


def missing_item(finding: Finding, snapshot: Mapping[str, Any]) -> str | None:
    """The item whose absence ``finding`` rests on, if a published source cannot carry it;
    None when the data support the finding."""
    evidence = finding.evidence
    if finding.rule == "A02" and evidence.get("problem") == "missing":
        return (
            "multiyear_authorisation"
            if finding.subject == "budget:multiyear"
            else ("budget_sufficiency")
        )
    if finding.rule == "A04" and evidence.get("problem") == "missing":
        # A publisher that carries guarantees (the guarantees extension) said something:
        # a missing performance guarantee beside others is a finding, not a gap.
        return None if snapshot.get("guarantees") else "performance_guarantee"
    if finding.rule == "A17":
        problems = evidence.get("problems") or ()
        if problems and all(p.get("problem") == "missing" for p in problems):
            return "compliance_opinions"
        return None
    if finding.rule == "A23":
        return "recent_events"
    if finding.rule == "A24" and set(evidence.get("breaches") or ()) <= {
        "no_legal_basis",
        "no_dictamen",
    }:
        return "exception_basis"
    return None


def completion_deadline(publication: Publication, jurisdiction: Jurisdiction) -> dt.date:
    """The last day the buying unit has to complete an imported contract's data: the
    ``completion_business_days``-th business day after the day it reached BESA."""
    days = jurisdiction.coverage.completion_business_days
    return jurisdiction.calendar.add_business_days(publication.reached_on, days)


def triage(
    snapshot: Mapping[str, Any],
    findings: Iterable[Finding],
    publication: Publication | None,
    jurisdiction: Jurisdiction,
    today: dt.date,
) -> Triage:
    """Split ``findings`` on one contract into alerts and data gaps (module docstring)."""
    terms = snapshot.get("contract") or {}
    signed = terms.get("signing_date")
    covered = signed is None or jurisdiction.coverage.covers(dt.date.fromisoformat(signed))
    deadline = completion_deadline(publication, jurisdiction) if publication else None
    alerts: list[Finding] = []
    gaps: list[Gap] = []
    waiting = False
    for finding in findings:
        item = missing_item(finding, snapshot) if publication is not None else None
        if item is None:
            if covered:
                alerts.append(finding)
            continue
        overdue = covered and deadline is not None and today > deadline
        gaps.append(
            Gap(
                item,
                finding.subject,
                "missing",
                (finding.rule,),
                deadline if covered else None,
                overdue,
            )
        )
        if overdue:
            alerts.append(finding)
        elif covered:
            waiting = True
    gaps.extend(unjudgeable(snapshot.get("data_gaps") or ()))
    next_check = deadline + dt.timedelta(days=1) if waiting and deadline else None
    return Triage(tuple(alerts), tuple(_merged(gaps)), covered, next_check)


def unjudgeable(data_gaps: Iterable[Mapping[str, str]]) -> list[Gap]:
    """The state's ``data_gaps`` as gaps, one per item and subject (the rules it blocks
    together)."""
    by_key: dict[tuple[str, str], list[str]] = {}
    for gap in data_gaps:
        item = _UNJUDGEABLE.get(gap["rule"], "deliverable_amount")
        by_key.setdefault((item, gap["subject"]), []).append(gap["rule"])
    return [
        Gap(item, subject, "unjudgeable", tuple(sorted(set(rules))))
        for (item, subject), rules in by_key.items()
    ]


def _merged(gaps: Sequence[Gap]) -> list[Gap]:
    """One gap per (item, subject): two findings on the same absence (A17 per supplier is
    one each; A02's timing and amount are not both missing) merge their rules."""
    by_key: dict[tuple[str, str], Gap] = {}
    for gap in gaps:
        key = (gap.item, gap.subject)
        known = by_key.get(key)
        if known is None:
            by_key[key] = gap
        else:
            by_key[key] = Gap(
                gap.item,
                gap.subject,
                gap.kind,
                tuple(sorted(set(known.rules) | set(gap.rules))),
                known.due_on,
                known.overdue or gap.overdue,
            )
    return sorted(by_key.values(), key=lambda g: (g.item, g.subject))


def describe(gap: Gap) -> str:
    """One bilingual line for the import report: what is missing and by when."""
    es, en = ITEMS.get(gap.item, (gap.item, gap.item))
    if gap.kind == "unjudgeable":
        return (
            f"dato faltante: {es} ({gap.subject}); {', '.join(gap.rules)} no juzgable / "
            f"missing information: {en} ({gap.subject}); {', '.join(gap.rules)} not judgeable"
        )
    if gap.due_on is None:
        return (
            f"dato faltante: {es} ({gap.subject}); contrato anterior a la cobertura, sin alerta"
            f" / missing information: {en} ({gap.subject}); contract before coverage, no alert"
        )
    due = gap.due_on.isoformat()
    return (
        f"dato faltante: {es} ({gap.subject}); la unidad compradora debe registrarlo a más "
        f"tardar el {due}, si no se abre {gap.rules[0]} / missing information: {en} "
        f"({gap.subject}); the buying unit must record it by {due}, else {gap.rules[0]} opens"
    )
