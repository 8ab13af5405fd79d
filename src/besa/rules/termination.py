"""How a contract ends: no closure (A20), irregular rescission (A21), unsupported early
termination (A22), and a contract gone silent (A23).

Article numbers are those of the 2000 LAASSP and its Reglamento (domain.md §0).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from besa.registry.validation import GENERIC_RFCS
from besa.rules.base import Context, Finding, Verdict, earliest, rule
from besa.rules.facts import day, iso
from besa.rules.payments import payment_clock

_ONE_DAY = dt.timedelta(days=1)
#: Statuses in which A23 expects activity: delivered in full still leaves payments to make.
_RUNNING = frozenset({"registered", "in_execution", "terminated_completed"})
#: Guarantees that the finiquito releases; a quality guarantee outlives the contract.
_RELEASED_AT_CLOSURE = ("performance", "advance")


def _held(snapshot: Mapping[str, Any]) -> list[str]:
    """Performance and advance guarantees still active (neither released nor enforced)."""
    return sorted(
        g["guarantee_id"]
        for g in snapshot["guarantees"].values()
        if g["type"] in _RELEASED_AT_CLOSURE and g["status"] == "active"
    )


def _open_deliverables(snapshot: Mapping[str, Any]) -> list[str]:
    return sorted(d for d, v in snapshot["deliverables"].items() if not v["fully_accepted_on"])


def _unpaid_invoices(snapshot: Mapping[str, Any]) -> list[str]:
    return sorted(u for u, i in snapshot["invoices"].items() if not i["payment_entry_ids"])


# --- A20 ----------------------------------------------------------------------------------


@rule(
    "A20",
    name_es="Contrato vencido sin cierre",
    name_en="Expired contract not closed",
    severity="M",
    legal_basis="LAASSP arts. 54 y 54 Bis",
    trigger_es=(
        "Pasaron closure_days días naturales desde el fin de la vigencia (o la terminación "
        "anticipada) sin finiquito, o desde el finiquito con la garantía de cumplimiento o de "
        "anticipo aún retenida"
    ),
    trigger_en=(
        "closure_days natural days passed since the end of the term (or the early termination) "
        "with no settlement (finiquito), or since the settlement with the performance or "
        "advance guarantee still held"
    ),
    parameters=("closure_days",),
)
def not_closed(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A20, subject ``contract``. The contract *ended* on its end date as amended or, if
    terminated early, on the termination date. Breaches:

    - ``no_closure``: no closure on the day after ``ended + closure_days`` (closing on the
      last day is in time); the evidence lists what is still open (deliverables not fully
      accepted, CFDIs never paid, guarantees held);
    - ``guarantees_held``: a closure was recorded without a ``guarantee_release_date`` and a
      performance or advance guarantee is still active after ``closure date +
      closure_days``.

    Open deliverables and unpaid CFDIs are listed as evidence, not breaches of their own:
    A07 and A12 flag them. A suspended contract is skipped (its term is frozen), and a
    rescinded one is A21's. ``next_check`` is the day after whichever deadline is still ahead.
    """
    terms = snapshot.get("contract")
    if terms is None or snapshot["status"] in ("rescinded", "suspended", "unregistered"):
        return Verdict()
    termination = snapshot.get("early_termination")
    ended = day(termination["date"] if termination else snapshot["current_end_date"])
    days = context.regime.closure_days
    deadline = ended + dt.timedelta(days=days)
    closure = snapshot.get("closure")
    held = _held(snapshot)
    breaches: list[str] = []
    next_check = None
    release_deadline = None
    if closure is None:
        if context.today > deadline:
            breaches.append("no_closure")
        else:
            next_check = deadline + _ONE_DAY
    elif (
        held
        and not closure.get("guarantee_release_date")
        and not closure.get(
            "settlement_unknown"  # imported: the release is a data gap, not a finding
        )
    ):
        release_deadline = day(closure["date"]) + dt.timedelta(days=days)
        if context.today > release_deadline:
            breaches.append("guarantees_held")
        else:
            next_check = release_deadline + _ONE_DAY
    if not breaches:
        return Verdict((), next_check)
    evidence = {
        "end_date": iso(ended),
        "ended_by": "early_termination" if termination else "term",
        "closure_days": days,
        "deadline": iso(deadline),
        "days_overdue": (context.today - deadline).days if closure is None else None,
        "closure_date": None if closure is None else closure["date"],
        "release_deadline": iso(release_deadline),
        "open_deliverables": [] if termination else _open_deliverables(snapshot),
        "unpaid_invoices": _unpaid_invoices(snapshot),
        "guarantees_held": held,
        "as_of": iso(context.today),
        "breaches": breaches,
    }
    summary = f"Contrato vencido sin cierre: {', '.join(breaches)} / expired contract not closed"
    since = (deadline if closure is None else release_deadline or deadline) + _ONE_DAY
    return Verdict((Finding("A20", "contract", "M", evidence, summary, since),))


