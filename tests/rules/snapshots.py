"""Contract snapshots for rule tests, folded from valid logbook entries.

The API is small on purpose (other rule tests rely on it):

- ``snapshot(entries)``: the state folded from entry dicts (``besa.logbook.state.fold``).
- ``context(today, regime=…)``: a rule ``Context`` for the federal jurisdiction on a frozen day.
- ``evaluate(code, snapshot, today, …)``: one rule's ``Verdict``.
- ``Contract(**terms)``: a history under construction, registered on creation. It starts as
  the medicines contract of ``tests.logbook.histories`` (signed Tue 2025-06-10, awarded
  2025-06-02, 20,000,000.00 MXN + VAT, performance guarantee 10 %, penalty 0.5 % a day,
  in force to 2025-12-31, LAASSP-2025) with its budget sufficiency dated 2025-05-20; keyword
  arguments override its terms. Every entry goes through ``validate_payload`` (via
  ``tests.logbook.histories.History``), so a snapshot is one the logbook could hold.

A ``Contract`` has one method per common fact (``guarantee``, ``schedule``, ``deliver``,
``invoice``, ``pay``, ``penalty``, ``deduction``, ``amend``, ``rectify``) with defaults that
make a clean history, ``add`` for anything else, and ``snapshot`` for the state so far.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from tests.logbook.histories import BUYER_RFC, SUPPLIER_RFC, History, registration_payload

from besa.jurisdiction import Jurisdiction, load
from besa.logbook import state
from besa.rules import CATALOGUE, Context, Verdict

OCID = "ocds-besa00-RULES-1"
FEDERAL = load("mx-federal")
SIGNED = "2025-06-10"
BENEFICIARY = FEDERAL.guarantee_beneficiary

__all__ = [
    "BENEFICIARY",
    "FEDERAL",
    "OCID",
    "SIGNED",
    "Contract",
    "context",
    "evaluate",
    "snapshot",
]


def snapshot(entries: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The contract state after ``entries`` (in sequence order)."""
    return state.fold(entries)


