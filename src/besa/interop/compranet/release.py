"""A CompraNet row as an OCDS compiled release, for risk analytics. Pure: no Django.

CompraNet's flat export has one row per contract and no bids, so the release holds what the
row says: the buyer (SIGLAS), the procedure (tender id, method, title), one award and one
contract to the supplier named in the row (no RFC in the export: its id is the normalised
name, prefixed ``CN-NAME-``), the amount and the dates. Rows below the registration threshold
are kept this way too: they are the population the risk indicators compare against.
"""

from __future__ import annotations

from typing import Any

from besa.interop.compranet.contracts import CompranetContract
from besa.interop.lists.names import normalise

#: BESA's procedure types → OCDS procurementMethod (invitations to three are "selective").
METHODS = {
    "licitacion_publica": "open",
    "invitacion_tres": "selective",
    "adjudicacion_directa": "direct",
}


def supplier_id(name: str) -> str:
    """A stable id for a supplier known only by name (the export has no RFC)."""
    return "CN-NAME-" + normalise(name).replace(" ", "-").upper()[:80]


def compiled_release(row: CompranetContract, ocid: str) -> dict[str, Any]:
    """The OCDS compiled release that ``row`` describes (dates at midnight, UTC offset 0)."""
    buyer = {"id": row.institution_code, "name": row.institution_name}
    supplier = {"id": supplier_id(row.supplier_name), "name": row.supplier_name}
    day = row.signing_date or row.start_date
    award: dict[str, Any] = {"id": row.code, "status": "active", "suppliers": [supplier]}
    if row.award_date:
        award["date"] = f"{row.award_date.isoformat()}T00:00:00Z"
    contract: dict[str, Any] = {
        "id": row.code,
        "awardID": row.code,
        "title": row.title,
        "value": {"amount": float(row.amount), "currency": row.currency},
        "period": {
            "startDate": f"{row.start_date.isoformat()}T00:00:00Z",
            "endDate": f"{row.end_date.isoformat()}T00:00:00Z",
        },
    }
    if row.signing_date:
        contract["dateSigned"] = f"{row.signing_date.isoformat()}T00:00:00Z"
    if row.status:
        contract["statusDetails"] = row.status
    return {
        "ocid": ocid,
        "id": f"compranet-{row.code}",
        "date": f"{day.isoformat()}T00:00:00Z",
        "tag": ["compiled"],
        "initiationType": "tender",
        "parties": [
            {**buyer, "roles": ["buyer", "procuringEntity"]},
            {**supplier, "roles": ["supplier"]},
        ],
        "buyer": buyer,
        "tender": {
            "id": row.procedure_number or row.code,
            "title": row.title,
            "procurementMethod": METHODS.get(row.procedure_type, "direct"),
            "procurementMethodDetails": row.procedure_type,
            "procuringEntity": buyer,
        },
        "awards": [award],
        "contracts": [contract],
    }
