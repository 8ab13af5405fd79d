"""Rules that relate a payload's fields to each other and to the contract's state.

``check(kind, payload, state)`` runs after the payload parsed (``payloads``). It raises
``InvalidPayload`` naming the first offending field, or returns the values that normalisation
fills in (a guarantee's currency, a compliance opinion's supplier…). ``state`` is the
contract's snapshot (``besa.logbook.state``); ``None`` is accepted for a contract that has no
entry yet.

What is refused here is what cannot be true (a reception before the contract was signed, an
invoice to someone else, a payment of an unknown invoice). What is merely irregular (a late
guarantee, a penalty below its calculation) is accepted and left to the alert rules.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, NoReturn, cast

from besa.exceptions import InvalidInput, InvalidPayload
from besa.logbook.kinds import payloads as p
from besa.logbook.kinds.audit import AUDIT_KINDS, AuditAnswer, AuditRequest
from besa.registry.validation import GENERIC_RFCS, ContractTerms, check_terms

Fills = dict[str, Any]
Check = Callable[[Any, "Contract"], Fills | None]

#: After closure only these kinds may still be recorded (release of guarantees, the settlement
#: payment and the SAT check of its CFDIs, documents, corrections, and audits: a closed
#: contract is still audited).
AFTER_CLOSURE = frozenset(
    {"document", "guarantee", "invoice_status", "payment", "rectification"} | AUDIT_KINDS
)
#: Statuses in which the contract has ended and cannot be terminated again.
ENDED = frozenset({"terminated_early", "rescinded", "closed"})
#: Invoice totals may differ from subtotal − discount + taxes by rounding, up to this much.
TOTAL_TOLERANCE = Decimal("0.01")


def reject(field: str, es: str, en: str) -> NoReturn:
    """Raise ``InvalidPayload`` for ``payload.<field>`` with a bilingual message."""
    raise InvalidPayload(f"payload.{field}" if field else "payload", f"{es} / {en}")


class Contract:
    """Read access to the parts of a state snapshot that the checks need."""

    def __init__(self, state: Mapping[str, Any]) -> None:
        self.state = state
        self.terms: Mapping[str, Any] = state["contract"]

    def day(self, name: str) -> dt.date:
        return dt.date.fromisoformat(self.terms[name])

    @property
    def status(self) -> str:
        return str(self.state["status"])

    @property
    def home_currency(self) -> str:
        return str(self.state["home_currency"])

    @property
    def supplier_rfcs(self) -> list[str]:
        return [s["rfc"] for s in self.state["suppliers"]]

    def not_before_signing(self, field: str, day: dt.date) -> None:
        signed = self.day("signing_date")
        if day < signed:
            reject(
                field,
                f"anterior a la firma del contrato ({signed})",
                f"before the contract signing date ({signed})",
            )

    def needs_rate(self, currency: str, rate: Decimal | None) -> None:
        if currency != self.home_currency and rate is None:
            reject(
                "exchange_rate",
                f"obligatorio para moneda {currency}",
                f"required for a payment or invoice in {currency} "
                f"(home currency {self.home_currency})",
            )

    def known_deliverable(self, field: str, deliverable_id: str | None) -> None:
        if deliverable_id is not None and deliverable_id not in self.state["deliverables"]:
            reject(
                field,
                f"entregable desconocido: {deliverable_id!r}",
                f"unknown deliverable: {deliverable_id!r}",
            )


def check(kind: str, payload: p.Payload, state: Mapping[str, Any] | None) -> Fills:
    """Check ``payload`` of ``kind`` against ``state``; return the normalisation fills."""
    registered = state is not None and state.get("contract") is not None
    if kind == "registration":
        if registered:
            raise InvalidPayload(
                "kind", "el contrato ya está registrado / the contract is already registered"
            )
        return _registration(cast(p.Registration, payload)) or {}
    if not registered or state is None:
        raise InvalidPayload(
            "kind",
            f"el contrato no está registrado: la primera entrada debe ser registration / "
            f"the contract is not registered: its first entry must be a registration, not {kind}",
        )
    contract = Contract(state)
    if contract.status == "closed" and kind not in AFTER_CLOSURE:
        raise InvalidPayload(
            "kind", f"el contrato está cerrado / the contract is closed: no {kind} entries"
        )
    return _CHECKS[kind](payload, contract) or {}


# --- registration and budget --------------------------------------------------------------


def _registration(reg: p.Registration) -> Fills | None:
    terms = reg.contract
    try:
        # The jurisdiction's minimum for open contracts (and the regime's existence) are the
        # registry's checks: this module knows no jurisdiction, so only the order is checked.
        check_terms(
            ContractTerms(
                currency=terms.currency,
                amount=terms.amount,
                exchange_rate=terms.exchange_rate,
                is_open=terms.is_open,
                min_amount=terms.min_amount,
                max_amount=terms.max_amount,
                award_date=terms.award_date,
                signing_date=terms.signing_date,
                start_date=terms.start_date,
                end_date=terms.end_date,
            ),
            home_currency=reg.home_currency,
            open_min_percent=0,
        )
    except InvalidInput as exc:
        raise InvalidPayload(f"payload.contract.{exc.field}", exc.message) from None
    _market_research(terms)
    shares = sum((s.share_percent for s in reg.suppliers), Decimal(0))
    if shares != 100:
        reject(
            "suppliers",
            f"las participaciones suman {shares} %, no 100 %",
            f"supplier shares add up to {shares} %, not 100 %",
        )
    seen: set[str] = set()
    for index, supplier in enumerate(reg.suppliers):
        if supplier.rfc in seen and supplier.rfc not in GENERIC_RFCS:
            reject(f"suppliers.{index}.rfc", "proveedor repetido", "supplier listed twice")
        seen.add(supplier.rfc)
    compliance = []
    for index, opinion in enumerate(reg.compliance):
        rfc = opinion.supplier_rfc
        if rfc is None:
            if len(reg.suppliers) > 1:
                reject(
                    f"compliance.{index}.supplier_rfc",
                    "obligatorio con varios proveedores",
                    "required when the contract has several suppliers",
                )
            rfc = reg.suppliers[0].rfc
        elif rfc not in seen:
            reject(
                f"compliance.{index}.supplier_rfc",
                f"{rfc} no es proveedor del contrato",
                f"{rfc} is not a supplier of the contract",
            )
        if opinion.valid_until is not None and opinion.valid_until < opinion.date:
            reject(
                f"compliance.{index}.valid_until",
                "anterior a la fecha de la opinión",
                "before the opinion's date",
            )
        compliance.append(
            {**opinion.model_dump(mode="json", exclude_none=True), "supplier_rfc": rfc}
        )
    return {"compliance": compliance}


def _market_research(terms: p.ContractTerms) -> None:
    """The recorded median must be the median of the recorded prices: one truth for A25."""
    prices = terms.market_research_prices
    if not prices or terms.market_median_amount is None:
        return
    median = statistics.median(prices)
    if terms.market_median_amount.compare(median) != 0:
        reject(
            "contract.market_median_amount",
            f"no es la mediana de market_research_prices ({median})",
            f"is not the median of market_research_prices ({median})",
        )


def _budget_sufficiency(budget: p.BudgetSufficiency, contract: Contract) -> None:
    # A sufficiency dated after signing, or short of the contract, is an alert (A02), not an
    # impossibility: nothing to refuse.
    return None


# --- guarantees ---------------------------------------------------------------------------


def _guarantee(g: p.Guarantee, contract: Contract) -> Fills | None:
    contract.not_before_signing("date_received", g.date_received)
    if g.valid_from and g.valid_until and g.valid_until < g.valid_from:
        reject("valid_until", "anterior al inicio de vigencia", "before valid_from")
    known = contract.state["guarantees"].get(g.guarantee_id)
    if g.action in ("new", "exemption"):
        if known is not None:
            reject(
                "guarantee_id",
                f"la garantía {g.guarantee_id!r} ya existe",
                f"guarantee {g.guarantee_id!r} already exists; use action extension",
            )
    elif known is None:
        reject("guarantee_id", f"garantía desconocida: {g.guarantee_id!r}", "unknown guarantee")
    elif known["type"] != g.type:
        reject(
            "type",
            f"la garantía {g.guarantee_id!r} es de tipo {known['type']}",
            f"guarantee {g.guarantee_id!r} is of type {known['type']}",
        )
    elif known["status"] != "active":
        reject(
            "action",
            f"la garantía está {known['status']}",
            f"the guarantee is {known['status']}, not active",
        )
    required = {
        "new": ("instrument", "amount", "beneficiary"),
        "extension": ("amount",),
        "enforcement": ("amount",),
        "exemption": ("legal_basis",),
        "release": (),
    }[g.action]
    for field in required:
        if getattr(g, field) is None:
            reject(field, f"obligatorio para la acción {g.action}", f"required for {g.action}")
    if g.action == "exemption":
        for field in ("amount", "instrument"):
            if getattr(g, field) is not None:
                reject(field, "no aplica a una exención", "not allowed for an exemption")
    if g.amendment_id is not None and g.amendment_id not in _amendment_ids(contract):
        reject("amendment_id", "convenio desconocido", f"unknown amendment {g.amendment_id!r}")
    if g.amount is not None and g.currency is None:
        return {"currency": contract.state["currency"]}
    return None


def _amendment_ids(contract: Contract) -> set[str]:
    return {a["amendment_id"] for a in contract.state["amendments"]}


# --- deliverables -------------------------------------------------------------------------


def _deliverable_schedule(schedule: p.DeliverableSchedule, contract: Contract) -> None:
    seen: set[str] = set()
    for index, deliverable in enumerate(schedule.deliverables):
        if deliverable.deliverable_id in seen:
            reject(
                f"deliverables.{index}.deliverable_id",
                "entregable repetido",
                f"deliverable {deliverable.deliverable_id!r} listed twice",
            )
        seen.add(deliverable.deliverable_id)
        contract.not_before_signing(f"deliverables.{index}.due_date", deliverable.due_date)


def _delivery(delivery: p.Delivery, contract: Contract) -> None:
    contract.known_deliverable("deliverable_id", delivery.deliverable_id)
    contract.not_before_signing("date", delivery.date)
    received, accepted = delivery.quantity_received, delivery.quantity_accepted
    if accepted > received:
        reject("quantity_accepted", "mayor que lo recibido", "more than the quantity received")
    if delivery.result == "accepted" and accepted != received:
        reject(
            "quantity_accepted",
            "una recepción aceptada acepta todo lo recibido",
            "an accepted reception accepts everything received; use partial or deficient",
        )
    if delivery.result == "rejected" and accepted != 0:
        reject("quantity_accepted", "una recepción rechazada acepta 0", "a rejection accepts 0")
    if delivery.result in ("rejected", "deficient") and delivery.reason is None:
        reject("reason", f"obligatorio si el resultado es {delivery.result}", "required")


# --- invoices and payments ----------------------------------------------------------------


def _invoice(invoice: p.Invoice, contract: Contract) -> None:
    if invoice.uuid in contract.state["invoices"]:
        reject("uuid", "CFDI ya registrado", f"CFDI {invoice.uuid} is already recorded")
    contract.not_before_signing("issue_date", invoice.issue_date)
    if invoice.date_received < invoice.issue_date:
        reject("date_received", "anterior a la emisión del CFDI", "before the CFDI was issued")
    letter, corrected = invoice.deficiency_letter_date, invoice.corrected_invoice_date
    if letter is not None and letter < invoice.date_received:
        reject("deficiency_letter_date", "anterior a la recepción", "before date_received")
    if corrected is not None:
        if letter is None:
            reject(
                "corrected_invoice_date",
                "requiere el escrito de deficiencias",
                "needs a deficiency_letter_date",
            )
        if corrected < letter:
            reject(
                "corrected_invoice_date",
                "anterior al escrito de deficiencias",
                "before the deficiency letter",
            )
    expected = invoice.subtotal - (invoice.discount or 0) + invoice.taxes
    if abs(invoice.total - expected) > TOTAL_TOLERANCE:
        reject(
            "total",
            f"no cuadra: subtotal − descuento + impuestos = {expected}",
            f"does not add up: subtotal − discount + taxes = {expected}",
        )
    if invoice.issuer_rfc not in contract.supplier_rfcs:
        reject(
            "issuer_rfc",
            f"{invoice.issuer_rfc} no es proveedor del contrato",
            f"{invoice.issuer_rfc} is not a supplier of the contract",
        )
    buyer_rfc = contract.state["buyer"]["institution_rfc"]
    if invoice.receiver_rfc != buyer_rfc:
        reject(
            "receiver_rfc",
            f"el receptor debe ser la institución compradora ({buyer_rfc})",
            f"the receiver must be the buying institution ({buyer_rfc})",
        )
    contract.needs_rate(invoice.currency, invoice.exchange_rate)
    seen: set[str] = set()
    for index, deliverable_id in enumerate(invoice.deliverable_ids):
        contract.known_deliverable(f"deliverable_ids.{index}", deliverable_id)
        if deliverable_id in seen:
            reject(f"deliverable_ids.{index}", "repetido", "listed twice")
        seen.add(deliverable_id)


def _invoice_status(check: p.InvoiceStatus, contract: Contract) -> None:
    invoice = contract.state["invoices"].get(check.invoice_uuid)
    if invoice is None:
        reject(
            "invoice_uuid",
            f"CFDI desconocido: {check.invoice_uuid}",
            f"unknown CFDI: {check.invoice_uuid}",
        )
    issued = dt.date.fromisoformat(invoice["issue_date"])
    if check.checked_on < issued:
        reject(
            "checked_on",
            f"anterior a la emisión ({issued})",
            f"before the CFDI was issued ({issued})",
        )
    if check.status != "desconocido" and check.detail is not None:
        reject("detail", "solo para el estado desconocido", "only for the status desconocido")


def _payment(payment: p.Payment, contract: Contract) -> None:
    contract.not_before_signing("date", payment.date)
    contract.needs_rate(payment.currency, payment.exchange_rate)
    invoices = contract.state["invoices"]
    seen: set[str] = set()
    for index, uuid in enumerate(payment.invoice_uuids):
        if uuid not in invoices:
            reject(f"invoice_uuids.{index}", f"CFDI desconocido: {uuid}", f"unknown CFDI: {uuid}")
        if uuid in seen:
            reject(f"invoice_uuids.{index}", "repetido", "listed twice")
        seen.add(uuid)
        received = dt.date.fromisoformat(invoices[uuid]["date_received"])
        if payment.date < received:
            reject(
                "date",
                f"anterior a la recepción del CFDI {uuid} ({received})",
                f"before CFDI {uuid} was received ({received})",
            )


# --- penalties, deductions, amendments ----------------------------------------------------


def _penalty(penalty: p.Penalty, contract: Contract) -> None:
    contract.known_deliverable("deliverable_id", penalty.deliverable_id)
    contract.not_before_signing("date", penalty.date)


def _deduction(deduction: p.Deduction, contract: Contract) -> None:
    contract.known_deliverable("deliverable_id", deduction.deliverable_id)
    contract.not_before_signing("date", deduction.date)


def _amendment(amendment: p.Amendment, contract: Contract) -> None:
    if amendment.amendment_id in _amendment_ids(contract):
        reject("amendment_id", "convenio ya registrado", "amendment already recorded")
    contract.not_before_signing("signing_date", amendment.signing_date)
    types = amendment.types
    if len(set(types)) != len(types):
        reject("types", "tipo repetido", "a type is listed twice")
    pairs = (
        ("amount", amendment.amount_change != 0, "amount_change"),
        ("quantity", amendment.quantity_change_percent is not None, "quantity_change_percent"),
        ("term", amendment.new_end_date is not None, "new_end_date"),
    )
    for kind, present, field in pairs:
        if kind in types and not present:
            reject(field, f"obligatorio si types incluye {kind}", f"required when types has {kind}")
        if present and kind not in types:
            reject("types", f"debe incluir {kind} (por {field})", f"must include {kind} ({field})")
    start = contract.day("start_date")
    if amendment.new_end_date is not None and amendment.new_end_date < start:
        reject("new_end_date", f"anterior al inicio ({start})", f"before the start date ({start})")
    if Decimal(contract.state["current_amount"]) + amendment.amount_change <= 0:
        reject(
            "amount_change",
            "dejaría el contrato sin importe",
            "would leave the contract with no amount",
        )


# --- suspension, termination, closure -----------------------------------------------------


def _suspension(suspension: p.Suspension, contract: Contract) -> Fills | None:
    contract.not_before_signing("date", suspension.date)
    if suspension.action == "suspend":
        if contract.status not in ("registered", "in_execution", "terminated_completed"):
            reject(
                "action", f"el contrato está {contract.status}", f"contract is {contract.status}"
            )
        if suspension.cause is None:
            reject("cause", "obligatorio para suspender", "required to suspend")
        expected = suspension.expected_resume_date
        if expected is not None and expected < suspension.date:
            reject("expected_resume_date", "anterior a la suspensión", "before the suspension")
        return None
    if contract.status != "suspended":
        reject("action", "el contrato no está suspendido", "the contract is not suspended")
    since = dt.date.fromisoformat(contract.state["suspensions"][-1]["date"])
    if suspension.date < since:
        reject("date", f"anterior a la suspensión ({since})", f"before the suspension ({since})")
    return None


def _not_ended(contract: Contract, kind: str) -> None:
    if contract.status in ENDED:
        raise InvalidPayload(
            "kind", f"el contrato ya terminó ({contract.status}) / contract already ended: {kind}"
        )


def _early_termination(termination: p.EarlyTermination, contract: Contract) -> None:
    _not_ended(contract, "early_termination")
    contract.not_before_signing("date", termination.date)


def _rescission(rescission: p.Rescission, contract: Contract) -> Fills | None:
    _not_ended(contract, "rescission")
    contract.not_before_signing("date", rescission.date)
    procedure = contract.state["rescission"]
    stage = rescission.stage
    if rescission.decision is not None and stage != "resolution":
        reject("decision", "solo en la resolución", "only a resolution has a decision")
    if stage == "notice":
        if procedure["open"]:
            reject("stage", "ya hay un procedimiento abierto", "a rescission is already open")
        if rescission.cause is None:
            reject("cause", "obligatorio en el aviso", "required in the notice")
        return None
    if not procedure["open"]:
        reject("stage", "falta el aviso de rescisión", "no rescission notice is open")
    stages = procedure["stages"]
    opened = max(i for i, s in enumerate(stages) if s["stage"] == "notice")
    since = dt.date.fromisoformat(stages[opened]["date"])
    if stage == "answer" and any(s["stage"] == "answer" for s in stages[opened:]):
        reject("stage", "el proveedor ya respondió", "the supplier already answered")
    for field in ("date", "supplier_answer_date"):
        day = getattr(rescission, field)
        if day is not None and day < since:
            reject(field, f"anterior al aviso ({since})", f"before the notice ({since})")
    if stage == "resolution" and rescission.decision is None:
        return {"decision": "rescinded"}
    return None


_SETTLEMENT = (
    "delivered_amount", "invoiced_amount", "paid_amount", "penalties_total",
    "deductions_total", "balance_owed_to_supplier", "balance_owed_to_buyer",
)  # fmt: skip


def _closure(closure: p.Closure, contract: Contract) -> None:
    if contract.status == "closed":
        raise InvalidPayload("kind", "el contrato ya está cerrado / already closed")
    contract.not_before_signing("date", closure.date)
    if not closure.settlement_unknown:
        for field in _SETTLEMENT:
            if getattr(closure, field) is None:
                reject(field, "obligatorio", "required (unless settlement_unknown)")


def _document(document: p.Document, contract: Contract) -> None:
    return None


# --- audit steps (besa.audits writes them; these checks keep the logbook self-consistent) ---


def _audit_request(request: AuditRequest, contract: Contract) -> None:
    if request.due_on <= request.sent_on:
        reject("due_on", "debe ser posterior al envío", "must be after sent_on")
    if request.request in contract.state.get("audit_requests", {}):
        reject("request", "ya enviado", "already sent: request ids are unique per contract")


def _audit_answer(answer: AuditAnswer, contract: Contract) -> None:
    sent = contract.state.get("audit_requests", {}).get(answer.request)
    if sent is None:
        reject("request", "requerimiento desconocido", "unknown request")
    if sent["case"] != answer.case:
        reject("case", "el requerimiento es de otro caso", "the request belongs to another case")
    if sent.get("answered_on") is not None:
        reject("request", "ya contestado", "already answered")


def _audit_other(payload: p.Payload, contract: Contract) -> None:
    return None


_CHECKS: dict[str, Check] = {
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
    "audit_opened": _audit_other,
    "audit_step": _audit_other,
    "audit_request": _audit_request,
    "audit_answer": _audit_answer,
    "audit_finding": _audit_other,
    "audit_referral": _audit_other,
}
