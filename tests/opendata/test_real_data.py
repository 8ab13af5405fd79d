"""Real CompraNet strings (accents, commas, long titles) survive CSV and XLSX exports exactly."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
from django.core.management import call_command
from tests.world import World

from besa.registration import SupplierShare, register_contract
from besa.registry.models import BuyingUnit, Institution, Role, User
from besa.registry.suppliers import register_supplier

SAMPLE = Path(__file__).parent.parent / "fixtures" / "opendata" / "compranet-2015-sample.csv"


def load_sample(world: World) -> list[dict[str, str]]:
    """Register each sample row (2015 strings, signed on 2025-03-02 here, inside the
    jurisdiction calendar) as a contract of its real institution and supplier."""
    rows = list(csv.DictReader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))
    # The sample has no RFCs; each institution gets one of these valid test RFCs.
    rfcs = dict(
        zip(
            dict.fromkeys(r["SIGLAS"] for r in rows),
            ["XIA190128J61", "IIA040805DZ4", "URE180429TM6", "EKU9003173C9"],
            strict=True,
        )
    )
    admin = User.objects.create_user("central", password="x", role=Role.ADMIN)
    for index, row in enumerate(rows):
        institution, _ = Institution.objects.get_or_create(
            code=row["SIGLAS"][:20],
            defaults={
                "name": row["DEPENDENCIA"],
                "level": "APF",
                "kind": "entidad",
                "rfc": rfcs[row["SIGLAS"]],
            },
        )
        unit, _ = BuyingUnit.objects.get_or_create(
            code=f"UC{institution.code[:14]}", defaults={"institution": institution, "name": "UC"}
        )
        supplier = register_supplier(
            rfc="XEXX010101000",
            name=row["PROVEEDOR_CONTRATISTA"],
            country="US",
            foreign_tax_id=f"T{index}",
        )
        register_contract(
            admin,
            buying_unit=unit,
            suppliers=[SupplierShare(supplier)],
            number=row["CODIGO_CONTRATO"],
            title=row["TITULO_CONTRATO"],
            contracting_type="servicio",
            procedure_type="licitacion_publica",
            award_date=dt.date(2025, 3, 1),
            signing_date=dt.date(2025, 3, 2),
            start_date=dt.date(2025, 3, 3),
            end_date=dt.date(2025, 12, 31),
            amount=Decimal(row["IMPORTE_CONTRATO"]),
            currency=row["MONEDA"],
        )
    return rows


def test_real_titles_names_and_amounts_read_back_exactly_from_csv_and_xlsx(
    world: World, tmp_path: Path
) -> None:
    rows = load_sample(world)
    # Titles as the registration entry holds them (surrounding spaces trimmed), the
    # registry row being its projection.
    expected = {
        r["CODIGO_CONTRATO"]: (
            r["TITULO_CONTRATO"].strip(),
            r["DEPENDENCIA"],
            r["PROVEEDOR_CONTRATISTA"],
        )
        for r in rows
    }

    call_command(
        "export",
        "csv",
        "--view",
        "contracts",
        "--until",
        "2025-03-31",
        "--out",
        str(tmp_path / "c.csv"),
        stdout=io.StringIO(),
    )
    call_command(
        "export",
        "xlsx",
        "--until",
        "2025-03-31",
        "--out",
        str(tmp_path / "c.xlsx"),
        stdout=io.StringIO(),
    )

    text = (tmp_path / "c.csv").read_text(encoding="utf-8-sig")
    from_csv = {
        r["number"]: (r["title"], r["institution_name"], r["supplier_names"])
        for r in csv.DictReader(io.StringIO(text))
    }
    assert from_csv == expected
    amounts = {r["number"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(text))}
    assert amounts == {r["CODIGO_CONTRATO"]: Decimal(r["IMPORTE_CONTRATO"]) for r in rows}

    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx")["contracts"]
    values = list(sheet.iter_rows(values_only=True))
    header = values[0]
    from_xlsx = {}
    for line in values[1:]:
        item = dict(zip(header, line, strict=True))
        from_xlsx[item["number"]] = (
            item["title"],
            item["institution_name"],
            item["supplier_names"],
        )
        assert item["amount"] == float(amounts[item["number"]])
    assert from_xlsx == expected