# --- A21 ----------------------------------------------------------------------------------


def _procedures(snapshot: Mapping[str, Any]) -> list[list[Mapping[str, Any]]]:
    """The rescission stages grouped by procedure: each group starts with its notice."""
    groups: list[list[Mapping[str, Any]]] = []
    for stage in snapshot["rescission"]["stages"]:
        if stage["stage"] == "notice":
            groups.append([stage])
        elif groups:
            groups[-1].append(stage)
    return groups


@rule(
    "A21",
    name_es="Rescisión irregular",
    name_en="Irregular rescission",
    severity="H",
    legal_basis="LAASSP arts. 50 fr. III, 54 y 60",
    trigger_es=(
        "Sin resolución dentro de rescission_resolution_days días tras la respuesta del "
        "proveedor o el fin de su plazo de rescission_answer_business_days días hábiles; "
        "contrato rescindido sin hacer efectiva la garantía de cumplimiento o sin finiquito "
        "closure_days días después de la resolución; segunda rescisión del mismo proveedor "
        "en dos años"
    ),
    trigger_en=(
        "No resolution within rescission_resolution_days days of the supplier's answer or the "
        "end of its rescission_answer_business_days business days to answer; a rescinded "
        "contract whose performance guarantee was not enforced, or with no settlement, "
        "closure_days days after the resolution; the same supplier's second rescission within "
        "two years"
    ),
    parameters=("rescission_answer_business_days", "rescission_resolution_days", "closure_days"),
)
def irregular_rescission(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A21, one finding per rescission procedure, subject ``rescission:<notice entry id>``.

    The supplier has ``rescission_answer_business_days`` business days after the notice to
    answer (``answer_period_end``, on the jurisdiction's calendar). The resolution is due
    ``rescission_resolution_days`` natural days after the later of the answer (the answer
    stage, or the resolution's ``supplier_answer_date``) and ``answer_period_end``: the
    catalogue counts from the answer, art. 54 fr. III from the end of the answer period, and
    the later of the two never flags a resolution that either reading allows. Breaches:
    ``resolution_overdue`` (none yet, after the deadline), ``resolution_late`` (resolved after
    it); once rescinded, after ``resolution + closure_days``: ``guarantee_not_enforced`` (a
    performance guarantee exists, none is enforced and the resolution enforced none) and
    ``no_settlement`` (no closure).

    A supplier's second rescission within two years (arts. 50 fr. III and 60) is a finding of
    its own, subject ``second_rescission:<RFC>`` (``_second_rescissions``).
    """
    if snapshot.get("contract") is None:
        return Verdict()
    regime, calendar, today = context.regime, context.jurisdiction.calendar, context.today
    findings = []
    next_check = None
    for stages in _procedures(snapshot):
        notice = stages[0]
        noticed = day(notice["date"])
        resolution = next((s for s in stages if s["stage"] == "resolution"), None)
        answers = [s["date"] for s in stages if s["stage"] == "answer"]
        if resolution is not None and resolution.get("supplier_answer_date"):
            answers.append(resolution["supplier_answer_date"])
        answered = day(min(answers)) if answers else None
        period_end = calendar.add_business_days(noticed, regime.rescission_answer_business_days)
        counted_from = max(answered, period_end) if answered else period_end
        deadline = counted_from + dt.timedelta(days=regime.rescission_resolution_days)
        breaches = []
        resolved = None if resolution is None else day(resolution["date"])
        if resolved is None:
            if today > deadline:
                breaches.append("resolution_overdue")
            else:
                next_check = earliest(next_check, deadline + _ONE_DAY)
        elif resolved > deadline:
            breaches.append("resolution_late")
        settle_by = None
        guarantees = [g for g in snapshot["guarantees"].values() if g["type"] == "performance"]
        if resolution is not None and resolution.get("decision", "rescinded") == "rescinded":
            resolved = day(resolution["date"])
            settle_by = resolved + dt.timedelta(days=regime.closure_days)
            enforced = any(g["status"] == "enforced" for g in guarantees) or Decimal(
                resolution.get("guarantee_enforced_amount") or 0
            )
            owed = [g for g in guarantees if g["status"] != "exempted"]
            pending = []
            if owed and not enforced:
                pending.append("guarantee_not_enforced")
            if snapshot.get("closure") is None:
                pending.append("no_settlement")
            if pending and today > settle_by:
                breaches.extend(pending)
            elif pending:
                next_check = earliest(next_check, settle_by + _ONE_DAY)
        if not breaches:
            continue
        evidence = {
            "notice_entry_id": notice["entry_id"],
            "notice_date": iso(noticed),
            "answer_date": iso(answered),
            "answer_period_end": iso(period_end),
            "resolution_deadline": iso(deadline),
            "resolution_date": iso(resolved),
            "decision": None if resolution is None else resolution.get("decision", "rescinded"),
            "days_late": max(0, ((resolved or today) - deadline).days),
            "settlement_deadline": iso(settle_by),
            "performance_guarantees": {g["guarantee_id"]: g["status"] for g in guarantees},
            "closure_date": (snapshot.get("closure") or {}).get("date"),
            "as_of": iso(today),
            "breaches": breaches,
        }
        summary = f"Rescisión irregular: {', '.join(breaches)} / irregular rescission"
        findings.append(Finding("A21", f"rescission:{notice['entry_id']}", "H", evidence, summary))
    findings.extend(_second_rescissions(snapshot, context))
    return Verdict(tuple(findings), next_check)


def two_years_before(resolved: dt.date) -> dt.date:
    """The same calendar day two years earlier (29 February → 28 February)."""
    try:
        return resolved.replace(year=resolved.year - 2)
    except ValueError:
        return resolved.replace(year=resolved.year - 2, day=28)


def _second_rescissions(snapshot: Mapping[str, Any], context: Context) -> list[Finding]:
    """One finding per supplier of a rescinded contract that had another contract rescinded
    (``Context.rescissions``: other contracts' logbooks, or imported) on a day from two years
    before this resolution up to it, both ends included (rescinded 2026-03-10: one of
    2024-03-10 counts, one of 2024-03-09 does not). The later rescission carries the finding:
    the earlier contract's evaluation never looks forward. Generic RFCs are skipped."""
    rescission = snapshot["rescission"]
    if rescission.get("decision") != "rescinded" or not rescission.get("resolved_on"):
        return []
    resolved = day(rescission["resolved_on"])
    since = two_years_before(resolved)
    findings = []
    for supplier in snapshot["suppliers"]:
        rfc = supplier["rfc"]
        if rfc in GENERIC_RFCS:
            continue
        earlier = sorted(
            (r for r in context.rescissions.get(rfc, ()) if since <= day(r["date"]) <= resolved),
            key=lambda r: (r["date"], str(r.get("contract"))),
        )
        if not earlier:
            continue
        evidence = {
            "rfc": rfc,
            "supplier_name": supplier["name"],
            "resolution_date": iso(resolved),
            "window_start": iso(since),
            "earlier_rescissions": [
                {k: r.get(k) for k in ("date", "source", "contract", "institution")}
                for r in earlier
            ],
        }
        summary = (
            f"Segunda rescisión de {rfc} en dos años / second rescission of {rfc} in two years"
        )
        findings.append(
            Finding("A21", f"second_rescission:{rfc}", "H", evidence, summary, resolved)
        )
    return findings


# --- A22 ----------------------------------------------------------------------------------


@rule(
    "A22",
    name_es="Terminación anticipada sin sustento",
    name_en="Early termination without support",
    severity="M",
    legal_basis="LAASSP art. 54 Bis",
    trigger_es=(
        "Terminación anticipada sin documento de justificación, o con gastos reembolsados "
        "mayores que los gastos comprobados"
    ),
    trigger_en=(
        "An early termination with no justification document, or reimbursed expenses above the "
        "documented expenses"
    ),
)
def unsupported_early_termination(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A22, subject ``contract``. Breaches: ``no_justification`` when the termination names
    no ``justification_document`` and has no file attached; ``reimbursement_over_documented``
    when ``reimbursed_expenses`` exceed ``documented_expenses`` (none documented counts as 0:
    art. 54 Bis reimburses only expenses "debidamente comprobados"). Recorded facts only."""
    termination = snapshot.get("early_termination") if snapshot.get("contract") else None
    if termination is None:
        return Verdict()
    attached = [d["id"] for d in snapshot["documents"] if d["entry_id"] == termination["entry_id"]]
    reimbursed = Decimal(termination.get("reimbursed_expenses") or 0)
    documented = Decimal(termination.get("documented_expenses") or 0)
    breaches = []
    if not termination.get("justification_document") and not attached:
        breaches.append("no_justification")
    if reimbursed > documented:
        breaches.append("reimbursement_over_documented")
    if not breaches:
        return Verdict()
    evidence = {
        "termination_entry_id": termination["entry_id"],
        "termination_date": termination["date"],
        "cause": termination["cause"],
        "justification_document": termination.get("justification_document"),
        "attached_documents": attached,
        "reimbursed_expenses": termination.get("reimbursed_expenses"),
        "documented_expenses": termination.get("documented_expenses"),
        "currency": snapshot["currency"],
        "breaches": breaches,
    }
    summary = f"Terminación anticipada sin sustento: {', '.join(breaches)} / unsupported"
    return Verdict((Finding("A22", "contract", "M", evidence, summary),))


# --- A23 ----------------------------------------------------------------------------------


@rule(
    "A23",
    name_es="Falta de movimiento",
    name_en="No activity",
    severity="L",
    legal_basis="Deber de registro en tiempo real de la BESA (Acuerdo 2021) [SRC S2]",
    trigger_es=(
        "Contrato registrado, en ejecución o entregado sin ninguna entrada en más de "
        "inactivity_days días naturales mientras una entrega o un pago está vencido"
    ),
    trigger_en=(
        "A registered, running or fully delivered contract with no logbook entry for more than "
        "inactivity_days natural days while a delivery or a payment is overdue"
    ),
    parameters=("inactivity_days", "payment_days", "invoice_review_business_days"),
)
def no_activity(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A23, subject ``contract``: status ``registered``, ``in_execution`` or
    ``terminated_completed`` (every deliverable accepted, payments may be due); the last entry
    occurred (date in the jurisdiction's time zone) more than ``inactivity_days`` days ago
    (with 60: an entry on 03-01 is silent from 05-01 on); and something is overdue today: a
    deliverable not fully accepted after its due date, or a CFDI unpaid after its due date
    (counted as A12 counts it). ``next_check`` is the first day both could hold, from the
    obligations still open."""
    if snapshot.get("contract") is None or snapshot["status"] not in _RUNNING:
        return Verdict()
    today = context.today
    last = dt.datetime.fromisoformat(snapshot["last_occurred_at"]).astimezone(
        context.jurisdiction.zone
    )
    last_day = last.date()
    silent_from = last_day + dt.timedelta(days=context.regime.inactivity_days + 1)
    overdue_from: dict[str, dt.date] = {}
    for deliverable_id, deliverable in snapshot["deliverables"].items():
        if not deliverable["fully_accepted_on"]:
            overdue_from[f"deliverable:{deliverable_id}"] = day(deliverable["due_date"]) + _ONE_DAY
    for uuid, invoice in snapshot["invoices"].items():
        clock = None if invoice["payment_entry_ids"] else payment_clock(snapshot, invoice, context)
        if clock is not None:
            overdue_from[f"invoice:{uuid}"] = clock.due + _ONE_DAY
    if not overdue_from:
        return Verdict()
    overdue = sorted(k for k, on in overdue_from.items() if on <= today)
    if today < silent_from or not overdue:
        first = max(silent_from, min(overdue_from.values()))
        return Verdict((), first if first > today else None)
    evidence = {
        "status": snapshot["status"],
        "last_event_on": iso(last_day),
        "inactivity_days": context.regime.inactivity_days,
        "days_without_events": (today - last_day).days,
        "overdue_deliverables": [k.split(":", 1)[1] for k in overdue if k.startswith("deliv")],
        "overdue_invoices": [k.split(":", 1)[1] for k in overdue if k.startswith("invoice")],
        "as_of": iso(today),
    }
    summary = f"Sin movimiento desde {iso(last_day)} / no activity since {iso(last_day)}"
    return Verdict((Finding("A23", "contract", "L", evidence, summary),))


__all__ = ["irregular_rescission", "no_activity", "not_closed", "unsupported_early_termination"]
