"""Realistic contract histories as lists of entry dicts, the way the logbook hands them out.

``full_history(ocid)`` is the life of one federal medicines contract, from registration to
closure: budget sufficiency, a performance guarantee and its extension, a schedule of three
deliverables (plus a fourth after the amendment), deliveries (one partial and late), four CFDI
invoices, payments (one net of a penalty), a penalty, an amendment of +15 %, a rectification
of an invoice's receipt date, and the closure. Every payload went through
``validate_payload`` against the state of its moment, so the history is valid by construction.

Ids are deterministic (UUID 5 of ocid and position) and hashes are well-formed SHA-256 chained
over the entry's canonical JSON; they are not guaranteed to equal ``besa.logbook.chain``'s.
"""

from __future__ import annotations

import copy
import hashlib
import uuid
from typing import Any

import orjson

from besa.logbook import kinds, state

GENESIS = "0" * 64
ACTOR = {"user": "oper", "role": "operator", "institution": "SSA"}

BUYER_RFC = "SSA630502CU1"
SUPPLIER_RFC = "CMA150315K2A"
GUARANTOR_RFC = "AFI990101AB5"
#: A persona física: its RFC is personal data and must not be published.
INDIVIDUAL_RFC = "MOLR800101AB1"

INVOICES = {
    "E1": "6F1C0C7A-3B2D-4E5F-8A9B-0C1D2E3F4A51",
    "E2": "6F1C0C7A-3B2D-4E5F-8A9B-0C1D2E3F4A52",
    "E3": "6F1C0C7A-3B2D-4E5F-8A9B-0C1D2E3F4A53",
    "E4": "6F1C0C7A-3B2D-4E5F-8A9B-0C1D2E3F4A54",
}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def registration_payload(**contract: Any) -> dict[str, Any]:
    """The registration of the medicines contract; ``contract`` overrides its terms."""
    return {
        "contract": {
            "number": "SSA-DGRM-C-045-2025",
            "title": "Suministro de medicamentos del cuadro básico",
            "description": "Adquisición de medicamentos para las unidades médicas de 2025",
            "procedure_type": "licitacion_publica",
            "procedure_number": "LA-12-M7B-012M7B997-N-45-2025",
            "contracting_type": "adquisicion",
            "character": "nacional",
            "legal_basis": "LAASSP art. 26 fr. I",
            "regime": "LAASSP-2025",
            "award_date": "2025-06-02",
            "signing_date": "2025-06-10",
            "start_date": "2025-06-11",
            "end_date": "2025-12-31",
            "amount": "20000000.00",
            "vat_amount": "3200000.00",
            "currency": "MXN",
            "is_open": False,
            "multiyear": False,
            "advance_percent": "0",
            "guarantee_percent": "10",
            "penalty_rate_percent": "0.5",
            **contract,
        },
        "buyer": {
            "institution_code": "SSA",
            "institution_name": "Secretaría de Salud",
            "institution_rfc": BUYER_RFC,
            "buying_unit_code": "012M7B997",
            "buying_unit_name": "Dirección General de Recursos Materiales",
            "level": "APF",
        },
        "suppliers": [
            {
                "rfc": SUPPLIER_RFC,
                "name": "Comercializadora de Medicamentos del Altiplano, S.A. de C.V.",
                "share_percent": "100",
            }
        ],
        "home_currency": "MXN",
        "compliance": [
            {
                "source": "sat_32d",
                "date": "2025-06-05",
                "result": "positive",
                "folio": "25NA1234567",
            },
            {"source": "imss", "date": "2025-06-05", "result": "positive"},
            {"source": "infonavit", "date": "2025-06-06", "result": "positive"},
        ],
    }


def invoice_payload(deliverable: str, subtotal: str, taxes: str, total: str, issued: str,
                    received: str) -> dict[str, Any]:  # fmt: skip
    return {
        "uuid": INVOICES[deliverable],
        "series": "A",
        "folio": deliverable[1:],
        "issue_date": issued,
        "date_received": received,
        "issuer_rfc": SUPPLIER_RFC,
        "receiver_rfc": BUYER_RFC,
        "subtotal": subtotal,
        "taxes": taxes,
        "total": total,
        "currency": "MXN",
        "payment_method": "PUE",
        "deliverable_ids": [deliverable],
    }


