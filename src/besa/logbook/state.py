"""A contract's current state (its snapshot), as a pure fold over its logbook entries.

``apply(state, entry)`` returns the state after one entry; ``fold(entries)`` folds a whole
history. Both are pure and deterministic: they never mutate their inputs, read no clock and no
database, and return plain JSON data (money as fixed-point strings, dates as ``YYYY-MM-DD``)
so that two folds of the same history compare equal with ``==`` and store as JSON unchanged.
Entries are trusted: ``besa.logbook.kinds.validate_payload`` checked each payload against the
state it was appended to; this module only checks that the sequence is contiguous.

**Status** is derived from the facts after every entry, never stored as a transition, so late
recordings and corrections cannot leave it stale. First match wins:

==========================  ==============================================================
``closed``                  a ``closure`` was recorded (finiquito)
``rescinded``               a rescission ``resolution`` decided ``rescinded``
``terminated_early``        an ``early_termination`` was recorded
``suspended``               the last ``suspension`` entry has action ``suspend``
``terminated_completed``    every scheduled deliverable is fully accepted (none scheduled: never)
``in_execution``            an execution fact (delivery, invoice, payment, penalty, deduction)
                            was recorded, or an entry occurred (UTC date of ``occurred_at``)
                            on or after the start date
``registered``              the registration was recorded
``unregistered``            nothing yet
==========================  ==============================================================

**Data gaps** (``data_gaps``) are derived like the status: what the facts leave unknown and
which rule it keeps from judging, ``{rule, subject, reason}``. A deliverable of unknown
amount (an imported OCDS milestone has no value) leaves the penalty it owes (A09), the value
accepted against which payments are judged (A13) and its unit price (A19) unknown; lateness
(A07) and a missing penalty (A09) are still judged. A closure whose settlement is unknown
(imported) leaves the release of the guarantees unknown (A20).

**Money totals** (``totals``) are in the jurisdiction's home currency, rounded to cents per
entry: invoices and payments convert with their own exchange rate, penalties and deductions
(which carry no currency) with the contract's. Contract amounts (``current_amount``,
deliverables, amendments) stay in the contract's currency.

**Rectifications.** The state keeps, in ``log``, every entry with its *effective* payload. A
rectification replaces the corrected entry's payload in ``log`` and refolds the whole log
(O(n), and rectifications are rare), so the state is exactly what it would be had the entry
carried the corrected payload from the start. Only the bookkeeping keys in ``BOOKKEEPING_KEYS``
can differ from that history: they also record the rectification entry itself (its id, its
sequence, its attached documents, which are kept under ``rectifications``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import orjson

from besa.exceptions import IntegrityError

State = dict[str, Any]

#: Every status, from the first to the last a contract can reach.
STATUSES = (
    "unregistered",
    "registered",
    "in_execution",
    "suspended",
    "terminated_completed",
    "terminated_early",
    "rescinded",
    "closed",
)
#: Keys that describe the history rather than the contract (see the module docstring).
BOOKKEEPING_KEYS = frozenset(
    {"entry_ids", "log", "rectifications", "last_sequence", "last_occurred_at", "last_recorded_at"}
)
#: Kinds whose recording means the contract is being executed.
#: The kinds ``besa.audits`` appends (``besa.logbook.kinds.audit.AUDIT_KINDS``; repeated here,
#: where the kinds package cannot be imported, and kept in step by a test).
AUDIT_KINDS = frozenset(
    {"audit_opened", "audit_step", "audit_request", "audit_answer", "audit_finding",
     "audit_referral"}
)  # fmt: skip
EXECUTION_KINDS = frozenset({"delivery", "invoice", "payment", "penalty", "deduction"})

_CENT = Decimal("0.01")
_PERCENT_PLACES = Decimal("0.0001")


def initial_state(ocid: str) -> State:
    """The state of a contract before its first entry."""
    return {
        "ocid": ocid,
        "status": "unregistered",
        # From the registration (original terms, as registered).
        "contract": None,
        "buyer": None,
        "suppliers": [],
        "home_currency": None,
        "compliance": [],
        # Terms as amended.
        "currency": None,
        "original_amount": None,
        "current_amount": None,
        "original_end_date": None,
        "current_end_date": None,
        "amendment_percent": "0.0000",
        "amendment_increase_percent": "0.0000",
        "quantity_change_percent": "0",
        "execution_started_on": None,
        "suspended": False,
        # Facts, by kind.
        "budget_sufficiencies": [],
        "guarantees": {},
        "deliverables": {},
        "invoices": {},
        "payments": [],
        "penalties": [],
        "deductions": [],
        "amendments": [],
        "suspensions": [],
        "early_termination": None,
        "rescission": {"stages": [], "open": False, "decision": None, "resolved_on": None},
        "closure": None,
        "documents": [],
        "data_gaps": [],
        "totals": {
            "currency": None,
            "invoiced": "0.00",
            "paid": "0.00",
            "advances_paid": "0.00",
            "penalties_calculated": "0.00",
            "penalties_applied": "0.00",
            "penalties_withheld": "0.00",
            "deductions": "0.00",
            "deductions_withheld": "0.00",
            "financial_charges": "0.00",
        },
        # Bookkeeping.
        "entry_ids": {},
        "log": [],
        "rectifications": [],
        "last_sequence": 0,
        "last_occurred_at": None,
        "last_recorded_at": None,
    }


def apply(state: Mapping[str, Any], entry: Mapping[str, Any]) -> State:
    """Return the state after ``entry``; neither argument is modified.

    Raises ``IntegrityError`` if the entry belongs to another contract, repeats an id, or does
    not follow the state's last sequence.
    """
    new = _copied(state)
    _apply(new, entry, replaying=False)
    return new


class Fold:
    """A state folded in place, entry by entry, with no copy per entry.

    For long walks (rebuilding, publishing, re-validating after a correction) where ``apply``
    would copy the whole state at every step. ``state`` is live: read it between ``add``
    calls, and copy it to keep it. The ``start`` state given is copied once, never modified.
    """

    def __init__(self, start: Mapping[str, Any]) -> None:
        self.state: State = _copied(start)

    def add(self, entry: Mapping[str, Any], *, replay: bool = False) -> State:
        """Fold ``entry`` in and return the (live) state. ``replay`` marks an item of a
        state's ``log``, whose payload is already the effective one: a rectification item is
        then only recorded, its correction being in the log already."""
        _apply(self.state, entry, replaying=replay)
        return self.state


def fold(entries: Iterable[Mapping[str, Any]], ocid: str | None = None) -> State:
    """Fold a contract's entries (in sequence order) into its state.

    ``ocid`` defaults to the first entry's; it is required for an empty history. Runs in time
    linear in the history (plus a refold per rectification).
    """
    items = list(entries)
    if ocid is None:
        if not items:
            raise ValueError("fold() of no entries needs the ocid")
        ocid = str(items[0]["ocid"])
    folding = Fold(initial_state(ocid))
    for entry in items:
        folding.add(entry)
    return folding.state


def state_before(state: Mapping[str, Any], entry_id: str) -> State:
    """The state just before entry ``entry_id``, with every correction known to ``state``.

    Raises ``KeyError`` if the entry is not in ``state``'s log.
    """
    replayed = initial_state(state["ocid"])
    for item in state["log"]:
        if item["id"] == entry_id:
            return replayed
        _apply(replayed, item, replaying=True)
    raise KeyError(entry_id)


# --- The fold -----------------------------------------------------------------------------


def _copied(state: Mapping[str, Any]) -> State:
    # A state is JSON data; a JSON round trip copies it an order of magnitude faster than
    # copy.deepcopy, which matters because the log makes a state grow with its history.
    copied: State = orjson.loads(orjson.dumps(dict(state)))
    return copied


def _json_copy(value: Any) -> Any:
    """A deep copy of an entry's payload or documents, which are JSON data (they are stored
    as JSON): the same round trip as ``_copied``. ``copy.deepcopy`` of the payloads was 90 %
    of a fold's time (``besa rebuild`` folds every entry)."""
    return orjson.loads(orjson.dumps(value))


