"""besa import compranet-csv: the real exports, registration of qualifying rows, idempotence."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from tests.interop.lists.conftest import fixture_bytes, table_dump
from tests.world import World

from besa.interop.models import ImportedProcess
from besa.logbook.models import Entry
from besa.registry.models import BuyingUnit, Contract
from besa.risk.models import RiskResult, RunKind

Importer = Callable[..., tuple[int, str]]
REAL = [
    "sample_Contratos2010_2012_150514080257.csv",
    "sample_Contratos2013_150514080004.csv",
    "sample_Contratos2014_150514075704.csv",
    "sample_Contratos2015_150514075424.csv",
    "compranet-contracts-of-sanctioned-suppliers-2017.csv",
]


@pytest.mark.parametrize("name", REAL)
def test_the_real_exports_import_without_a_crash_reporting_every_row(
    world: World, importer: Importer, name: str
) -> None:
    data = fixture_bytes(name)
    status, report = importer("compranet-csv", data, name=name)
    assert status == 0, report
    rows = len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))) - 1
    summary = report.splitlines()[0]
    assert summary.startswith(f"CompraNet: {rows} rows;")
    # The export has no supplier RFC and no world supplier shares a name: nothing registers,
    # and every row not below the threshold is reported with its line and reason.
    assert "0 contracts registered" in summary
    assert "skipped line" in report
    # Every row read is kept as a process for risk analytics, and scored as it arrives.
    kept = ImportedProcess.objects.filter(publisher="compranet")
    assert summary.endswith(f"; {kept.count()} processes kept for risk analytics")
    assert kept.count() > 0
    scored = RiskResult.objects.filter(run__kind=RunKind.LIVE_PROCESS, code="CRI")
    assert set(scored.values_list("subject_id", flat=True)) == set(
        kept.values_list("ocid", flat=True)
    )
    before = table_dump()
    assert importer("compranet-csv", data, name=name)[0] == 0
    assert table_dump() == before


def _export(**changes: str) -> bytes:
    """The first row of a real 2014 export, with ``changes`` applied, in CompraNet's layout."""
    raw = fixture_bytes("sample_Contratos2014_150514075704.csv").decode("utf-8")
    reader = csv.DictReader(io.StringIO(raw))
    row = next(r for r in reader if r["TIPO_CONTRATACION"] == "Adquisiciones")
    row.update(changes)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row), lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(row)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


QUALIFYING = dict(
    CODIGO_CONTRATO="9990001",
    IMPORTE_CONTRATO="20000000",
    FECHA_CELEBRACION="2025-06-10",
    FECHA_INICIO="2025-06-11",
    FECHA_FIN="2025-12-31",
    PROVEEDOR_CONTRATISTA="EDUARDO GONZALEZ",
    SIGLAS="INSTA",
    CLAVEUC="099X00001",
)


def test_a_row_above_the_threshold_with_a_known_supplier_is_registered_once(
    world: World, importer: Importer
) -> None:
    status, report = importer("compranet-csv", _export(**QUALIFYING))
    assert status == 0 and "1 contracts registered" in report, report
    contract = Contract.objects.get(compranet_code="9990001")
    assert contract.suppliers.get() == world.supplier  # "EDUARDO GONZALEZ" ~ "Eduardo González"
    assert contract.buying_unit.code == "099X00001"
    assert contract.buying_unit.institution == world.inst_a
    assert Entry.objects.filter(contract=contract, kind="registration").count() == 1
    before = table_dump()
    status, report = importer("compranet-csv", _export(**QUALIFYING))
    assert "0 contracts registered, 1 already registered" in report
    assert table_dump() == before


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"FECHA_CELEBRACION": ""}, "no signing date"),
        ({"PROVEEDOR_CONTRATISTA": "DESCONOCIDA SA DE CV"}, "not registered"),
        ({"MONEDA": "USD"}, "no exchange rate"),
        ({"FECHA_FIN": "2025-01-01"}, "end_date"),
        ({"SIGLAS": "NUEVA"}, "'NUEVA' no registrada"),
    ],
)
def test_a_row_that_cannot_be_registered_is_reported_and_registers_nothing(
    world: World, importer: Importer, changes: dict[str, str], reason: str
) -> None:
    before = _registry_and_logbook()
    status, report = importer("compranet-csv", _export(**{**QUALIFYING, **changes}))
    assert status == 0
    assert "skipped line 2: 9990001" in report and reason in report, report
    assert _registry_and_logbook() == before
    process = ImportedProcess.objects.get(ocid__endswith="CN-9990001")  # kept for analytics
    assert not process.contracts.exists()


def test_a_row_signed_in_a_year_the_calendar_file_does_not_list_is_registered(
    world: World, importer: Importer
) -> None:
    status, report = importer(
        "compranet-csv", _export(**{**QUALIFYING, "FECHA_CELEBRACION": "2014-06-10"})
    )
    assert status == 0
    assert "1 contracts registered" in report, report
    process = ImportedProcess.objects.get(ocid__endswith="CN-9990001")
    assert process.contracts.get().signing_date == dt.date(2014, 6, 10)


def _registry_and_logbook() -> dict[str, list[tuple[str, ...]]]:
    return {
        label: rows
        for label, rows in table_dump().items()
        if label.split(".")[0] in ("registry", "logbook", "alerts")
    }


def test_a_row_below_the_threshold_is_kept_for_analytics_not_registered(
    world: World, importer: Importer
) -> None:
    status, report = importer(
        "compranet-csv", _export(**{**QUALIFYING, "IMPORTE_CONTRATO": "1000"})
    )
    assert status == 0 and "1 below the registration threshold" in report
    assert not Contract.objects.filter(compranet_code="9990001").exists()
    assert not BuyingUnit.objects.filter(code="099X00001").exists()
    release = ImportedProcess.objects.get(ocid__endswith="CN-9990001").compiled_release
    assert release["contracts"][0]["value"] == {"amount": 1000.0, "currency": "MXN"}
    assert release["awards"][0]["suppliers"][0]["name"] == "EDUARDO GONZALEZ"
    assert release["buyer"]["id"] == "INSTA"


def test_a_registered_row_is_linked_to_its_imported_process(
    world: World, importer: Importer
) -> None:
    importer("compranet-csv", _export(**QUALIFYING))

    process = ImportedProcess.objects.get(ocid__endswith="CN-9990001")
    assert list(process.contracts.all()) == [Contract.objects.get(compranet_code="9990001")]


@pytest.mark.parametrize(
    "data",
    [
        fixture_bytes(REAL[1]).decode("utf-8").encode("cp1252"),
        fixture_bytes(REAL[1]).replace(b"PROVEEDOR_CONTRATISTA", b"PROVEEDOR", 1),
        fixture_bytes(REAL[1])[:150_000],
    ],
    ids=["latin1", "missing-column", "truncated"],
)
def test_a_malformed_export_is_rejected_and_writes_nothing(
    world: World, importer: Importer, data: bytes
) -> None:
    before = table_dump()
    status, report = importer("compranet-csv", data)
    assert status == 2 and report.startswith("error: line ") and "nothing was imported" in report
    assert table_dump() == before
