"""TESOFE payments and SICOP commitments: matched rows appended, unmatched rows reported
with line and reason, a second import changing nothing, malformed files refused whole."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from tests.interop.cfdi.cfdi_files import VALID_2_UUID, VALID_UUID, cfdi
from tests.world import World

from besa.alerts.models import Alert
from besa.exceptions import InvalidInput
from besa.interop.cfdi.upload import upload_cfdi
from besa.interop.treasury.importing import import_commitments, import_payments
from besa.logbook.actor import Actor
from besa.logbook.models import Entry

TESOFE = f"""folio_clc,fecha_pago,rfc_beneficiario,importe,numero_contrato,uuids_cfdi
CLC-001,2025-07-20,GODE561231GR8,"11,600.00",C-A1-1,{VALID_UUID}
CLC-002,21/07/2025,GODE561231GR8,5800.00,,{VALID_2_UUID}
CLC-003,2025-07-22,GODE561231GR8,100.00,C-ZZ-9,
CLC-004,2025-07-22,AAA010101AAA,100.00,C-A1-1,
CLC-005,2025-07-22,GODE561231GR8,100.00,,3D4E5F60-7182-4930-A4B5-C6D7E8F9A0B1
CLC-006,2025-07-01,GODE561231GR8,100.00,C-A1-1,{VALID_UUID}
CLC-007,2025-07-22,GODE561231GR8,100.00,C-A2-2,{VALID_UUID}
"""


@pytest.fixture
def invoiced(world: World) -> World:
    """Contract A1 with both fixture CFDIs received on 2025-07-03."""
    for name in ("valid.xml", "valid-2.xml"):
        upload_cfdi(
            world.contracts["A1"], cfdi(name), actor=Actor.system("t"),
            date_received=dt.date(2025, 7, 3),
        )  # fmt: skip
    return world


def _payments(world: World) -> list[Entry]:
    return list(Entry.objects.filter(kind="payment").order_by("seq"))


def test_matched_payments_are_appended_and_the_rest_reported_by_line(invoiced: World) -> None:
    report = import_payments(TESOFE.encode())
    assert (report.rows, report.appended, report.unchanged) == (7, 2, 0)
    reasons = {item.line: item.reason for item in report.unmatched}
    assert sorted(reasons) == [4, 5, 6, 7, 8]
    assert "unknown contract number: C-ZZ-9" in reasons[4]
    assert "AAA010101AAA is not a supplier" in reasons[5]
    assert "CFDI not recorded" in reasons[6]
    assert "refused: payload.date" in reasons[7]
    assert f"a CFDI belongs to another contract: {VALID_UUID}" in reasons[8]
    first, second = _payments(invoiced)
    assert first.contract == second.contract == invoiced.contracts["A1"]
    assert first.payload["amount"] == "11600.00"
    assert first.payload["clc_folio"] == "CLC-001"
    assert first.payload["invoice_uuids"] == [VALID_UUID]
    assert first.actor["user"] == "import:tesofe"
    assert second.payload["date"] == "2025-07-21"  # matched by its CFDI alone


def test_importing_the_same_payments_twice_changes_nothing(invoiced: World) -> None:
    import_payments(TESOFE.encode())
    entries = Entry.objects.count()
    again = import_payments(TESOFE.encode())
    assert (again.appended, again.unchanged, len(again.unmatched)) == (0, 2, 5)
    assert Entry.objects.count() == entries


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (TESOFE.replace(",importe", "").encode(), "header", "missing columns: ['importe']"),
        (TESOFE.replace("folio_clc", "folio").encode(), "header", "unknown columns"),
        (TESOFE[: TESOFE.index("CLC-002") + 20].encode(), "line 3", "truncated"),
        (TESOFE.replace("11,600.00", "once mil").encode(), "line 2, importe", "invalid amount"),
        (TESOFE.replace("21/07/2025", "2025-13-01").encode(), "line 3, fecha_pago", "invalid date"),
        (TESOFE.replace("CLC-003", "CLC-ñ").encode("latin-1"), "line 4", "invalid utf-8 bytes"),
        (b"", "header", "empty"),
    ],
    ids=["missing-column", "unknown-column", "truncated", "bad-amount", "bad-date", "latin-1",
         "empty"],
)  # fmt: skip
def test_a_malformed_payments_file_is_refused_whole(
    invoiced: World, data: bytes, field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        import_payments(data)
    assert refused.value.field == field
    assert message in refused.value.message
    assert _payments(invoiced) == []


def test_a_latin1_file_imports_when_its_encoding_is_given(invoiced: World) -> None:
    data = TESOFE.replace("CLC-001", "CLC-Ñ01").encode("latin-1")
    report = import_payments(data, encoding="latin-1")
    assert report.appended == 2
    assert _payments(invoiced)[0].payload["clc_folio"] == "CLC-Ñ01"


def _sicop(world: World) -> str:
    return f"""oficio,fecha_oficio,ejercicio,clave_presupuestaria,folio_compromiso,importe,numero_contrato,ocid,partida
