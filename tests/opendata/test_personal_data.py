"""Individuals' RFCs and names never reach a public file; organisations' still do.

The portfolio's supplier, Eduardo González (RFC GODE561231GR8, 13 characters), is a persona
física: he signs the contracts, issues the invoice and is paid. A second supplier, a persona
moral (12 characters), signs one contract. A citizen downloads everything there is.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.test import Client
from tests.opendata.portfolio import Portfolio, at
from tests.world import make_contract

from besa.logbook.disclosure import COMMITMENT, commitment, hashed_form
from besa.opendata.dump import dump
from besa.registry.suppliers import register_supplier
from besa.registry.validation import WITHHELD

INDIVIDUAL = ("GODE561231GR8", "Eduardo González")
ORGANISATION = ("IIA040805DZ4", "Insumos Industriales del Norte SA de CV")


@pytest.fixture
def two_suppliers(portfolio: Portfolio) -> Portfolio:
    with time_machine.travel(at("2025-06-10", 10), tick=False):
        company = register_supplier(rfc=ORGANISATION[0], name=ORGANISATION[1])
        make_contract(portfolio.world.admin, portfolio.world.units["B1"], company)
    return portfolio


def _text(response: object) -> str:
    content = getattr(response, "streaming_content", None)
    data = b"".join(content) if content is not None else response.content  # type: ignore[attr-defined]
    return data.decode("utf-8")


def _workbook_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


PUBLIC_DOWNLOADS = [
    "/api/opendata/contracts.csv",
    "/api/opendata/entries.csv",
    "/api/opendata/payments.csv",
    "/api/opendata/ocds/releases.json",
    "/api/opendata/ocds/records.json",
    "/api/opendata/besa.xlsx",
]


def _download(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    if url.endswith(".xlsx"):
        return _workbook_text(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    return _text(response)


@pytest.mark.parametrize("url", PUBLIC_DOWNLOADS)
def test_a_citizen_finds_no_individuals_rfc_or_name_in_a_public_download(
    client: Client, two_suppliers: Portfolio, url: str
) -> None:
    text = _download(client, url)

    for personal in (*INDIVIDUAL, "González"):
        assert personal not in text


@pytest.mark.parametrize(
    "url", ["/api/opendata/contracts.csv", "/api/opendata/ocds/releases.json", PUBLIC_DOWNLOADS[-1]]
)
def test_an_organisations_rfc_and_name_stay_public(
    client: Client, two_suppliers: Portfolio, url: str
) -> None:
    text = _download(client, url)

    assert ORGANISATION[0] in text
    assert ORGANISATION[1] in text
    assert WITHHELD in text  # the individual's place is marked, not silently dropped


def test_the_contracts_csv_marks_the_individual_as_withheld(
    client: Client, two_suppliers: Portfolio
) -> None:
    lines = _text(client.get("/api/opendata/contracts.csv?institution=INSTA")).splitlines()
    header = lines[0].lstrip("\ufeff").split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:]]

    assert rows and {(r["supplier_rfcs"], r["supplier_names"]) for r in rows} == {
        (WITHHELD, WITHHELD)
    }


def test_the_bulk_dump_holds_no_individuals_rfc_or_name(
    two_suppliers: Portfolio, tmp_path: Path
) -> None:
    manifest = dump(tmp_path, dt.date(2025, 7, 31), at("2025-08-01"))
    folder = tmp_path / "2025-07-31"

    texts = []
    for described in manifest["files"]:
        data = (folder / described["name"]).read_bytes()
        is_book = described["name"].endswith(".xlsx")
        texts.append(_workbook_text(data) if is_book else data.decode("utf-8"))
    everything = "\n".join(texts)

    assert ORGANISATION[0] in everything
    for personal in (*INDIVIDUAL, "González"):
        assert personal not in everything


def test_a_payload_hides_individuals_wherever_they_are_named_behind_commitments() -> None:
    payload = {
        "suppliers": [
            {"rfc": INDIVIDUAL[0], "name": INDIVIDUAL[1], "share": "100"},
            {"rfc": ORGANISATION[0], "name": ORGANISATION[1]},
            {"rfc": "XEXX010101000", "name": "Foreign Supplies Inc."},
        ],
        "guarantee": {"issuer": "Juan Pérez", "issuer_rfc": "PEPJ800101AB1", "amount": "10"},
        "invoice": {"issuer_rfc": INDIVIDUAL[0], "receiver_rfc": "EKU9003173C9"},
        "contact": {"curp": "GODE561231HDFNRD09"},
    }
    salt = "ab" * 32

    public = hashed_form({"actor": {"user": "oper"}, "payload": payload}, salt)["payload"]

    def hidden(path: str) -> dict[str, str]:
        value: Any = payload
        for key in path.split(".")[1:]:
            value = value[int(key)] if isinstance(value, list) else value[key]
        return {COMMITMENT: commitment(salt, path, value)}

    assert public["suppliers"] == [
        {
            "rfc": hidden("payload.suppliers.0.rfc"),
            "name": hidden("payload.suppliers.0.name"),
            "share": "100",
        },
        {"rfc": ORGANISATION[0], "name": ORGANISATION[1]},
        {"rfc": "XEXX010101000", "name": "Foreign Supplies Inc."},
    ]
    assert public["guarantee"] == {
        "issuer": hidden("payload.guarantee.issuer"),
        "issuer_rfc": hidden("payload.guarantee.issuer_rfc"),
        "amount": "10",
    }
    assert public["invoice"] == {
        "issuer_rfc": hidden("payload.invoice.issuer_rfc"),
        "receiver_rfc": "EKU9003173C9",
    }
    assert public["contact"] == {"curp": hidden("payload.contact.curp")}
    assert payload["suppliers"][0]["name"] == INDIVIDUAL[1]  # the original is untouched
