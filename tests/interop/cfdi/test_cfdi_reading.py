"""Reading and verifying a CFDI 4.0 without the database: what is refused and why."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from tests.interop.cfdi.cfdi_files import (
    VALID_UUID,
    billion_laughs,
    cfdi,
    external_entity,
    latin1,
    truncated,
)

from besa.exceptions import InvalidInput
from besa.interop.cfdi.mapping import invoice_payload
from besa.interop.cfdi.reading import read_document
from besa.interop.cfdi.status import FakeStatusService
from besa.interop.cfdi.verification import verify


def test_a_valid_invoice_is_verified_and_says_what_was_not() -> None:
    checked = verify(read_document(cfdi()))
    assert checked.uuid == VALID_UUID
    assert any("XSD" in line for line in checked.verified)
    assert any("seal matches" in line for line in checked.verified)
    assert any("not issued by the SAT" in line for line in checked.not_verified)
    assert any("stamp" in line for line in checked.not_verified)


def test_the_invoice_maps_to_the_logbook_payload() -> None:
    checked = verify(read_document(cfdi()))
    payload = invoice_payload(
        checked.cfdi, checked.uuid, date_received=dt.date(2025, 7, 2), sat_status="vigente",
        sat_status_checked_on=dt.date(2025, 7, 2),
    )  # fmt: skip
    assert payload == {
        "uuid": VALID_UUID,
        "series": "F",
        "folio": "1",
        "issue_date": "2025-07-01",
        "date_received": "2025-07-02",
        "issuer_rfc": "GODE561231GR8",
        "receiver_rfc": "EKU9003173C9",
        "subtotal": "10000.00",
        "taxes": "1600.00",
        "total": "11600.00",
        "currency": "MXN",
        "payment_method": "PPD",
        "sat_status": "vigente",
        "sat_status_checked_on": "2025-07-02",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (billion_laughs(), "DOCTYPE/ENTITY"),
        (external_entity(), "DOCTYPE/ENTITY"),
        (truncated(), "truncated XML"),
        (latin1(), "not UTF-8"),
        (b"   ", "empty"),
        (b'<?xml version="1.0" encoding="ISO-8859-1"?><a/>', "declared encoding ISO-8859-1"),
        (b'<?xml version="1.0"?><cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/3"/>',
         "not a CFDI 4.0"),
    ],
    ids=["billion-laughs", "external-entity", "truncated", "latin-1", "empty", "declared-latin-1",
         "cfdi-3.3"],
)  # fmt: skip
def test_unsafe_or_malformed_files_are_refused_naming_the_file(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_document(data)
    assert refused.value.field == "file"
    assert message in refused.value.message


def test_an_oversized_file_is_refused_before_it_is_parsed() -> None:
    data = cfdi()
    with pytest.raises(InvalidInput, match="exceeds the maximum of 1000 bytes"):
        read_document(data, max_bytes=1000)
    assert read_document(data, max_bytes=len(data)) is not None


def test_a_total_that_does_not_add_up_is_refused_naming_total() -> None:
    tampered = cfdi().replace(b'Total="11600.00"', b'Total="11700.00"')
    with pytest.raises(InvalidInput) as refused:
        verify(read_document(tampered))
    assert refused.value.field == "Total"
    assert "11600.00" in refused.value.message


def test_an_altered_invoice_fails_its_seal() -> None:
    tampered = cfdi().replace(b'Nombre="INSTITUCION A"', b'Nombre="INSTITUCION Z"')
    with pytest.raises(InvalidInput) as refused:
        verify(read_document(tampered))
    assert refused.value.field == "Sello"


def test_a_document_that_breaks_the_schema_is_refused() -> None:
    broken = cfdi().replace(b'MetodoPago="PPD"', b'MetodoPago="XYZ"')
    with pytest.raises(InvalidInput, match=r"fails the CFDI 4\.0 schema"):
        verify(read_document(broken))


def test_an_unstamped_invoice_is_refused() -> None:
    data = cfdi()
    start = data.index(b"<cfdi:Complemento>")
    end = data.index(b"</cfdi:Complemento>") + len(b"</cfdi:Complemento>")
    with pytest.raises(InvalidInput) as refused:
        verify(read_document(data[:start] + data[end:]))
    assert refused.value.field == "TimbreFiscalDigital"


def test_the_fake_status_service_is_deterministic_and_configurable() -> None:
    fake = FakeStatusService({VALID_UUID.lower(): "cancelado"})
    answer = fake.status(VALID_UUID, "GODE561231GR8", "EKU9003173C9", Decimal("11600"))
    assert answer.status == "cancelado"
    assert fake.status("OTHER", "A", "B", Decimal(1)).status == "vigente"
    assert len(fake.calls) == 2
    with pytest.raises(ValueError, match="unknown SAT status"):
        FakeStatusService(default="valid")