SH/123/2025,2025-06-01,2025,2025-12-610-2-1-01-00-001-25301,COMP-1,20000000.00,C-A1-1,,25301
SH/124/2025,2025-07-15,2025,2025-12-610-2-1-01-00-001-25301,COMP-2,"20,000,000.00",,{world.contracts["A2"].ocid},
SH/125/2025,2025-06-01,2025,KEY,COMP-3,100.00,C-NOPE,,
"""  # noqa: E501


def test_commitments_are_appended_as_budget_sufficiencies_and_twice_changes_nothing(
    world: World,
) -> None:
    report = import_commitments(_sicop(world).encode())
    assert (report.appended, [(u.line, "C-NOPE" in u.reason) for u in report.unmatched]) == (
        2,
        [(4, True)],
    )
    a1 = Entry.objects.get(contract=world.contracts["A1"], kind="budget_sufficiency")
    assert a1.payload == {
        "oficio_number": "SH/123/2025",
        "date": "2025-06-01",
        "amount": "20000000.00",
        "fiscal_year": 2025,
        "budget_key": "2025-12-610-2-1-01-00-001-25301",
        "commitment_folio": "COMP-1",
        "expense_item": "25301",
    }
    again = import_commitments(_sicop(world).encode())
    assert (again.appended, again.unchanged) == (0, 2)
    assert Entry.objects.filter(kind="budget_sufficiency").count() == 2


def test_imported_commitments_drive_alert_a02_as_typed_entries_would(world: World) -> None:
    def timing(unit: str) -> Alert:
        return Alert.objects.get(
            contract=world.contracts[unit], rule="A02", subject="budget:timing"
        )

    assert timing("A1").state == timing("A2").state == "open"  # no sufficiency yet
    import_commitments(_sicop(world).encode())
    assert timing("A1").state == "corrected"  # dated before the award: on time
    late = timing("A2")  # dated 2025-07-15, after the award of 2025-06-02
    assert late.state == "open" and late.evidence["problem"] == "late"


def test_a_commitments_file_missing_columns_writes_nothing(world: World) -> None:
    data = _sicop(world).replace("folio_compromiso,", "").encode()
    with pytest.raises(InvalidInput, match="folio_compromiso"):
        import_commitments(data)
    assert not Entry.objects.filter(kind="budget_sufficiency").exists()


def _run(source: str, *args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("import", source, *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_the_cli_reports_unmatched_rows_in_its_exit_status(invoiced: World, tmp_path: Path) -> None:
    path = tmp_path / "pagos.csv"
    path.write_text(TESOFE, encoding="utf-8")
    status, out = _run("tesofe", str(path))
    assert status == 2
    assert "7 rows; 2 appended, 0 already imported, 5 not imported" in out
    assert "line 4: " in out and "C-ZZ-9" in out
    path.write_text(TESOFE.replace(",importe", ""), encoding="utf-8")
    status, out = _run("tesofe", str(path))
    assert status == 1 and "missing columns" in out and "nothing was written" in out


def test_the_sicop_cli_exits_zero_when_every_row_matched(world: World, tmp_path: Path) -> None:
    path = tmp_path / "sicop.csv"
    lines = _sicop(world).splitlines()
    path.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    status, out = _run("sicop", str(path))
    assert status == 0, out
    assert "2 rows; 2 appended" in out
