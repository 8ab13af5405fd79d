"""A contract's state as OCDS: the compiled release that its releases must add up to.

``project(state)`` renders a ``besa.logbook.state`` snapshot as the body of an OCDS 1.1
release (parties, buyer, planning, tender, awards, contracts; no ``ocid``/``id``/``date``/
``tag``), with BESA's four extensions. ``besa.ocds.mapping`` publishes each entry as the
difference the entry made to this projection. Pure: no Django, no clock, no network.

Ids (stable, so that ocdsmerge merges every array by ``id``):

- parties: ``MX-RFC-<RFC>`` for organisations (personas morales, 12-character RFCs);
  ``<ocid>-supplier-<n>`` / ``<ocid>-guarantor-<n>`` for individuals and generic RFCs, whose
  RFC is personal data (INAI criterion 19/17) or identifies no one; ``MX-UC-<code>`` for the
  buying unit.
- tender: the procedure number (else ``<ocid>-tender``); award ``<ocid>-award-1``; contract
  ``<ocid>-contract-1``.
- milestones ``deliverable-<deliverable id>``; transactions, performance failures and
  documents of an entry: the entry id (suffixed when an entry yields several); invoices: their
  CFDI UUID; guarantees and amendments: their client-chosen ids.

Calendar days become date-times at the start of the day (period ends and due dates: its last
second) in ``zone``, the jurisdiction's time zone (UTC when not given).

Not published: the actor of each entry, file names, the RFCs and names of individuals
(``WITHHELD`` stands for a name), compliance opinions, budget keys beyond the budget line,
and supplier shares.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from besa.registry.validation import WITHHELD, is_natural_person_rfc, is_public_rfc

__all__ = ["award_id", "contract_id", "project"]

#: Sections of the logbook's kinds, which decide where an entry's attached files appear.
PLANNING_KINDS = frozenset({"budget_sufficiency"})
IMPLEMENTATION_KINDS = frozenset(
    {
        "deliverable_schedule",
        "delivery",
        "invoice",
        "invoice_status",
        "payment",
        "penalty",
        "deduction",
    }
)
#: documentType of the files attached to each kind's entries (custom codes are camelCase too).
ATTACHED_DOCUMENT_TYPES = {
    "registration": "contractSigned",
    "budget_sufficiency": "budgetSufficiency",
    "guarantee": "contractGuarantees",
    "deliverable_schedule": "contractSchedule",
    "delivery": "physicalProgressReport",
    "invoice": "invoice",
    "invoice_status": "invoiceStatus",
    "payment": "financialProgressReport",
    "penalty": "penaltyNotice",
    "deduction": "deductionNotice",
    "amendment": "contractAmendment",
    "suspension": "contractSuspension",
    "early_termination": "cancellationDetails",
    "rescission": "contractRescission",
    "closure": "completionCertificate",
    "document": "contractAnnexe",
    "rectification": "correction",
}
PROCUREMENT_METHODS = {
    "licitacion_publica": ("open", "Licitación pública"),
    "invitacion_tres": ("selective", "Invitación a cuando menos tres personas"),
    "adjudicacion_directa": ("direct", "Adjudicación directa"),
    "subasta_inversa": ("open", "Subasta inversa"),
    "dialogo_competitivo": ("selective", "Diálogo competitivo"),
    "adjudicacion_negociacion": ("direct", "Adjudicación directa con estrategia de negociación"),
}
CATEGORIES = {"adquisicion": "goods", "arrendamiento": "goods", "servicio": "services"}
#: guarantees extension codelists: what is guaranteed, and the instrument.
OBLIGATIONS = {"performance": "fulfillment", "advance": "prepaid", "quality": "quality"}
INSTRUMENTS = {
    "surety_bond": "suretyBond",
    "letter_of_credit": "letterOfCredit",
    "certified_check": "check",
    "deposit": "depositSlip",
}
CONTRACT_STATUS = {
    "terminated_early": "terminated",
    "rescinded": "terminated",
    "closed": "terminated",
}
IMPLEMENTATION_STATUS = {
    "registered": "planning",
    "in_execution": "ongoing",
    "suspended": "ongoing",
    "terminated_completed": "ongoing",
    "terminated_early": "concluded",
    "rescinded": "concluded",
    "closed": "concluded",
}
_GUARANTEE_TYPES_ES = {"performance": "cumplimiento", "advance": "anticipo", "quality": "calidad"}
_GUARANTEE_ACTIONS_ES = {
    "extension": "Ampliación o endoso",
    "release": "Liberación",
    "enforcement": "Ejecución",
    "exemption": "Exención",
}
_RESCISSION_STAGES_ES = {
    "notice": "Aviso de inicio del procedimiento de rescisión",
    "answer": "Respuesta del proveedor al aviso de rescisión",
    "resolution": "Resolución del procedimiento de rescisión",
}


def award_id(ocid: str) -> str:
    return f"{ocid}-award-1"


def contract_id(ocid: str) -> str:
    return f"{ocid}-contract-1"


def project(state: Mapping[str, Any], zone: dt.tzinfo | None = None) -> dict[str, Any]:
    """The OCDS view of ``state`` (``{}`` before registration); JSON data, no nulls."""
    if state["contract"] is None:
        return {}
    view = _View(state, zone or dt.UTC)
    return _pruned(
        {
            "parties": view.parties(),
            "buyer": view.buyer(),
            "planning": view.planning(),
            "tender": view.tender(),
            "awards": [view.award()],
            "contracts": [view.contract()],
        }
    )


def _pruned(value: Any) -> Any:
    """Drop ``None``, empty objects and empty arrays, at every level (OCDS forbids empty
    performanceFailures, and a projection states only what is known)."""
    if isinstance(value, dict):
        pruned = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, {}, [])}
    if isinstance(value, list):
        return [p for p in (_pruned(v) for v in value) if p not in (None, {}, [])]
    return value


def _amount(text: str) -> int | float:
    """An OCDS number from a decimal string (integers stay integers)."""
    number = float(text)
    return int(number) if number.is_integer() else number


class _View:
    """The OCDS rendering of one state; methods return plain dicts (nulls pruned later)."""

    def __init__(self, state: Mapping[str, Any], zone: dt.tzinfo) -> None:
        self.state = state
        self.zone = zone
        self.ocid: str = state["ocid"]
        self.terms: Mapping[str, Any] = state["contract"]
        self.currency: str = state["currency"]

    # --- dates and values -----------------------------------------------------------------

    def at(self, day: str | None, *, end: bool = False) -> str | None:
        if day is None:
            return None
        time = dt.time(23, 59, 59) if end else dt.time()
        return dt.datetime.combine(dt.date.fromisoformat(day), time, self.zone).isoformat()

    def value(self, amount: str | None, currency: str | None = None) -> dict[str, Any] | None:
        if amount is None:
            return None
        return {"amount": _amount(amount), "currency": currency or self.currency}

    # --- parties --------------------------------------------------------------------------

    def buyer(self) -> dict[str, Any]:
        buyer = self.state["buyer"]
        return {"id": f"MX-RFC-{buyer['institution_rfc']}", "name": buyer["institution_name"]}

    def procuring_entity(self) -> dict[str, Any]:
        buyer = self.state["buyer"]
        return {"id": f"MX-UC-{buyer['buying_unit_code']}", "name": buyer["buying_unit_name"]}

    def supplier(self, rfc: str | None) -> dict[str, Any]:
        """The reference of supplier ``rfc`` (the first supplier if unknown)."""
        suppliers = self.state["suppliers"]
        position = next((i for i, s in enumerate(suppliers) if s["rfc"] == rfc), 0)
        return self._supplier_reference(position)

    def _supplier_reference(self, position: int) -> dict[str, Any]:
        supplier = self.state["suppliers"][position]
        if is_public_rfc(supplier["rfc"]):
            return {"id": f"MX-RFC-{supplier['rfc']}", "name": supplier["name"]}
        name = WITHHELD if is_natural_person_rfc(supplier["rfc"]) else supplier["name"]
        return {"id": f"{self.ocid}-supplier-{position + 1}", "name": name}

    def guarantors(self) -> dict[str, dict[str, Any]]:
        """Guarantor references by issuer name, numbered in order of first appearance."""
        found: dict[str, dict[str, Any]] = {}
        for guarantee in self.state["guarantees"].values():
            issuer, rfc = guarantee.get("issuer"), guarantee.get("issuer_rfc")
            if issuer is None or issuer in found:
                continue
            if rfc is not None and is_public_rfc(rfc):
                found[issuer] = {"id": f"MX-RFC-{rfc}", "name": issuer}
            else:
                name = WITHHELD if rfc is not None and is_natural_person_rfc(rfc) else issuer
                found[issuer] = {"id": f"{self.ocid}-guarantor-{len(found) + 1}", "name": name}
        return found

    def parties(self) -> list[dict[str, Any]]:
        parties: dict[str, dict[str, Any]] = {}

        def add(reference: dict[str, Any], role: str, rfc: str | None = None) -> None:
            party = parties.setdefault(reference["id"], {**reference, "roles": []})
            if role not in party["roles"]:
                party["roles"].append(role)
            if rfc is not None and is_public_rfc(rfc):
                party["identifier"] = {"scheme": "MX-RFC", "id": rfc, "legalName": party["name"]}

        add(self.buyer(), "buyer", self.state["buyer"]["institution_rfc"])
        add(self.procuring_entity(), "procuringEntity")
        for position, supplier in enumerate(self.state["suppliers"]):
            add(self._supplier_reference(position), "supplier", supplier["rfc"])
        guarantors = self.guarantors()
        for guarantee in self.state["guarantees"].values():
            if guarantee.get("issuer") is not None:
                add(guarantors[guarantee["issuer"]], "guarantor", guarantee.get("issuer_rfc"))
        return list(parties.values())

    # --- planning, tender, award ----------------------------------------------------------

    def planning(self) -> dict[str, Any]:
        budgets = self.state["budget_sufficiencies"]
        if not budgets:
            return {"documents": self.attached(PLANNING_KINDS)}
        keys = {b["budget_key"] for b in budgets}
        total = sum((Decimal(b["amount"]) for b in budgets), Decimal(0))
        return {
            "budget": {
                # One budget line per process in OCDS: the key only when all share it.
                "id": keys.pop() if len(keys) == 1 else None,
                "description": "Suficiencia presupuestaria: "
                + "; ".join(f"oficio {b['oficio_number']} ({b['fiscal_year']})" for b in budgets),
                "amount": self.value(format(total, "f"), self.state["home_currency"]),
            },
            "documents": [self._budget_document(b) for b in budgets]
            + self.attached(PLANNING_KINDS),
        }

    def _budget_document(self, budget: Mapping[str, Any]) -> dict[str, Any]:
        authorization = budget.get("multiyear_authorization")
        return {
            "id": f"{budget['entry_id']}-budget",
            "documentType": "budgetSufficiency",
            "title": f"Oficio de suficiencia presupuestaria {budget['oficio_number']}",
            "description": f"Fecha {budget['date']}; ejercicio {budget['fiscal_year']}; "
            f"clave presupuestaria {budget['budget_key']}; importe {budget['amount']} "
            f"{self.state['home_currency']}"
            + (
                f"; autorización plurianual {authorization['oficio_number']} "
                f"del {authorization['date']}"
                if authorization
                else ""
            )
            + ".",
        }

    def tender(self) -> dict[str, Any]:
        method, details = PROCUREMENT_METHODS[self.terms["procedure_type"]]
        return {
            "id": self.terms.get("procedure_number") or f"{self.ocid}-tender",
            "status": "complete",
            "procuringEntity": self.procuring_entity(),
            "procurementMethod": method,
            "procurementMethodDetails": details,
            "procurementMethodRationale": self.terms.get("legal_basis"),
            "mainProcurementCategory": CATEGORIES[self.terms["contracting_type"]],
        }

    def award(self) -> dict[str, Any]:
        return {
            "id": award_id(self.ocid),
            "status": "active",
            "date": self.at(self.terms.get("award_date")),
            "value": self.value(self.state["original_amount"]),
            "suppliers": [self._supplier_reference(i) for i in range(len(self.state["suppliers"]))],
        }

    # --- contract -------------------------------------------------------------------------

    def contract(self) -> dict[str, Any]:
        terms = self.terms
        description = f"Contrato número {terms['number']}."
        if terms.get("description"):
            description += " " + terms["description"]
        return {
            "id": contract_id(self.ocid),
            "awardID": award_id(self.ocid),
            "title": terms["title"],
            "description": description,
            "status": CONTRACT_STATUS.get(self.state["status"], "active"),
            "period": {
                "startDate": self.at(terms["start_date"]),
                "endDate": self.at(self.state["current_end_date"], end=True),
            },
            "value": self.value(self.state["current_amount"]),
            "dateSigned": self.at(terms["signing_date"]),
            "guarantees": self.guarantees(),
            "amendments": self.amendments(),
            "documents": self.contract_documents(),
            "implementation": self.implementation(),
        }

    def guarantees(self) -> list[dict[str, Any]]:
        guarantors = self.guarantors()
        return [
            {
                "id": g["guarantee_id"],
                "type": INSTRUMENTS.get(g.get("instrument") or ""),
                "obligations": OBLIGATIONS[g["type"]],
                "date": self.at(g["date_received"]),
                "value": self.value(g.get("amount"), g.get("currency")),
                "guarantor": guarantors.get(g.get("issuer") or ""),
                "period": {
                    "startDate": self.at(g.get("valid_from")),
                    "endDate": self.at(g.get("valid_until"), end=True),
                },
            }
            for g in self.state["guarantees"].values()
            if g["status"] != "exempted"
        ]

    def amendments(self) -> list[dict[str, Any]]:
        order = [item["id"] for item in self.state["log"]]
        amendments = []
        for amendment in self.state["amendments"]:
            position = order.index(amendment["entry_id"])
            parts = [f"Convenio modificatorio {amendment.get('number', amendment['amendment_id'])}"]
            if Decimal(amendment["amount_change"]) != 0:
                parts.append(f"cambio de importe {amendment['amount_change']} {self.currency}")
            if "quantity_change_percent" in amendment:
                parts.append(f"cambio de cantidades {amendment['quantity_change_percent']} %")
            if "new_end_date" in amendment:
                parts.append(f"nuevo fin de vigencia {amendment['new_end_date']}")
            if "guarantee_adjustment" in amendment:
                parts.append(f"ajuste de garantía: {amendment['guarantee_adjustment']}")
            amendments.append(
                {
                    "id": amendment["amendment_id"],
                    "date": self.at(amendment["signing_date"]),
                    "rationale": amendment["justification"],
                    "description": "; ".join(parts) + ".",
                    "amendsReleaseID": order[position - 1] if position else None,
                    "releaseID": amendment["entry_id"],
                }
            )
        return amendments

    def contract_documents(self) -> list[dict[str, Any]]:
        documents = [
            self._guarantee_document(g, event)
            for g in self.state["guarantees"].values()
            for event in g["history"]
            if event["action"] != "new"
        ]
        documents += [self._suspension_document(s) for s in self.state["suspensions"]]
        termination = self.state["early_termination"]
        if termination is not None:
            documents.append(
                {
                    "id": f"{termination['entry_id']}-termination",
                    "documentType": "cancellationDetails",
                    "title": "Terminación anticipada del contrato",
                    "description": f"Fecha {termination['date']}. Causa: {termination['cause']}"
                    + (
                        f". Gastos no recuperables reembolsados: "
                        f"{termination['reimbursed_expenses']} {self.currency}"
                        if "reimbursed_expenses" in termination
                        else ""
                    ),
                }
            )
        documents += [self._rescission_document(s) for s in self.state["rescission"]["stages"]]
        for document in self.state["documents"]:
            if document["kind"] == "document" and document["id"] == document["entry_id"]:
                documents.append(
                    {
                        "id": document["id"],
                        "documentType": document["document_type"],
                        "title": document["title"],
                        "description": f"SHA-256: {document['sha256']}",
                        "format": document["media_type"],
                    }
                )
        contract_kinds = set(ATTACHED_DOCUMENT_TYPES) - PLANNING_KINDS - IMPLEMENTATION_KINDS
        return documents + self.attached(frozenset(contract_kinds))

    def _guarantee_document(self, g: Mapping[str, Any], event: Mapping[str, Any]) -> dict[str, Any]:
        action = event["action"]
        details = [f"Fecha {event['date_received']}"]
        if "amount" in event:
            details.append(f"importe {event['amount']} {g.get('currency') or self.currency}")
        if "valid_until" in event:
            details.append(f"vigente hasta {event['valid_until']}")
        if "legal_basis" in event:
            details.append(f"fundamento: {event['legal_basis']}")
        if "amendment_id" in event:
            details.append(f"convenio {event['amendment_id']}")
        return {
            "id": f"{event['entry_id']}-guarantee",
            "documentType": "contractGuarantees",
            "title": f"{_GUARANTEE_ACTIONS_ES[action]} de la garantía de "
            f"{_GUARANTEE_TYPES_ES[g['type']]} {g['guarantee_id']}",
            "description": "; ".join(details) + ".",
        }

    def _suspension_document(self, suspension: Mapping[str, Any]) -> dict[str, Any]:
        suspending = suspension["action"] == "suspend"
        description = f"Fecha {suspension['date']}."
        if "cause" in suspension:
            description += f" Causa: {suspension['cause']}."
        if "expected_resume_date" in suspension:
            description += f" Reanudación prevista: {suspension['expected_resume_date']}."
        return {
            "id": f"{suspension['entry_id']}-suspension",
            "documentType": "contractSuspension",
            "title": "Suspensión del contrato" if suspending else "Reanudación del contrato",
            "description": description,
        }

    def _rescission_document(self, stage: Mapping[str, Any]) -> dict[str, Any]:
        details = [f"Fecha {stage['date']}"]
        if "cause" in stage:
            details.append(f"causa: {stage['cause']}")
        if "supplier_answer_date" in stage:
            details.append(f"respuesta del proveedor: {stage['supplier_answer_date']}")
        if "decision" in stage:
            decided = "rescindido" if stage["decision"] == "rescinded" else "no rescindido"
            details.append(f"resolución: {decided}")
        if "guarantee_enforced_amount" in stage:
            details.append(
                f"garantía ejecutada: {stage['guarantee_enforced_amount']} {self.currency}"
            )
        return {
            "id": f"{stage['entry_id']}-rescission",
            "documentType": "contractRescission",
            "title": _RESCISSION_STAGES_ES[stage["stage"]],
            "description": "; ".join(details) + ".",
        }

    def attached(self, kinds: frozenset[str]) -> list[dict[str, Any]]:
        """Files attached to entries of ``kinds``: named by their SHA-256, never by file name."""
        files = [
            d
            for d in self.state["documents"]
            if d["kind"] in kinds and d["id"] != d["entry_id"]  # not a document entry's own file
        ]
        if "rectification" in kinds:
            files += [d for r in self.state["rectifications"] for d in r["documents"]]
        return [
            {
                "id": d["id"],
                "documentType": ATTACHED_DOCUMENT_TYPES[d["kind"]],
                "title": d["title"],
                "description": f"SHA-256: {d['sha256']}",
                "format": d["media_type"],
            }
            for d in files
        ]

    # --- implementation -------------------------------------------------------------------

    def implementation(self) -> dict[str, Any]:
        end_date, end_details = self._end()
        closure = self.state["closure"]
        return {
            "status": IMPLEMENTATION_STATUS.get(self.state["status"]),
            "milestones": [self.milestone(d) for d in self.state["deliverables"].values()],
            "transactions": [self.transaction(p) for p in self.state["payments"]],
            "documents": [self.invoice(i) for i in self.state["invoices"].values()]
            + self.attached(IMPLEMENTATION_KINDS),
            "performanceFailures": [self.penalty(p) for p in self.state["penalties"]]
            + [self.deduction(d) for d in self.state["deductions"]],
            "endDate": self.at(end_date),
            "endDateDetails": end_details,
            "finalValue": self.value(closure["paid_amount"])
            if closure and closure.get("paid_amount") is not None
            else None,
            "finalValueDetails": self._settlement(closure) if closure else None,
        }

    def _end(self) -> tuple[str | None, str | None]:
        termination = self.state["early_termination"]
        if termination is not None:
            return termination["date"], f"Terminación anticipada: {termination['cause']}"
        rescission = self.state["rescission"]
        if rescission["decision"] == "rescinded":
            notices = [s for s in rescission["stages"] if s["stage"] == "notice"]
            cause = notices[-1].get("cause", "") if notices else ""
            return rescission["resolved_on"], f"Rescisión administrativa: {cause}".rstrip(": ")
        closure = self.state["closure"]
        return (closure["date"] if closure else None), None

    def _settlement(self, closure: Mapping[str, Any]) -> str:
        c = self.currency
        if closure.get("settlement_unknown"):
            return f"Cierre del {closure['date']}: finiquito no publicado."
        return (
            f"Finiquito del {closure['date']}: entregado {closure['delivered_amount']} {c}; "
            f"facturado {closure['invoiced_amount']} {c}; pagado {closure['paid_amount']} {c}; "
            f"penas convencionales {closure['penalties_total']} {c}; "
            f"deducciones {closure['deductions_total']} {c}; saldo a favor del proveedor "
            f"{closure['balance_owed_to_supplier']} {c}; saldo a favor de la institución "
            f"{closure['balance_owed_to_buyer']} {c}."
        )

    def milestone(self, d: Mapping[str, Any]) -> dict[str, Any]:
        accepted = float(d["accepted_quantity"])
        if d["fully_accepted_on"] is not None:
            status = "met"
        elif accepted > 0:
            status = "partiallyMet"
        elif d["receptions"]:
            status = "notMet"
        else:
            status = "scheduled"
        unit = f" {d['unit']}" if d.get("unit") else ""
        description = (
            f"Cantidad {d['quantity']}{unit}; importe "
            f"{d['amount'] if d.get('amount') is not None else 'desconocido'} {self.currency}; "
            f"recibido {d['received_quantity']}{unit}; aceptado {d['accepted_quantity']}{unit}."
        )
        if d.get("place"):
            description += f" Lugar de entrega: {d['place']}."
        return {
            "id": f"deliverable-{d['deliverable_id']}",
            "title": d["description"],
            "type": "delivery",
            "description": description,
            "dueDate": self.at(d["due_date"], end=True),
            "dateMet": self.at(d["fully_accepted_on"]),
            "dateModified": self.at(d["last_delivery_date"]),
            "status": status,
        }

    def transaction(self, payment: Mapping[str, Any]) -> dict[str, Any]:
        invoices = self.state["invoices"]
        issuers = [invoices[u]["issuer_rfc"] for u in payment["invoice_uuids"] if u in invoices]
        return {
            "id": payment["entry_id"],
            "date": self.at(payment["date"]),
            "value": self.value(payment["amount"], payment["currency"]),
            "payer": self.buyer(),
            "payee": self.supplier(issuers[0] if issuers else None),
        }

    def invoice(self, invoice: Mapping[str, Any]) -> dict[str, Any]:
        series, folio = invoice.get("series"), invoice.get("folio")
        label = "-".join(x for x in (series, folio) if x) or invoice["uuid"]
        details = [
            f"Recibido el {invoice['date_received']}",
            f"subtotal {invoice['subtotal']}",
            f"impuestos {invoice['taxes']}",
            f"total {invoice['total']} {invoice['currency']}",
            f"método de pago {invoice['payment_method']}",
        ]
        if "deficiency_letter_date" in invoice:
            details.append(f"escrito de deficiencias del {invoice['deficiency_letter_date']}")
        return {
            "id": invoice["uuid"],
            "documentType": "invoice",
            "title": f"CFDI {label}",
            "description": "; ".join(details) + ".",
            "format": "application/xml",
            "datePublished": self.at(invoice["issue_date"]),
            "dateModified": self.at(invoice.get("corrected_invoice_date")),
        }

    def penalty(self, penalty: Mapping[str, Any]) -> dict[str, Any]:
        c = self.currency
        how = (
            "retenida del pago"
            if penalty["application"] == "withheld"
            else "pagada por el proveedor"
        )
        return {
            "id": penalty["entry_id"],
            "period": {"endDate": self.at(penalty["date"]), "durationInDays": penalty["days_late"]},
            "category": "Pena convencional por atraso"
            + self._deliverable_label(penalty.get("deliverable_id")),
            "events": 1,
            "penaltyContracted": f"{penalty['daily_rate_percent']} % diario sobre "
            f"{penalty['base_amount']} {c}",
            "penaltyImposed": f"{penalty['days_late']} días de atraso; calculada "
            f"{penalty['calculated_amount']} {c}; aplicada {penalty['applied_amount']} {c}, {how}",
            "penaltyPaid": True if penalty["application"] == "paid_by_supplier" else None,
        }

    def deduction(self, deduction: Mapping[str, Any]) -> dict[str, Any]:
        share = f" ({deduction['percent']} %)" if "percent" in deduction else ""
        return {
            "id": deduction["entry_id"],
            "period": {"endDate": self.at(deduction["date"])},
            "category": "Deducción por cumplimiento parcial o deficiente"
            + self._deliverable_label(deduction.get("deliverable_id")),
            "events": 1,
            "penaltyImposed": f"{deduction['amount']} {self.currency}{share}: "
            f"{deduction['description']}",
        }

    def _deliverable_label(self, deliverable_id: str | None) -> str:
        return f" del entregable {deliverable_id}" if deliverable_id else ""
