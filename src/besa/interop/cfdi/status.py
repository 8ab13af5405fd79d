"""The SAT's CFDI status service behind an interface, with an offline fake.

SAT answers *Vigente*, *Cancelado* or *No Encontrado* for a CFDI identified by its UUID,
issuer and receiver RFCs and total, from a public SOAP service on the internet. BESA asks it
through ``StatusService`` so that tests and the demo use ``FakeStatusService`` and never go
online; production selects ``OnlineStatusService`` (``BESA_SAT_STATUS=online``).

Pure: no Django (the selection from settings lives in ``besa.interop.cfdi.upload``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Literal, Protocol

from besa.exceptions import BesaError

#: The statuses the logbook records (``Invoice.sat_status``).
Status = Literal["vigente", "cancelado", "no_encontrado"]
STATUSES: frozenset[str] = frozenset({"vigente", "cancelado", "no_encontrado"})


class StatusUnavailable(BesaError):
    """The status service could not answer (network down, SAT unavailable, odd reply).

    Not an ``InvalidInput``: the CFDI may be fine. Callers record the invoice without a
    status and let a later check fill it in.
    """


class StatusService(Protocol):
    """Anything that can tell a CFDI's status at the SAT."""

    def status(self, uuid: str, issuer: str, receiver: str, total: Decimal) -> Status:
        """The CFDI's status; raises ``StatusUnavailable`` when it cannot be known now."""
        ...


class FakeStatusService:
    """Offline and deterministic: ``overrides`` maps UUIDs (any case) to a status, every
    other CFDI answers ``default``. Records each query in ``calls`` for tests."""

    def __init__(self, overrides: Mapping[str, str] | None = None, default: str = "vigente"):
        for value in [default, *(overrides or {}).values()]:
            if value not in STATUSES:
                raise ValueError(f"unknown SAT status {value!r}; use one of {sorted(STATUSES)}")
        self.overrides = {uuid.upper(): status for uuid, status in (overrides or {}).items()}
        self.default = default
        self.calls: list[tuple[str, str, str, Decimal]] = []

    def status(self, uuid: str, issuer: str, receiver: str, total: Decimal) -> Status:
        self.calls.append((uuid, issuer, receiver, total))
        return self.overrides.get(uuid.upper(), self.default)  # type: ignore[return-value]


class OnlineStatusService:
    """SAT's public status service (``consultaqr.facturaelectronica.sat.gob.mx``) through
    satcfdi. Needs the internet; never used by the tests."""

    _ANSWERS: Mapping[str, Status] = {
        "vigente": "vigente",
        "cancelado": "cancelado",
        "no encontrado": "no_encontrado",
    }

    def status(self, uuid: str, issuer: str, receiver: str, total: Decimal) -> Status:
        from satcfdi.cfdi import CFDI
        from satcfdi.pacs.sat import SAT

        query = CFDI(
            {
                "Emisor": {"Rfc": issuer},
                "Receptor": {"Rfc": receiver},
                "Total": total,
                "Complemento": {"TimbreFiscalDigital": {"UUID": uuid}},
            }
        )
        try:
            answer = SAT().status(query)
        except Exception as exc:  # requests, lxml or SOAP faults: all mean "not now"
            raise StatusUnavailable(f"SAT status service: {exc}") from exc
        state = str(answer.get("Estado") or "").strip().lower()
        if state not in self._ANSWERS:
            raise StatusUnavailable(f"SAT status service: unexpected answer {answer!r}")
        return self._ANSWERS[state]
