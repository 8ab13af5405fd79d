"""A verified CFDI 4.0 as the logbook's ``invoice`` payload (record F, domain.md).

Pure: no Django. The payload is validated again, with the contract's state, by
``besa.logbook.append`` (issuer must be a supplier, receiver the buying institution, the
UUID new); this module only translates names and units.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from satcfdi.cfdi import CFDI

from besa.exceptions import InvalidInput
from besa.interop.cfdi.verification import catalogue_code


def invoice_payload(
    cfdi: CFDI,
    uuid: str,
    *,
    date_received: dt.date,
    sat_status: str | None = None,
    sat_status_checked_on: dt.date | None = None,
) -> dict[str, Any]:
    """The ``invoice`` payload for ``cfdi``. ``taxes`` is transferred minus withheld taxes,
    so that ``total = subtotal − discount + taxes`` holds as on the CFDI.

    Raises ``InvalidInput`` naming the CFDI attribute when the invoice cannot be represented:
    no ``MetodoPago`` (PUE/PPD), or withholdings larger than the transferred taxes.
    """
    method = catalogue_code(cfdi.get("MetodoPago"))
    if method not in ("PUE", "PPD"):
        raise InvalidInput(
            "MetodoPago",
            f"se espera PUE o PPD, no {method or 'vacío'} / "
            f"expected PUE or PPD, not {method or 'empty'}",
        )
    taxes_node = cfdi.get("Impuestos") or {}
    taxes = (taxes_node.get("TotalImpuestosTrasladados") or Decimal(0)) - (
        taxes_node.get("TotalImpuestosRetenidos") or Decimal(0)
    )
    if taxes < 0:
        raise InvalidInput(
            "TotalImpuestosRetenidos",
            "las retenciones exceden los traslados; no representable / "
            "withholdings exceed transferred taxes; not representable",
        )
    issued: dt.datetime = cfdi["Fecha"]
    payload: dict[str, Any] = {
        "uuid": uuid,
        "series": cfdi.get("Serie"),
        "folio": cfdi.get("Folio"),
        "issue_date": issued.date().isoformat(),
        "date_received": date_received.isoformat(),
        "issuer_rfc": str(cfdi["Emisor"]["Rfc"]),
        "receiver_rfc": str(cfdi["Receptor"]["Rfc"]),
        "subtotal": str(cfdi["SubTotal"]),
        "discount": str(cfdi["Descuento"]) if cfdi.get("Descuento") else None,
        "taxes": str(taxes),
        "total": str(cfdi["Total"]),
        "currency": catalogue_code(cfdi["Moneda"]),
        "exchange_rate": str(cfdi["TipoCambio"]) if cfdi.get("TipoCambio") else None,
        "payment_method": method,
        "sat_status": sat_status,
        "sat_status_checked_on": sat_status_checked_on.isoformat()
        if sat_status_checked_on
        else None,
    }
    return {key: value for key, value in payload.items() if value is not None}
