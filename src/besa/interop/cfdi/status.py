"""The SAT's CFDI status service behind an interface: the real SOAP client and an offline fake.

SAT answers *Vigente*, *Cancelado* or *No Encontrado* for a CFDI identified by its UUID,
issuer and receiver RFCs and total, from a public SOAP service ("ConsultaCFDIService", no
credentials). BESA asks it through ``StatusService`` so that tests that must not do HTTP use
``FakeStatusService``; ``SoapStatusService`` is the real client, pointed at any URL with any
timeout (the tests point it at a server of their own on 127.0.0.1).

The statuses BESA records (``sat_status``):

- ``vigente``, ``cancelado``, ``no_encontrado``: what the SAT answered;
- ``desconocido`` (**unknown**): BESA asked and got no usable answer: the service timed out,
  could not be reached, answered an HTTP error or a SOAP fault, or answered something that is
  none of the three (including code ``N - 601``, "the expression is not valid", which says
  nothing about the CFDI). It is a fact about the check, never a guess about the CFDI, and
  it never blocks what the check was for (a payment, a closure); A15 reports it.

A CFDI never checked (checks off) has no ``sat_status`` at all; that is not "unknown".

Pure: no Django (the selection from settings lives in ``besa.interop.cfdi.checking``).

Why not satcfdi's client (``satcfdi.pacs.sat.SAT().status``): its host is fixed (production
or SAT's test host), and it posts with ``requests`` **without a timeout**, so a SAT that
accepts the connection and never answers would hang a payment for ever. This client is the
same request (envelope, action, expression) on the standard library, with both configurable.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Literal, Protocol, cast

from lxml import etree

from besa.exceptions import BesaError

#: The statuses the logbook records (``Invoice.sat_status``, ``InvoiceStatus.status``).
Status = Literal["vigente", "cancelado", "no_encontrado", "desconocido"]
#: What the SAT itself can answer.
ANSWERS: frozenset[str] = frozenset({"vigente", "cancelado", "no_encontrado"})
#: BESA's status for a check that got no usable answer (see the module docstring).
UNKNOWN: Final = "desconocido"
STATUSES: frozenset[str] = ANSWERS | {UNKNOWN}

#: The SAT's production endpoint and SOAP action.
SAT_URL = "https://consultaqr.facturaelectronica.sat.gob.mx/ConsultaCFDIService.svc"
SOAP_ACTION = "http://tempuri.org/IConsultaCFDIService/Consulta"
#: Seconds to wait for the SAT, per socket operation (connect, then each read).
DEFAULT_TIMEOUT = 10.0
#: The largest answer read; SAT's is under 1 KiB.
MAX_ANSWER_BYTES = 64 * 1024

_SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
_TEMPURI = "http://tempuri.org/"
_STATES: Mapping[str, Status] = {
    "vigente": "vigente",
    "cancelado": "cancelado",
    "no encontrado": "no_encontrado",
}
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)


class StatusUnavailable(BesaError):
    """The status service gave no usable answer (timeout, network, HTTP error, odd reply).

    Not an ``InvalidInput``: the CFDI may be fine. ``ask`` turns it into the ``desconocido``
    status.
    """


@dataclass(frozen=True)
class Answer:
    """One check of one CFDI. ``code`` (``CodigoEstatus``), ``cancellable``
    (``EsCancelable``) and ``cancellation_status`` (``EstatusCancelacion``) are the SAT's own
    words, kept as they came; ``detail`` says why a status is ``desconocido``."""

    status: Status
    code: str | None = None
    cancellable: str | None = None
    cancellation_status: str | None = None
    detail: str | None = None


class StatusService(Protocol):
    """Anything that can tell a CFDI's status at the SAT."""

    def status(self, uuid: str, issuer: str, receiver: str, total: Decimal) -> Answer:
        """The SAT's answer (never ``desconocido``); raises ``StatusUnavailable`` when there
        is no usable one. May be called repeatedly; has no effect at the SAT."""
        ...


def ask(service: StatusService, uuid: str, issuer: str, receiver: str, total: Decimal) -> Answer:
    """``service``'s answer, or ``desconocido`` with the reason when it has none. Never
    raises ``StatusUnavailable``: an unreachable SAT must not stop a payment."""
    try:
        return service.status(uuid, issuer, receiver, total)
    except StatusUnavailable as exc:
        return Answer(UNKNOWN, detail=str(exc)[:500])


