"""Invoice rule: a CFDI that is invalid or inconsistent with the contract (A15).

Article numbers are those of the 2000 LAASSP (domain.md §0).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from besa.rules.base import Context, Finding, Verdict, rule
from besa.rules.facts import CENT, day

#: SAT statuses (``sat_status``) that A15 reports, with their breach: the CFDI has no fiscal
#: effect (cancelled, not found), or the last check got no answer from the SAT (unknown).
SAT_BREACHES = {
    "cancelado": "sat_cancelled",
    "no_encontrado": "sat_not_found",
    "desconocido": "sat_unknown",
}
INVALID_SAT_STATUSES = frozenset(SAT_BREACHES)


@rule(
    "A15",
    name_es="CFDI inválido o inconsistente",
    name_en="Invalid or inconsistent CFDI",
    severity="H",
    legal_basis="CFF arts. 29 y 29-A; LAASSP art. 51",
    trigger_es=(
        "CFDI cancelado o no encontrado en el SAT, o cuyo estado no pudo consultarse; emisor "
        "distinto de los proveedores; receptor distinto de la institución compradora; total "
        "distinto de subtotal − descuento + impuestos; CFDI emitido antes de la entrega de lo "
        "que factura"
    ),
    trigger_en=(
        "A CFDI cancelled or not found at the SAT, or whose status could not be checked; issuer "
        "not one of the suppliers; receiver not the buying institution; total other than "
        "subtotal − discount + taxes; CFDI issued before what it bills was delivered"
    ),
)
def invalid_invoice(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A15: one finding per CFDI, subject ``invoice:<UUID>``, listing its ``breaches``:

    - ``sat_cancelled`` / ``sat_not_found`` / ``sat_unknown``: the last SAT status check
      recorded on the CFDI (``sat_status``: at reception, or a later ``invoice_status`` entry,
      made before each payment and the closure) says ``cancelado`` / ``no_encontrado``, or
      ``desconocido``: the SAT could not be reached (timeout, network, error answer), so
      nothing shows the CFDI is valid. A CFDI never checked (checks off) does not fire;
    - ``issuer_not_supplier``: ``issuer_rfc`` is none of the contract's suppliers;
    - ``receiver_not_buyer``: ``receiver_rfc`` is not the buying institution's RFC;
    - ``total_mismatch``: ``total`` differs from ``subtotal − discount + taxes`` by more than
      one cent (``besa.logbook.kinds`` refuses these three on entry, so they only fire on a
      snapshot built from data that bypassed it; they complete the catalogue's trigger);
    - ``issued_before_delivery`` [INF]: the CFDI's ``issue_date`` is before the first
      reception of a deliverable it bills, or that deliverable has no reception yet. Issued
      on the day of the reception is fine. A CFDI billing no deliverable (an advance) is never
      checked for this.

    Everything comes from recorded facts: ``next_check`` is always None.
    """
    if snapshot.get("contract") is None:
        return Verdict()
    suppliers = sorted(s["rfc"] for s in snapshot["suppliers"])
    buyer = snapshot["buyer"]["institution_rfc"]
    findings = []
    for uuid, invoice in sorted(snapshot["invoices"].items()):
        breaches = []
        status = invoice.get("sat_status")
        if status in SAT_BREACHES:
            breaches.append(SAT_BREACHES[status])
        if invoice["issuer_rfc"] not in suppliers:
            breaches.append("issuer_not_supplier")
        if invoice["receiver_rfc"] != buyer:
            breaches.append("receiver_not_buyer")
        expected = (Decimal(invoice["subtotal"]) - Decimal(invoice.get("discount") or 0)) + Decimal(
            invoice["taxes"]
        )
        if abs(Decimal(invoice["total"]) - expected) > CENT:
            breaches.append("total_mismatch")
        issued = day(invoice["issue_date"])
        delivered: dict[str, str | None] = {}
        for deliverable_id in invoice.get("deliverable_ids", ()):
            deliverable = snapshot["deliverables"].get(deliverable_id)
            receptions = [] if deliverable is None else deliverable["receptions"]
            first = min((r["date"] for r in receptions), default=None)
            delivered[deliverable_id] = first
        if any(first is None or day(first) > issued for first in delivered.values()):
            breaches.append("issued_before_delivery")
        if not breaches:
            continue
        evidence = {
            "invoice_uuid": uuid,
            "issue_date": invoice["issue_date"],
            "date_received": invoice["date_received"],
            "sat_status": status,
            "sat_status_checked_on": invoice.get("sat_status_checked_on"),
            "issuer_rfc": invoice["issuer_rfc"],
            "supplier_rfcs": suppliers,
            "receiver_rfc": invoice["receiver_rfc"],
            "buyer_rfc": buyer,
            "total": invoice["total"],
            "expected_total": format(expected, "f"),
            "currency": invoice["currency"],
            "first_delivery_dates": delivered,
            "breaches": breaches,
        }
        summary = f"CFDI inválido o inconsistente: {', '.join(breaches)} / invalid CFDI"
        findings.append(Finding("A15", f"invoice:{uuid}", "H", evidence, summary))
    return Verdict(tuple(findings))


__all__ = ["INVALID_SAT_STATUSES", "SAT_BREACHES", "invalid_invoice"]