def _apply(state: State, entry: Mapping[str, Any], *, replaying: bool) -> None:
    """Fold ``entry`` into ``state`` in place; ``replaying`` refolds the state's own log."""
    _book(state, entry)
    kind = entry["kind"]
    payload = _json_copy(entry["payload"])
    entry_id = str(entry["id"])
    if kind == "rectification":
        state["rectifications"].append(
            {
                "entry_id": entry_id,
                "sequence": entry["sequence"],
                "corrects": payload["corrects"],
                "reason": payload["reason"],
                "documents": _documents(entry, "rectification"),
            }
        )
        if not replaying:
            _rectify(state, payload["corrects"], payload["payload"])
        return
    _PROJECTORS[kind](state, payload, entry_id)
    state["documents"].extend(_documents(entry, kind))
    _note_execution(state, kind, payload, str(entry["occurred_at"]))
    state["status"] = _status(state)
    state["data_gaps"] = _data_gaps(state)


def _book(state: State, entry: Mapping[str, Any]) -> None:
    entry_id = str(entry["id"])
    if entry.get("ocid", state["ocid"]) != state["ocid"]:
        raise IntegrityError(f"entry {entry_id} belongs to {entry['ocid']}, not {state['ocid']}")
    if entry["sequence"] != state["last_sequence"] + 1:
        raise IntegrityError(
            f"{state['ocid']}: entry {entry_id} has sequence {entry['sequence']}, "
            f"expected {state['last_sequence'] + 1}"
        )
    if entry_id in state["entry_ids"]:
        raise IntegrityError(f"{state['ocid']}: entry {entry_id} appears twice")
    state["entry_ids"][entry_id] = {"kind": entry["kind"], "sequence": entry["sequence"]}
    state["log"].append(
        {
            "id": entry_id,
            "sequence": entry["sequence"],
            "kind": entry["kind"],
            "occurred_at": entry["occurred_at"],
            "recorded_at": entry["recorded_at"],
            "payload": _json_copy(entry["payload"]),
            "documents": _json_copy(list(entry.get("documents") or [])),
        }
    )
    state["last_sequence"] = entry["sequence"]
    if entry["kind"] not in AUDIT_KINDS:  # an auditor's step is not the buying unit's activity
        state["last_occurred_at"] = _latest(state["last_occurred_at"], entry["occurred_at"])
    state["last_recorded_at"] = _latest(state["last_recorded_at"], entry["recorded_at"])


