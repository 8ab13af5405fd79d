"""A stand-in for the SAT's ConsultaCFDIService on 127.0.0.1, answering as SAT does.

What it answers for a CFDI is chosen by the CFDI's UUID (``answers``); anything else is
``vigente``. Behaviours: ``vigente``, ``cancelado``, ``no_encontrado`` (SAT's three answers,
in SAT's own SOAP), ``sleep`` (waits ``sleep_seconds`` before answering, longer than the
client's timeout), ``fault`` (HTTP 500 with a SOAP fault) and ``invalid`` (SAT's code 601,
"the expression is not valid").
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import unescape

_ENVELOPE = (
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
    '<ConsultaResponse xmlns="http://tempuri.org/"><ConsultaResult '
    'xmlns:a="http://schemas.datacontract.org/2004/07/Sat.Cfdi.Negocio.ConsultaCfdi.Servicio" '
    'xmlns:i="http://www.w3.org/2001/XMLSchema-instance">{fields}</ConsultaResult>'
    "</ConsultaResponse></s:Body></s:Envelope>"
)
#: SAT's answers, field by field, as its service writes them.
ANSWERS = {
    "vigente": {
        "CodigoEstatus": "S - Comprobante obtenido satisfactoriamente.",
        "EsCancelable": "Cancelable con aceptación",
        "Estado": "Vigente",
        "EstatusCancelacion": "",
        "ValidacionEFOS": "200",
    },
    "cancelado": {
        "CodigoEstatus": "S - Comprobante obtenido satisfactoriamente.",
        "EsCancelable": "No cancelable",
        "Estado": "Cancelado",
        "EstatusCancelacion": "Cancelado sin aceptación",
        "ValidacionEFOS": "200",
    },
    "no_encontrado": {
        "CodigoEstatus": "N - 602: Comprobante no encontrado.",
        "EsCancelable": "",
        "Estado": "No Encontrado",
        "EstatusCancelacion": "",
        "ValidacionEFOS": "",
    },
    "invalid": {
        "CodigoEstatus": "N - 601: La expresión impresa proporcionada no es válida.",
        "EsCancelable": "",
        "Estado": "No Encontrado",
        "EstatusCancelacion": "",
        "ValidacionEFOS": "",
    },
}
_FAULT = (
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>'
    '<faultcode xmlns:a="http://schemas.microsoft.com/ws/2005/05/addressing/none">'
    "a:ActionNotSupported</faultcode><faultstring>Error</faultstring></s:Fault></s:Body>"
    "</s:Envelope>"
)


@dataclass
class SatServer:
    url: str
    answers: dict[str, str] = field(default_factory=dict)
    sleep_seconds: float = 2.0
    #: Each request received: (SOAPAction header, the expression asked).
    requests: list[tuple[str | None, str]] = field(default_factory=list)


def soap(fields: dict[str, str]) -> str:
    inner = "".join(
        f"<a:{name}>{value}</a:{name}>" if value else f"<a:{name}/>"
        for name, value in fields.items()
    )
    return _ENVELOPE.format(fields=inner)


@contextmanager
def sat_server(
    answers: dict[str, str] | None = None, sleep_seconds: float = 2.0
) -> Iterator[SatServer]:
    """Serve on an ephemeral port of 127.0.0.1 in a thread while the block runs."""
    state = SatServer(url="", answers=dict(answers or {}), sleep_seconds=sleep_seconds)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            found = re.search(r"<tem:expresionImpresa>(.*?)</tem:expresionImpresa>", body, re.S)
            expression = unescape(found.group(1)) if found else ""
            state.requests.append((self.headers.get("SOAPAction"), expression))
            uuid = expression.rpartition("id=")[2].upper()
            behaviour = state.answers.get(uuid, "vigente")
            if behaviour == "sleep":
                time.sleep(state.sleep_seconds)
                behaviour = "vigente"
            if behaviour == "fault":
                self._send(500, _FAULT)
            else:
                self._send(200, soap(ANSWERS[behaviour]))

        def _send(self, status: int, text: str) -> None:
            data = text.encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the timeout case)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    state.url = f"http://127.0.0.1:{server.server_address[1]}/ConsultaCFDIService.svc"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