class FakeStatusService:
    """Offline and deterministic: ``overrides`` maps UUIDs (any case) to a status, every
    other CFDI answers ``default``. ``desconocido`` means "raise ``StatusUnavailable``", as an
    unreachable SAT would. Records each query in ``calls`` for tests."""

    def __init__(self, overrides: Mapping[str, str] | None = None, default: str = "vigente"):
        for value in [default, *(overrides or {}).values()]:
            if value not in STATUSES:
                raise ValueError(f"unknown SAT status {value!r}; use one of {sorted(STATUSES)}")
        self.overrides = {uuid.upper(): status for uuid, status in (overrides or {}).items()}
        self.default = default
        self.calls: list[tuple[str, str, str, Decimal]] = []

    def status(self, uuid: str, issuer: str, receiver: str, total: Decimal) -> Answer:
        self.calls.append((uuid, issuer, receiver, total))
        status = self.overrides.get(uuid.upper(), self.default)
        if status == UNKNOWN:
            raise StatusUnavailable("fake: the SAT cannot be reached")
        return Answer(cast(Status, status))


class SoapStatusService:
    """The SAT's ConsultaCFDIService over SOAP 1.1, at ``url``, waiting at most ``timeout``
    seconds per socket operation. Thread-safe (keeps no state between calls)."""

    def __init__(self, url: str = SAT_URL, timeout: float = DEFAULT_TIMEOUT) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError(f"the SAT status URL must be http(s): {url!r}")
        if timeout <= 0:
            raise ValueError("the SAT status timeout must be positive")
        self.url = url
        self.timeout = timeout

    def status(self, uuid: str, issuer: str, receiver: str, total: Decimal) -> Answer:
        request = urllib.request.Request(
            self.url,
            data=envelope(uuid, issuer, receiver, total),
            method="POST",
            headers={
                "Content-Type": 'text/xml; charset="utf-8"',
                "Accept": "text/xml",
                "SOAPAction": SOAP_ACTION,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise StatusUnavailable(f"SAT answered HTTP {exc.code}") from exc
        except TimeoutError as exc:
            raise StatusUnavailable(f"SAT did not answer within {self.timeout:g} s") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError | socket.timeout):
                raise StatusUnavailable(f"SAT did not answer within {self.timeout:g} s") from exc
            raise StatusUnavailable(f"SAT could not be reached: {exc.reason}") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise StatusUnavailable(f"SAT could not be reached: {exc!r}") from exc
        if len(body) > MAX_ANSWER_BYTES:
            raise StatusUnavailable("SAT's answer is too large")
        return parse_answer(body)


def envelope(uuid: str, issuer: str, receiver: str, total: Decimal) -> bytes:
    """The SOAP request for one CFDI: ``?re=<issuer>&rr=<receiver>&tt=<total>&id=<UUID>``
    (escaped by lxml: an RFC may contain ``&``)."""
    root = etree.Element(f"{{{_SOAP}}}Envelope", nsmap={"s": _SOAP, "tem": _TEMPURI})
    body = etree.SubElement(root, f"{{{_SOAP}}}Body")
    consulta = etree.SubElement(body, f"{{{_TEMPURI}}}Consulta")
    expression = etree.SubElement(consulta, f"{{{_TEMPURI}}}expresionImpresa")
    expression.text = f"?re={issuer}&rr={receiver}&tt={format(total, 'f')}&id={uuid}"
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def parse_answer(body: bytes) -> Answer:
    """Read ``ConsultaResult`` from SAT's SOAP answer; ``StatusUnavailable`` unless it states
    one of the three statuses about the CFDI asked for."""
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise StatusUnavailable("SAT's answer carries a DTD")
    try:
        root = etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise StatusUnavailable(f"SAT's answer is not XML: {exc}") from exc
    result = root.find("{*}Body/{*}ConsultaResponse/{*}ConsultaResult")
    if result is None:
        fault = root.find("{*}Body/{*}Fault")
        reason = "a SOAP fault" if fault is not None else "no ConsultaResult"
        raise StatusUnavailable(f"SAT's answer has {reason}")
    fields = {
        etree.QName(child).localname: (child.text or "").strip() or None
        for child in result
        if isinstance(child.tag, str)
    }
    code = fields.get("CodigoEstatus")
    if code is not None and code.startswith("N - 601"):
        raise StatusUnavailable(f"SAT refused the query: {code}")
    state = _STATES.get((fields.get("Estado") or "").lower())
    if state is None:
        raise StatusUnavailable(f"SAT answered an unknown Estado: {fields.get('Estado')!r}")
    return Answer(
        state,
        code=code,
        cancellable=fields.get("EsCancelable"),
        cancellation_status=fields.get("EstatusCancelacion"),
    )