def _day(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def context(
    today: str | dt.date,
    *,
    regime: str = "LAASSP-2025",
    jurisdiction: Jurisdiction = FEDERAL,
    screening: Mapping[str, Any] | None = None,
) -> Context:
    """A rule context on the frozen day ``today``."""
    return Context(_day(today), jurisdiction, jurisdiction.regime(regime), dict(screening or {}))


def evaluate(code: str, snap: Mapping[str, Any], today: str | dt.date, **options: Any) -> Verdict:
    """Rule ``code``'s verdict on ``snap`` on ``today`` (``options`` go to ``context``).

    Also checks what every verdict promises: evidence that is plain JSON (``json.dumps``
    refuses dates and Decimals) and a ``next_check`` after ``today``, if any."""
    verdict = CATALOGUE[code].evaluate(snap, context(today, **options))
    for finding in verdict.findings:
        assert finding.rule == code
        json.dumps(dict(finding.evidence))
    assert verdict.next_check is None or verdict.next_check > _day(today)
    return verdict


BUDGET = {
    "oficio_number": "DGPyP/0456/2025",
    "date": "2025-05-20",
    "amount": "23200000.00",
    "fiscal_year": 2025,
    "budget_key": "2025-12-610-2-1-01-00-001-25301-1-1-09",
    "expense_item": "25301",
}


class Contract:
    """A contract's history under construction (see the module docstring)."""

    def __init__(
        self,
        ocid: str = OCID,
        *,
        budget: Mapping[str, Any] | None = BUDGET,
        recorded_at: str | None = None,
        **terms: Any,
    ) -> None:
        """Register the contract. ``budget`` is the sufficiency carried in the registration
        (None: none); ``recorded_at`` an ISO timestamp for the registration's recording
        (default: the signing day, 13:00 in Mexico City)."""
        self.history = History(ocid)
        payload = registration_payload(**terms)
        if budget is not None:
            payload["budget_sufficiency"] = dict(budget)
        self.terms = payload["contract"]
        self.registration = self.add("registration", payload, self.terms["signing_date"])
        if recorded_at is not None:
            self.registration["recorded_at"] = recorded_at
        self._invoices = 0

    @property
    def entries(self) -> list[dict[str, Any]]:
        return self.history.entries

    @property
    def snapshot(self) -> dict[str, Any]:
        return snapshot(self.entries)

    def add(
        self, kind: str, payload: dict[str, Any], occurred: str, *, recorded: str | None = None
    ) -> dict[str, Any]:
        """Append any entry (validated) that occurred on day ``occurred``."""
        return self.history.add(kind, payload, occurred, recorded=recorded)

    # --- guarantees and budget

    def guarantee(
        self, received: str, guarantee_id: str = "G-1", *, action: str = "new", **fields: Any
    ) -> dict[str, Any]:
        """A guarantee action. A new one defaults to the performance surety bond for 10 % of
        the amount, in favour of TESOFE, valid to 2026-06-30; an exemption needs only
        ``legal_basis`` (given a default)."""
        payload: dict[str, Any] = {
            "guarantee_id": guarantee_id,
            "type": "performance",
            "action": action,
            "date_received": received,
        }
        if action == "new":
            amount = Decimal(self.terms["amount"]) * Decimal(self.terms["guarantee_percent"]) / 100
            payload.update(
                instrument="surety_bond",
                issuer="Afianzadora del Centro, S.A.",
                policy_number=f"FZ-{guarantee_id}",
                amount=format(amount.quantize(Decimal("0.01")), "f"),
                beneficiary=BENEFICIARY,
                valid_from=self.terms["signing_date"],
                valid_until="2026-06-30",
            )
        elif action == "exemption":
            payload["legal_basis"] = "LAASSP art. 48 penúltimo párrafo"
        payload.update(fields)
        payload = {k: v for k, v in payload.items() if v is not None}
        return self.add("guarantee", payload, received)

    def budget(self, date: str, **fields: Any) -> dict[str, Any]:
        """A budget sufficiency entry (the registration's by default, dated ``date``)."""
        return self.add("budget_sufficiency", {**BUDGET, "date": date, **fields}, date)

    # --- deliverables

    def schedule(
        self, *deliverables: tuple[str, str, str, str], on: str | None = None
    ) -> dict[str, Any]:
        """Plan deliverables given as ``(id, due_date, amount, quantity)``."""
        planned = [
            {
                "deliverable_id": deliverable_id,
                "description": f"Entregable {deliverable_id}",
                "quantity": quantity,
                "unit": "caja",
                "amount": amount,
                "due_date": due,
            }
            for deliverable_id, due, amount, quantity in deliverables
        ]
        return self.add(
            "deliverable_schedule", {"deliverables": planned}, on or self.terms["signing_date"]
        )

    def deliver(
        self,
        deliverable_id: str,
        date: str,
        *,
        received: str | None = None,
        accepted: str | None = None,
        result: str = "accepted",
        reason: str | None = None,
    ) -> dict[str, Any]:
        """A reception; by default the whole planned quantity, accepted."""
        planned = self.history.state["deliverables"][deliverable_id]["quantity"]
        received = received or planned
        accepted = accepted if accepted is not None else received
        if result == "rejected":
            accepted = "0"
        payload: dict[str, Any] = {
            "deliverable_id": deliverable_id,
            "date": date,
            "quantity_received": received,
            "quantity_accepted": accepted,
            "result": result,
        }
        if reason is not None or result in ("rejected", "deficient"):
            payload["reason"] = reason or "No cumple la especificación técnica"
        return self.add("delivery", payload, date)

    # --- invoices and payments

    def invoice(
        self,
        deliverable_id: str | None,
        received: str,
        *,
        subtotal: str | None = None,
        **fields: Any,
    ) -> str:
        """A PUE CFDI for ``subtotal`` (default: the deliverable's amount) + 16 % VAT, naming
        the deliverable (an advance's CFDI names none); returns its UUID."""
        self._invoices += 1
        if subtotal is None:
            assert deliverable_id is not None, "give the subtotal of a CFDI with no deliverable"
            subtotal = self.history.state["deliverables"][deliverable_id]["amount"]
        amount = Decimal(subtotal)
        taxes = (amount * Decimal("0.16")).quantize(Decimal("0.01"))
        name = f"{self.history.ocid}/cfdi/{self._invoices}"
        cfdi = str(uuid.uuid5(uuid.NAMESPACE_URL, name)).upper()
        payload = {
            "uuid": cfdi,
            "issue_date": received,
            "date_received": received,
            "issuer_rfc": SUPPLIER_RFC,
            "receiver_rfc": BUYER_RFC,
            "subtotal": format(amount, "f"),
            "taxes": format(taxes, "f"),
            "total": format(amount + taxes, "f"),
            "currency": self.terms["currency"],
            "payment_method": "PUE",
            "deliverable_ids": [deliverable_id] if deliverable_id else [],
            **fields,
        }
        self.add("invoice", payload, received)
        return cfdi

    def pay(self, date: str, *invoices: str, amount: str | None = None, **fields: Any) -> dict:
        """A payment of ``invoices`` (default amount: their totals less what is withheld)."""
        if amount is None:
            totals = sum(
                (Decimal(self.history.state["invoices"][u]["total"]) for u in invoices),
                Decimal(0),
            )
            for withheld in ("penalties_withheld", "deductions_withheld"):
                totals -= Decimal(fields.get(withheld, 0))
            amount = format(totals, "f")
        payload = {
            "date": date,
            "amount": amount,
            "currency": self.terms["currency"],
            "invoice_uuids": list(invoices),
            **fields,
        }
        return self.add("payment", payload, date)

    # --- penalties, deductions, amendments, corrections

    def penalty(
        self,
        deliverable_id: str | None,
        date: str,
        *,
        days_late: int,
        base: str,
        calculated: str,
        applied: str | None = None,
        application: str = "withheld",
    ) -> dict[str, Any]:
        """A conventional penalty at the contract's rate (applied = calculated by default)."""
        payload: dict[str, Any] = {
            "days_late": days_late,
            "daily_rate_percent": self.terms["penalty_rate_percent"],
            "base_amount": base,
            "calculated_amount": calculated,
            "applied_amount": applied or calculated,
            "application": application,
            "date": date,
        }
        if deliverable_id is not None:
            payload["deliverable_id"] = deliverable_id
        return self.add("penalty", payload, date)

    def deduction(self, deliverable_id: str | None, date: str, amount: str) -> dict[str, Any]:
        payload: dict[str, Any] = {"description": "Deductiva", "amount": amount, "date": date}
        if deliverable_id is not None:
            payload["deliverable_id"] = deliverable_id
        return self.add("deduction", payload, date)

    def amend(self, signed: str, amendment_id: str = "CM-1", **fields: Any) -> dict[str, Any]:
        """An amendment; give ``amount_change``, ``quantity_change_percent`` and/or
        ``new_end_date`` (its types follow)."""
        named = {"amount_change": "amount", "quantity_change_percent": "quantity",
                 "new_end_date": "term"}  # fmt: skip
        types = [kind for field, kind in named.items() if field in fields]
        payload = {
            "amendment_id": amendment_id,
            "signing_date": signed,
            "types": types or ["other"],
            "justification": "Necesidades adicionales del área requirente",
            **fields,
        }
        return self.add("amendment", payload, signed)

    def rectify(self, entry: Mapping[str, Any], occurred: str, **changes: Any) -> dict[str, Any]:
        """Correct ``entry``: its payload with ``changes``."""
        payload = {
            "corrects": entry["id"],
            "reason": "Corrección de captura",
            "payload": {**entry["payload"], **changes},
        }
        return self.add("rectification", payload, occurred)
