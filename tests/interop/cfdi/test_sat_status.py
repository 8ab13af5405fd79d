"""The SAT status client against a local server that answers as SAT's ConsultaCFDIService."""

from __future__ import annotations

import socket
import time
from decimal import Decimal

import pytest
from tests.interop.cfdi.sat_server import sat_server

from besa.interop.cfdi.status import (
    SOAP_ACTION,
    Answer,
    SoapStatusService,
    StatusUnavailable,
    ask,
    envelope,
)

UUID = "9A1E2F3B-0C4D-4E5F-8A6B-7C8D9E0F1A2B"
ISSUER, RECEIVER, TOTAL = "GODE561231GR8", "EKU9003173C9", Decimal("11600.00")


def check(url: str, timeout: float = 2.0) -> Answer:
    return ask(SoapStatusService(url, timeout=timeout), UUID, ISSUER, RECEIVER, TOTAL)


@pytest.mark.parametrize(
    ("served", "expected"),
    [
        pytest.param(
            "vigente",
            Answer(
                "vigente",
                code="S - Comprobante obtenido satisfactoriamente.",
                cancellable="Cancelable con aceptación",
            ),
            id="valid",
        ),
        pytest.param(
            "cancelado",
            Answer(
                "cancelado",
                code="S - Comprobante obtenido satisfactoriamente.",
                cancellable="No cancelable",
                cancellation_status="Cancelado sin aceptación",
            ),
            id="cancelled",
        ),
        pytest.param(
            "no_encontrado",
            Answer("no_encontrado", code="N - 602: Comprobante no encontrado."),
            id="not found",
        ),
    ],
)
def test_each_answer_of_the_sat_gives_its_status_and_the_sats_own_words(
    served: str, expected: Answer
) -> None:
    with sat_server({UUID: served}) as sat:
        assert check(sat.url) == expected


def test_a_sat_slower_than_the_timeout_gives_an_unknown_status_without_waiting_for_it() -> None:
    with sat_server({UUID: "sleep"}, sleep_seconds=3.0) as sat:
        started = time.monotonic()
        answer = check(sat.url, timeout=0.3)
        waited = time.monotonic() - started

    assert answer.status == "desconocido"
    assert answer.detail == "SAT did not answer within 0.3 s"
    assert waited < 2.0


def test_the_client_raises_status_unavailable_on_a_timeout_so_callers_can_tell() -> None:
    with (
        sat_server({UUID: "sleep"}, sleep_seconds=3.0) as sat,
        pytest.raises(StatusUnavailable, match="did not answer"),
    ):
        SoapStatusService(sat.url, timeout=0.3).status(UUID, ISSUER, RECEIVER, TOTAL)


@pytest.mark.parametrize(
    ("served", "reason"),
    [
        pytest.param("fault", "SAT answered HTTP 500", id="HTTP 500 with a SOAP fault"),
        pytest.param("invalid", "SAT refused the query: N - 601", id="expression refused (601)"),
    ],
)
def test_an_answer_that_says_nothing_about_the_cfdi_is_an_unknown_status(
    served: str, reason: str
) -> None:
    with sat_server({UUID: served}) as sat:
        answer = check(sat.url)

    assert answer.status == "desconocido"
    assert answer.detail is not None and answer.detail.startswith(reason)


def test_a_sat_that_cannot_be_reached_is_an_unknown_status() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    # Nothing listens on the port any more: the connection is refused at once.
    answer = check(f"http://127.0.0.1:{port}/ConsultaCFDIService.svc")

    assert answer.status == "desconocido"
    assert answer.detail is not None and answer.detail.startswith("SAT could not be reached")


def test_the_client_asks_with_the_sats_action_and_expression() -> None:
    with sat_server() as sat:
        check(sat.url)

    assert sat.requests == [
        (SOAP_ACTION, f"?re={ISSUER}&rr={RECEIVER}&tt=11600.00&id={UUID}"),
    ]


def test_an_rfc_with_an_ampersand_is_escaped_in_the_request() -> None:
    body = envelope(UUID, "A&C010101AB1", RECEIVER, TOTAL)

    assert b"?re=A&amp;C010101AB1&amp;rr=" in body


@pytest.mark.parametrize(
    ("url", "timeout"),
    [("ftp://sat.example/", 1.0), ("http://127.0.0.1/", 0.0)],
)
def test_a_client_with_a_url_that_is_not_http_or_no_timeout_is_refused(
    url: str, timeout: float
) -> None:
    with pytest.raises(ValueError):
        SoapStatusService(url, timeout=timeout)