def _rectify(state: State, corrects: str, corrected: Mapping[str, Any]) -> None:
    for item in state["log"]:
        if item["id"] == corrects:
            item["payload"] = _json_copy(dict(corrected))
    refolded = initial_state(state["ocid"])
    for item in state["log"]:
        _apply(refolded, item, replaying=True)
    state.clear()
    state.update(refolded)


def _latest(current: str | None, candidate: str) -> str:
    if current is None or _instant(candidate) > _instant(current):
        return candidate
    return current


def _instant(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def _documents(entry: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    """The files attached to ``entry``; each gets the id ``<entry id>-<position>``."""
    return [
        {"id": f"{entry['id']}-{position}", "entry_id": str(entry["id"]), "kind": kind, **doc}
        for position, doc in enumerate(_json_copy(list(entry.get("documents") or [])), 1)
    ]


def _note_execution(state: State, kind: str, payload: Mapping[str, Any], occurred_at: str) -> None:
    contract = state["contract"]
    if contract is None:
        return
    day: str | None = None
    if kind in EXECUTION_KINDS:
        day = payload.get("date") or payload.get("issue_date")
    elif occurred_at[:10] >= contract["start_date"]:
        day = occurred_at[:10]
    started = state["execution_started_on"]
    if day is not None and (started is None or day < started):
        state["execution_started_on"] = day


def _status(state: State) -> str:
    if state["contract"] is None:
        return "unregistered"
    if state["closure"] is not None:
        return "closed"
    if state["rescission"]["decision"] == "rescinded":
        return "rescinded"
    if state["early_termination"] is not None:
        return "terminated_early"
    if state["suspended"]:
        return "suspended"
    deliverables = state["deliverables"].values()
    if deliverables and all(d["fully_accepted_on"] is not None for d in deliverables):
        return "terminated_completed"
    if state["execution_started_on"] is not None:
        return "in_execution"
    return "registered"


#: What a deliverable of unknown amount keeps each rule from judging.
_UNKNOWN_AMOUNT_GAPS = (
    ("A09", "importe de la pena no juzgable: importe desconocido / penalty amount not "
     "judgeable: amount unknown"),
    ("A13", "valor aceptado no juzgable: importe desconocido / accepted value not "
     "judgeable: amount unknown"),
    ("A19", "precio unitario no juzgable: importe desconocido / unit price not judgeable: "
     "amount unknown"),
)  # fmt: skip


def _data_gaps(state: State) -> list[dict[str, str]]:
    gaps = []
    for deliverable_id in sorted(state["deliverables"]):
        if state["deliverables"][deliverable_id].get("amount") is None:
            subject = f"deliverable:{deliverable_id}"
            gaps += [
                {"rule": r, "subject": subject, "reason": why} for r, why in _UNKNOWN_AMOUNT_GAPS
            ]
    closure = state["closure"]
    if closure is not None and closure.get("settlement_unknown"):
        gaps.append(
            {
                "rule": "A20",
                "subject": "contract",
                "reason": "liberación de garantías no juzgable: finiquito desconocido / "
                "guarantee release not judgeable: settlement unknown",
            }
        )
    return gaps


# --- Money --------------------------------------------------------------------------------


def _plain(number: Decimal) -> str:
    return format(number, "f")


def _home(state: State, amount: str, currency: str | None, rate: str | None) -> Decimal:
    """``amount`` in the home currency, rounded to cents."""
    value = Decimal(amount)
    if currency is not None and currency != state["home_currency"]:
        value *= Decimal(rate or state["contract"].get("exchange_rate") or 1)
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _in_contract_currency(state: State, amount: str) -> Decimal:
    return _home(state, amount, state["currency"], None)


def _add(state: State, total: str, amount: Decimal) -> None:
    totals = state["totals"]
    totals[total] = _plain(Decimal(totals[total]) + amount)


# --- One projector per kind ---------------------------------------------------------------


def _registration(state: State, payload: dict[str, Any], entry_id: str) -> None:
    contract = payload["contract"]
    state.update(
        contract=contract,
        buyer=payload["buyer"],
        suppliers=payload["suppliers"],
        home_currency=payload["home_currency"],
        compliance=payload.get("compliance", []),
        currency=contract["currency"],
        original_amount=contract["amount"],
        current_amount=contract["amount"],
        original_end_date=contract["end_date"],
        current_end_date=contract["end_date"],
    )
    state["totals"]["currency"] = payload["home_currency"]
    if "budget_sufficiency" in payload:
        state["budget_sufficiencies"].append(
            {**payload["budget_sufficiency"], "entry_id": entry_id}
        )


def _budget_sufficiency(state: State, payload: dict[str, Any], entry_id: str) -> None:
    state["budget_sufficiencies"].append({**payload, "entry_id": entry_id})


_GUARANTEE_TERMS = (
    "instrument", "issuer", "issuer_rfc", "policy_number", "amount", "currency", "percent",
    "beneficiary", "valid_from", "valid_until", "legal_basis",
)  # fmt: skip


def _guarantee(state: State, payload: dict[str, Any], entry_id: str) -> None:
    action = payload["action"]
    event = {"entry_id": entry_id, **payload}
    if action in ("new", "exemption"):
        guarantee: dict[str, Any] = {
            "guarantee_id": payload["guarantee_id"],
            "type": payload["type"],
            "status": "exempted" if action == "exemption" else "active",
            "date_received": payload["date_received"],
            **{term: payload.get(term) for term in _GUARANTEE_TERMS},
            "released_on": None,
            "enforced_on": None,
            "enforced_amount": None,
            "history": [],
        }
        state["guarantees"][payload["guarantee_id"]] = guarantee
    else:
        guarantee = state["guarantees"].get(payload["guarantee_id"])
        if guarantee is None:  # validation prevents it; a fold never fails on old data
            return
    guarantee["history"].append(event)
    if action == "extension":
        guarantee.update({t: payload[t] for t in _GUARANTEE_TERMS if payload.get(t) is not None})
    elif action == "release":
        guarantee.update(status="released", released_on=payload["date_received"])
    elif action == "enforcement":
        guarantee.update(
            status="enforced",
            enforced_on=payload["date_received"],
            enforced_amount=payload["amount"],
        )


def _deliverable_schedule(state: State, payload: dict[str, Any], entry_id: str) -> None:
    for planned in payload["deliverables"]:
        plan = {
            "entry_id": entry_id,
            "due_date": planned["due_date"],
            "quantity": planned["quantity"],
            "amount": planned.get("amount"),
        }
        deliverable = state["deliverables"].get(planned["deliverable_id"])
        if deliverable is None:
            deliverable = state["deliverables"][planned["deliverable_id"]] = {
                "original_due_date": planned["due_date"],
                "receptions": [],
                "plans": [],
            }
        deliverable.update(
            deliverable_id=planned["deliverable_id"],
            description=planned["description"],
            quantity=planned["quantity"],
            unit=planned.get("unit"),
            unit_price=planned.get("unit_price"),
            amount=planned.get("amount"),
            due_date=planned["due_date"],
            place=planned.get("place"),
        )
        deliverable["plans"].append(plan)
        _recount(deliverable)


def _delivery(state: State, payload: dict[str, Any], entry_id: str) -> None:
    deliverable = state["deliverables"].get(payload["deliverable_id"])
    if deliverable is None:
        return
    deliverable["receptions"].append({"entry_id": entry_id, **payload})
    _recount(deliverable)


def _recount(deliverable: dict[str, Any]) -> None:
    """Derive a deliverable's received and accepted figures from its receptions."""
    receptions = sorted(deliverable["receptions"], key=lambda r: r["date"])  # stable
    received = accepted = Decimal(0)
    fully_accepted_on = None
    for reception in receptions:
        received += Decimal(reception["quantity_received"])
        accepted += Decimal(reception["quantity_accepted"])
        if fully_accepted_on is None and accepted >= Decimal(deliverable["quantity"]):
            fully_accepted_on = reception["date"]
    deliverable.update(
        received_quantity=_plain(received),
        accepted_quantity=_plain(accepted),
        fully_accepted_on=fully_accepted_on,
        last_delivery_date=receptions[-1]["date"] if receptions else None,
        last_result=receptions[-1]["result"] if receptions else None,
    )


def _invoice(state: State, payload: dict[str, Any], entry_id: str) -> None:
    state["invoices"][payload["uuid"]] = {**payload, "entry_id": entry_id, "payment_entry_ids": []}
    currency, rate = payload["currency"], payload.get("exchange_rate")
    _add(state, "invoiced", _home(state, payload["total"], currency, rate))


def _invoice_status(state: State, payload: dict[str, Any], entry_id: str) -> None:
    """A later SAT check replaces the invoice's ``sat_status`` (A15 reads the latest)."""
    invoice = state["invoices"].get(payload["invoice_uuid"])
    if invoice is not None:
        invoice.update(
            sat_status=payload["status"],
            sat_status_checked_on=payload["checked_on"],
            sat_status_entry_id=entry_id,
        )


def _payment(state: State, payload: dict[str, Any], entry_id: str) -> None:
    state["payments"].append({**payload, "entry_id": entry_id})
    for uuid in payload["invoice_uuids"]:
        invoice = state["invoices"].get(uuid)
        if invoice is not None:
            invoice["payment_entry_ids"].append(entry_id)
    currency, rate = payload["currency"], payload.get("exchange_rate")
    paid = _home(state, payload["amount"], currency, rate)
    _add(state, "paid", paid)
    if payload["is_advance"]:
        _add(state, "advances_paid", paid)
    for field in ("penalties_withheld", "deductions_withheld", "financial_charges"):
        _add(state, field, _home(state, payload[field], currency, rate))


def _penalty(state: State, payload: dict[str, Any], entry_id: str) -> None:
    state["penalties"].append({**payload, "entry_id": entry_id})
    _add(state, "penalties_calculated", _in_contract_currency(state, payload["calculated_amount"]))
    _add(state, "penalties_applied", _in_contract_currency(state, payload["applied_amount"]))


def _deduction(state: State, payload: dict[str, Any], entry_id: str) -> None:
    state["deductions"].append({**payload, "entry_id": entry_id})
    _add(state, "deductions", _in_contract_currency(state, payload["amount"]))


def _amendment(state: State, payload: dict[str, Any], entry_id: str) -> None:
    state["amendments"].append({**payload, "entry_id": entry_id})
    original = Decimal(state["original_amount"])
    changes = [Decimal(a["amount_change"]) for a in state["amendments"]]
    current = original + sum(changes, Decimal(0))
    increase = sum((c for c in changes if c > 0), Decimal(0))
    quantity = sum(
        (Decimal(a.get("quantity_change_percent", 0)) for a in state["amendments"]), Decimal(0)
    )
    state["current_amount"] = _plain(current)
    state["amendment_percent"] = _percent_of(current - original, original)
    state["amendment_increase_percent"] = _percent_of(increase, original)
    state["quantity_change_percent"] = _plain(quantity)
    if "new_end_date" in payload:
        state["current_end_date"] = payload["new_end_date"]


def _percent_of(part: Decimal, whole: Decimal) -> str:
    return _plain((part * 100 / whole).quantize(_PERCENT_PLACES, rounding=ROUND_HALF_UP))


def _suspension(state: State, payload: dict[str, Any], entry_id: str) -> None:
    state["suspensions"].append({**payload, "entry_id": entry_id})
    state["suspended"] = payload["action"] == "suspend"


def _early_termination(state: State, payload: dict[str, Any], entry_id: str) -> None:
    state["early_termination"] = {**payload, "entry_id": entry_id}


def _rescission(state: State, payload: dict[str, Any], entry_id: str) -> None:
    rescission = state["rescission"]
    rescission["stages"].append({**payload, "entry_id": entry_id})
    if payload["stage"] == "notice":
        rescission.update(open=True, decision=None, resolved_on=None)
    elif payload["stage"] == "resolution":
        rescission.update(
            open=False, decision=payload.get("decision", "rescinded"), resolved_on=payload["date"]
        )


def _closure(state: State, payload: dict[str, Any], entry_id: str) -> None:
    state["closure"] = {**payload, "entry_id": entry_id}


def _document(state: State, payload: dict[str, Any], entry_id: str) -> None:
    state["documents"].append({"id": entry_id, "entry_id": entry_id, "kind": "document", **payload})


def _audit_request(state: State, payload: dict[str, Any], entry_id: str) -> None:
    """An audit request waits for its answer (rule A26 watches its deadline). The key is
    created on first use: states folded before audits existed have none."""
    state.setdefault("audit_requests", {})[payload["request"]] = {
        "case": payload["case"],
        "addressed_to": payload["addressed_to"],
        "sent_on": payload["sent_on"],
        "business_days": payload["business_days"],
        "due_on": payload["due_on"],
        "answered_on": None,
        "withdrawn": False,
        "entry_id": entry_id,
    }


def _audit_answer(state: State, payload: dict[str, Any], entry_id: str) -> None:
    request = state["audit_requests"][payload["request"]]
    request["answered_on"] = state["log"][-1]["occurred_at"][:10]


def _audit_step(state: State, payload: dict[str, Any], entry_id: str) -> None:
    """A case that ends withdraws its unanswered requests: nothing is owed any more."""
    if payload["state"] in ("closed", "stopped", "cancelled"):
        for request in state.get("audit_requests", {}).values():
            if request["case"] == payload["case"] and request["answered_on"] is None:
                request["withdrawn"] = True


def _audit_record(state: State, payload: dict[str, Any], entry_id: str) -> None:
    return None  # kept in the audits app's tables; the logbook holds the hash-chained record


_PROJECTORS: dict[str, Callable[[State, dict[str, Any], str], None]] = {
    "registration": _registration,
    "budget_sufficiency": _budget_sufficiency,
    "guarantee": _guarantee,
    "deliverable_schedule": _deliverable_schedule,
    "delivery": _delivery,
    "invoice": _invoice,
    "invoice_status": _invoice_status,
    "payment": _payment,
    "penalty": _penalty,
    "deduction": _deduction,
    "amendment": _amendment,
    "suspension": _suspension,
    "early_termination": _early_termination,
    "rescission": _rescission,
    "closure": _closure,
    "document": _document,
    "audit_opened": _audit_record,
    "audit_step": _audit_step,
    "audit_request": _audit_request,
    "audit_answer": _audit_answer,
    "audit_finding": _audit_record,
    "audit_referral": _audit_record,
}
