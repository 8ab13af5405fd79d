"""Delivery rules: late deliveries (A07) and inadequate ones (A08).

A deliverable is judged against its current due date (a re-plan, e.g. after an amendment or
a suspension, moves it). A deliverable falling due on or after the day the contract's
obligations stopped (``facts.obligations_end``: early termination, rescission, closure, or
the current suspension) is not owed; one due before that day stops accruing delay on it.
Article numbers are those of the 2000 LAASSP (domain.md §0).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from besa.rules.base import Context, Finding, Severity, Verdict, earliest, rule
from besa.rules.facts import day, iso, obligations_end

_ONE_DAY = dt.timedelta(days=1)
_INADEQUATE = ("rejected", "partial", "deficient")


def _owed(deliverable: Mapping[str, Any], end: tuple[dt.date, str] | None) -> bool:
    return end is None or day(deliverable["due_date"]) < end[0]


@rule(
    "A07",
    name_es="Entrega atrasada",
    name_en="Late delivery",
    severity="M",
    legal_basis="Contrato; LAASSP art. 53",
    trigger_es=(
        "Fecha de entrega real posterior a la pactada, o fecha pactada vencida sin recepción "
        "(alta si el atraso supera delivery_delay_high_days días)"
    ),
    trigger_en=(
        "Actual delivery after the due date, or the due date passed with no reception (high "
        "when more than delivery_delay_high_days days late)"
    ),
    parameters=("delivery_delay_high_days",),
)
def late_delivery(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A07, one finding per late deliverable (subject ``deliverable:<id>``).

    Delivered means fully accepted: the day the accepted quantity reached the planned one
    (``fully_accepted_on``). A deliverable accepted after its due date is late by the days
    between them; one not yet accepted is late from the day after its due date, by the days
    up to today (or up to the end of obligations, where it freezes). Due on day D: accepted on
    D is on time, on D + 1 late; not accepted, no finding through D (``next_check`` D + 1).
    Severity is ``H`` when more than ``delivery_delay_high_days`` days late (with 30: 30 days
    late is M, 31 is H; ``next_check`` D + 31 while a pending one is M), else ``M``.
    ``days_late`` of a pending delivery is as of ``as_of``. The finding disappears when the
    reception is recorded in time, or a re-plan or rectification moves the dates.
    """
    if snapshot.get("contract") is None:
        return Verdict()
    end = obligations_end(snapshot)
    high = context.regime.delivery_delay_high_days
    findings = []
    next_check: dt.date | None = None
    for deliverable_id in sorted(snapshot["deliverables"]):
        deliverable = snapshot["deliverables"][deliverable_id]
        if not _owed(deliverable, end):
            continue
        due = day(deliverable["due_date"])
        accepted = deliverable.get("fully_accepted_on")
        evidence: dict[str, Any] = {
            "deliverable_id": deliverable_id,
            "due_date": iso(due),
            "quantity": deliverable["quantity"],
            "accepted_quantity": deliverable.get("accepted_quantity", "0"),
        }
        if accepted is not None:
            late = (day(accepted) - due).days
            if late <= 0:
                continue
            evidence.update(delivered_on=accepted, days_late=late)
        else:
            until = context.today if end is None else min(context.today, end[0])
            late = (until - due).days
            if late <= 0:
                if end is None:
                    next_check = earliest(next_check, due + _ONE_DAY)
                continue
            evidence.update(delivered_on=None, as_of=iso(until), days_late=late)
            if end is not None:
                evidence["obligations_ended"] = {"on": iso(end[0]), "by": end[1]}
            elif late <= high:
                next_check = earliest(next_check, due + dt.timedelta(days=high + 1))
        severity: Severity = "H" if late > high else "M"
        summary = f"Entrega {late} días tarde / delivery {late} days late"
        since = due + _ONE_DAY
        findings.append(
            Finding("A07", f"deliverable:{deliverable_id}", severity, evidence, summary, since)
        )
    return Verdict(tuple(findings), next_check)


@rule(
    "A08",
    name_es="Entrega inadecuada (rechazada / parcial / deficiente)",
    name_en="Inadequate delivery (rejected / partial / deficient)",
    severity="M",
    legal_basis="LAASSP arts. 53 Bis y 54",
    trigger_es=(
        "Recepción rechazada, parcial o deficiente; cantidad aceptada menor que la pactada al "
        "vencer la fecha de entrega sin nueva fecha"
    ),
    trigger_en=(
        "A reception rejected, partial or deficient; accepted quantity below the planned one "
        "once the due date passed, with no new date"
    ),
)
def inadequate_delivery(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A08, one finding per deliverable (subject ``deliverable:<id>``) that has

    - a reception whose result is ``rejected``, ``partial`` or ``deficient`` (listed in
      ``receptions``); it stays as a fact of the contract's history, to be attended (a
      replacement, a deduction or a rescission) even when the rest is accepted later, and
      disappears only if a rectification corrects the reception; or
    - receptions that add up to less than the planned quantity once the due date has passed
      (``short_quantity``; due on D: through D nothing, from D + 1 a finding, ``next_check``
      D + 1). A re-plan to a later due date is the "replacement date" that clears it.

    Deliverables not owed any more (see the module docstring) are only judged on their
    receptions.
    """
    if snapshot.get("contract") is None:
        return Verdict()
    end = obligations_end(snapshot)
    findings = []
    next_check: dt.date | None = None
    for deliverable_id in sorted(snapshot["deliverables"]):
        deliverable = snapshot["deliverables"][deliverable_id]
        receptions = deliverable["receptions"]
        bad = [r for r in receptions if r["result"] in _INADEQUATE]
        short = False
        if receptions and deliverable.get("fully_accepted_on") is None and _owed(deliverable, end):
            due = day(deliverable["due_date"])
            if context.today > due:
                short = True
            else:
                next_check = earliest(next_check, due + _ONE_DAY)
        if not bad and not short:
            continue
        quantity, accepted = (
            Decimal(deliverable["quantity"]),
            Decimal(deliverable["accepted_quantity"]),
        )
        evidence: dict[str, Any] = {
            "deliverable_id": deliverable_id,
            "due_date": deliverable["due_date"],
            "quantity": deliverable["quantity"],
            "accepted_quantity": deliverable["accepted_quantity"],
            "short_quantity": format(quantity - accepted, "f") if short else None,
            "receptions": [
                {
                    "entry_id": r["entry_id"],
                    "date": r["date"],
                    "result": r["result"],
                    "quantity_received": r["quantity_received"],
                    "quantity_accepted": r["quantity_accepted"],
                    "reason": r.get("reason"),
                }
                for r in sorted(bad, key=lambda r: r["date"])
            ],
        }
        results = sorted({r["result"] for r in bad}) or ["short"]
        summary = f"Entrega inadecuada / inadequate delivery: {', '.join(results)}"
        findings.append(Finding("A08", f"deliverable:{deliverable_id}", "M", evidence, summary))
    return Verdict(tuple(findings), next_check)