class History:
    """Builds a valid history entry by entry, validating each payload against the state."""

    def __init__(self, ocid: str) -> None:
        self.ocid = ocid
        self.entries: list[dict[str, Any]] = []
        self.state = state.initial_state(ocid)

    def add(
        self,
        kind: str,
        payload: dict[str, Any],
        occurred: str,
        *,
        recorded: str | None = None,
        documents: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Append an entry that occurred on day ``occurred`` (noon in Mexico City)."""
        sequence = len(self.entries) + 1
        minute, second = divmod(sequence, 60)  # recorded in order, one second apart
        clean = kinds.validate_payload(kind, payload, self.state if self.entries else None)
        entry: dict[str, Any] = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.ocid}/{sequence}")),
            "ocid": self.ocid,
            "sequence": sequence,
            "kind": kind,
            "occurred_at": f"{occurred}T18:00:00.000000+00:00",
            "recorded_at": f"{recorded or occurred}T19:{minute:02d}:{second:02d}.000000+00:00",
            "actor": dict(ACTOR),
            "payload": clean,
            "documents": kinds.validate_documents(documents or []),
            "prev_hash": self.entries[-1]["hash"] if self.entries else GENESIS,
        }
        body = orjson.dumps(entry, option=orjson.OPT_SORT_KEYS)
        entry["hash"] = hashlib.sha256(entry["prev_hash"].encode() + body).hexdigest()
        self.entries.append(entry)
        self.state = state.apply(self.state, entry)
        return entry


def full_history(ocid: str) -> list[dict[str, Any]]:
    """The whole life of the medicines contract (23 entries), oldest first."""
    h = History(ocid)
    pdf = "application/pdf"
    h.add("registration", registration_payload(), "2025-06-10", documents=[
        {"title": "Contrato firmado", "sha256": sha("contract"), "media_type": pdf,
         "file_name": "contrato-045-2025.pdf"},
    ])  # fmt: skip
    h.add("budget_sufficiency", {
        "oficio_number": "DGPyP/0456/2025", "date": "2025-05-20", "amount": "23200000.00",
        "fiscal_year": 2025, "budget_key": "2025-12-610-2-1-01-00-001-25301-1-1-09",
        "expense_item": "25301",
    }, "2025-05-20", recorded="2025-06-11")  # fmt: skip
    h.add("guarantee", {
        "guarantee_id": "G-1", "type": "performance", "instrument": "surety_bond",
        "issuer": "Afianzadora del Centro, S.A.", "issuer_rfc": GUARANTOR_RFC,
        "policy_number": "FZ-778812", "amount": "2000000.00", "percent": "10",
        "beneficiary": "Tesorería de la Federación", "date_received": "2025-06-18",
        "valid_from": "2025-06-10", "valid_until": "2026-06-30",
    }, "2025-06-18")  # fmt: skip
    h.add("deliverable_schedule", {"deliverables": [
        {"deliverable_id": "E1", "description": "Primer lote: paracetamol 500 mg",
         "quantity": "10000", "unit": "caja", "unit_price": "600.00", "amount": "6000000.00",
         "due_date": "2025-07-31", "place": "Almacén central, Ciudad de México"},
        {"deliverable_id": "E2", "description": "Segundo lote: amoxicilina 500 mg",
         "quantity": "15000", "unit": "caja", "unit_price": "600.00", "amount": "9000000.00",
         "due_date": "2025-09-30"},
        {"deliverable_id": "E3", "description": "Tercer lote: metformina 850 mg",
         "quantity": "8000", "unit": "caja", "unit_price": "625.00", "amount": "5000000.00",
         "due_date": "2025-11-28"},
    ]}, "2025-06-20")  # fmt: skip
    h.add("delivery", {
        "deliverable_id": "E1", "date": "2025-07-29", "quantity_received": "10000",
        "quantity_accepted": "10000", "result": "accepted", "receipt_document": "ER-E1-2025",
    }, "2025-07-29", documents=[
        {"title": "Acta de entrega-recepción E1", "sha256": sha("acta-e1"), "media_type": pdf},
    ])  # fmt: skip
    h.add("invoice", invoice_payload(
        "E1", "6000000.00", "960000.00", "6960000.00", "2025-07-30", "2025-07-31"
    ), "2025-07-31")  # fmt: skip
    h.add("payment", {
        "date": "2025-08-20", "amount": "6960000.00", "currency": "MXN",
        "invoice_uuids": [INVOICES["E1"]], "clc_folio": "CLC-2025-10442", "channel": "SIAFF",
    }, "2025-08-20")  # fmt: skip
    h.add("delivery", {
        "deliverable_id": "E2", "date": "2025-10-06", "quantity_received": "15000",
        "quantity_accepted": "12000", "result": "partial",
        "reason": "3,000 cajas con caducidad menor a la pactada",
    }, "2025-10-06")  # fmt: skip
    h.add("penalty", {
        "deliverable_id": "E2", "days_late": 6, "daily_rate_percent": "0.5",
        "base_amount": "9000000.00", "calculated_amount": "270000.00",
        "applied_amount": "270000.00", "application": "withheld", "date": "2025-10-08",
    }, "2025-10-08")  # fmt: skip
    h.add("amendment", {
        "amendment_id": "CM-1", "number": "1", "signing_date": "2025-10-15",
        "types": ["amount", "quantity", "term"], "amount_change": "3000000.00",
        "quantity_change_percent": "15", "new_end_date": "2026-01-31",
        "justification": "Ampliación por la demanda de la temporada invernal",
        "guarantee_adjustment": "Endoso FZ-778812-A",
    }, "2025-10-15")  # fmt: skip
    h.add("guarantee", {
        "guarantee_id": "G-1", "type": "performance", "action": "extension",
        "amount": "2300000.00", "date_received": "2025-10-20", "valid_until": "2026-07-31",
        "policy_number": "FZ-778812-A", "amendment_id": "CM-1",
    }, "2025-10-20")  # fmt: skip
    h.add("deliverable_schedule", {"deliverables": [
        {"deliverable_id": "E4", "description": "Lote adicional (convenio CM-1): metformina",
         "quantity": "4800", "unit": "caja", "unit_price": "625.00", "amount": "3000000.00",
         "due_date": "2026-01-15"},
    ]}, "2025-10-20")  # fmt: skip
    h.add("delivery", {
        "deliverable_id": "E2", "date": "2025-10-20", "quantity_received": "3000",
        "quantity_accepted": "3000", "result": "accepted",
    }, "2025-10-20")  # fmt: skip
    h.add("invoice", invoice_payload(
        "E2", "9000000.00", "1440000.00", "10440000.00", "2025-10-21", "2025-10-22"
    ), "2025-10-22")  # fmt: skip
    corrected = {**h.entries[-1]["payload"], "date_received": "2025-10-23"}
    h.add("rectification", {
        "corrects": h.entries[-1]["id"], "payload": corrected,
        "reason": "La fecha de recepción se capturó mal: el sello dice 23 de octubre",
    }, "2025-10-24")  # fmt: skip
    h.add("payment", {
        "date": "2025-11-10", "amount": "10170000.00", "currency": "MXN",
        "invoice_uuids": [INVOICES["E2"]], "penalties_withheld": "270000.00",
        "clc_folio": "CLC-2025-13877", "channel": "SIAFF",
    }, "2025-11-10")  # fmt: skip
    h.add("delivery", {
        "deliverable_id": "E3", "date": "2025-11-25", "quantity_received": "8000",
        "quantity_accepted": "8000", "result": "accepted",
    }, "2025-11-25")  # fmt: skip
    h.add("invoice", invoice_payload(
        "E3", "5000000.00", "800000.00", "5800000.00", "2025-11-26", "2025-11-27"
    ), "2025-11-27")  # fmt: skip
    h.add("payment", {
        "date": "2025-12-15", "amount": "5800000.00", "currency": "MXN",
        "invoice_uuids": [INVOICES["E3"]], "clc_folio": "CLC-2025-15020", "channel": "SIAFF",
    }, "2025-12-15")  # fmt: skip
    h.add("delivery", {
        "deliverable_id": "E4", "date": "2026-01-15", "quantity_received": "4800",
        "quantity_accepted": "4800", "result": "accepted",
    }, "2026-01-15")  # fmt: skip
    h.add("invoice", invoice_payload(
        "E4", "3000000.00", "480000.00", "3480000.00", "2026-01-15", "2026-01-16"
    ), "2026-01-16")  # fmt: skip
    h.add("payment", {
        "date": "2026-02-05", "amount": "3480000.00", "currency": "MXN",
        "invoice_uuids": [INVOICES["E4"]], "clc_folio": "CLC-2026-00871", "channel": "SIAFF",
    }, "2026-02-05")  # fmt: skip
    h.add("closure", {
        "date": "2026-02-20", "delivered_amount": "23000000.00",
        "invoiced_amount": "26680000.00", "paid_amount": "26410000.00",
        "penalties_total": "270000.00", "deductions_total": "0",
        "balance_owed_to_supplier": "0", "balance_owed_to_buyer": "0",
        "guarantee_release_date": "2026-02-27",
    }, "2026-02-20", documents=[
        {"title": "Acta de finiquito", "sha256": sha("finiquito"), "media_type": pdf},
    ])  # fmt: skip
    return h.entries


def without_rectifications(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The history as if every corrected entry had carried its corrected payload from the
    start: rectifications dropped, their payloads substituted, sequences renumbered."""
    corrections = {
        e["payload"]["corrects"]: e["payload"]["payload"]
        for e in entries
        if e["kind"] == "rectification"
    }
    kept = []
    for entry in entries:
        if entry["kind"] == "rectification":
            continue
        clean = copy.deepcopy(entry)
        clean["payload"] = copy.deepcopy(corrections.get(entry["id"], entry["payload"]))
        clean["sequence"] = len(kept) + 1
        kept.append(clean)
    return kept
