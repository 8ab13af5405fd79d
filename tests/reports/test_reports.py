"""Every standard report renders over a seeded demo as a page, a PDF and a workbook; the PDFs
are drawn to PNG by pdftoppm and are not blank; the workbooks are read back with openpyxl and
their totals agree with the registry and the logbook to the cent."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client

from besa.alerts import reconciliation
from besa.alerts.models import Alert
from besa.demo import seed
from besa.logbook.models import Entry
from besa.registry.models import Contract, Institution, User
from besa.reports.catalogue import REPORTS

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")


def _client(username: str | None, language: str = "es") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def not_blank_pages(pdf: bytes, tmp_path: Path) -> list[float]:
    """Each page of ``pdf`` drawn at 30 dpi: the share of pixels that are not white."""
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(source), str(tmp_path / "p")], check=True)
    shares = []
    for page in sorted(tmp_path.glob("p*.pgm")):
        data = page.read_bytes()
        # PGM: "P5\n<w> <h>\n<max>\n" then one byte per pixel.
        header, pixels = data.split(b"\n", 3)[:3], data.split(b"\n", 3)[3]
        assert header[0] == b"P5"
        shares.append(sum(1 for p in pixels if p < 200) / len(pixels))
    return shares


def workbook_totals(body: bytes) -> dict[str, dict[str, Any]]:
    """Each sheet's totals row, by column title."""
    book = openpyxl.load_workbook(io.BytesIO(body))
    found = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        header = next(r for r in rows if r[0] is not None and r[1] is not None)
        total = next(r for r in rows if r[0] == "Total")
        found[sheet.title] = dict(zip(header, total, strict=False))
    return found


@pytest.mark.parametrize("slug", list(REPORTS))
@pytest.mark.parametrize("language", ["es", "en"])
def test_every_report_renders_as_page_pdf_and_workbook(
    demo: seed.Summary, slug: str, language: str, tmp_path: Path
) -> None:
    client = _client("admin", language)
    page = client.get(f"/informes/{slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'role="img"' in html and "<table" in html
    pdf = client.get(f"/informes/{slug}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    shares = not_blank_pages(pdf.content, tmp_path)
    assert shares and all(share > 0.005 for share in shares), shares
    xlsx = client.get(f"/informes/{slug}.xlsx")
    assert xlsx.status_code == 200
    assert workbook_totals(xlsx.content)


def _home(contract: Contract) -> Decimal:
    return (contract.amount * (contract.exchange_rate or 1)).quantize(CENT)


def test_the_contracts_workbook_adds_up_to_the_registry_to_the_cent(demo: seed.Summary) -> None:
    body = _client("admin").get("/informes/contratos.xlsx").content
    totals = workbook_totals(body)
    expected = sum((_home(c) for c in Contract.objects.all()), Decimal(0))
    assert expected > 0
    for sheet, row in totals.items():
        assert row["Contratos"] == Contract.objects.count(), sheet
        assert Decimal(str(row["Importe sin IVA (moneda nacional)"])).quantize(CENT) == expected


def test_a_coordinator_reports_on_their_own_institution_only(demo: seed.Summary) -> None:
    coordinator = User.objects.get(username="coordinador")
    body = _client("coordinador").get("/informes/contratos.xlsx").content
    mine = Contract.objects.filter(buying_unit__institution=coordinator.institution)
    row = workbook_totals(body)["1 Por institución"]
    assert row["Contratos"] == mine.count() < Contract.objects.count()
    expected = sum((_home(c) for c in mine), Decimal(0))
    assert Decimal(str(row["Importe sin IVA (moneda nacional)"])).quantize(CENT) == expected


def test_filters_in_the_url_narrow_the_report(demo: seed.Summary) -> None:
    institution = Institution.objects.filter(buying_units__contracts__isnull=False).first()
    assert institution is not None
    since, until = "2025-01-01", "2025-12-31"
    url = f"/informes/contratos.xlsx?institucion={institution.code}&desde={since}&hasta={until}"
    row = workbook_totals(_client("admin").get(url).content)["1 Por institución"]
    chosen = Contract.objects.filter(
        buying_unit__institution=institution, signing_date__range=(since, until)
    )
    assert row["Contratos"] == chosen.count()
    assert Decimal(str(row["Importe sin IVA (moneda nacional)"])).quantize(CENT) == sum(
        (_home(c) for c in chosen), Decimal(0)
    )


def test_the_alerts_workbook_counts_every_alert(demo: seed.Summary) -> None:
    totals = workbook_totals(_client("admin").get("/informes/alertas.xlsx").content)
    assert Alert.objects.count() > 0
    for sheet in ("1 Por regla", "2 Por severidad", "3 Por institución", "4 Por estado"):
        assert totals[sheet]["Alertas"] == Alert.objects.count()


def test_the_penalties_in_the_workbook_are_the_logbooks_to_the_cent(demo: seed.Summary) -> None:
    totals = workbook_totals(_client("admin").get("/informes/ejecucion.xlsx").content)
    row = next(v for k, v in totals.items() if k.startswith("2 Penas"))
    calculated = applied = Decimal(0)
    rectified = {
        e.payload["corrects"]: e.payload["payload"]
        for e in Entry.objects.filter(kind="rectification").order_by("seq")
    }
    for entry in Entry.objects.filter(kind="penalty").select_related("contract"):
        payload = rectified.get(str(entry.uuid), entry.payload)
        rate = entry.contract.exchange_rate or 1
        calculated += (Decimal(payload["calculated_amount"]) * rate).quantize(CENT)
        applied += (Decimal(payload["applied_amount"]) * rate).quantize(CENT)
    assert calculated > 0
    assert Decimal(str(row["Calculadas"])).quantize(CENT) == calculated
    assert Decimal(str(row["Aplicadas"])).quantize(CENT) == applied


def test_citizens_read_the_public_reports_only(demo: seed.Summary) -> None:
    citizen = _client(None)
    for slug, entry in REPORTS.items():
        status = citizen.get(f"/informes/{slug}/").status_code
        assert status == (200 if entry.public else 403), slug
    index = citizen.get("/informes/").content.decode()
    assert "Contratos e importes" in index and "Proveedores con más alertas" not in index


def test_the_report_page_in_english_has_english_titles_and_charts(demo: seed.Summary) -> None:
    html = _client("admin", "en").get("/informes/contratos/").content.decode()
    assert "By institution" in html and "Por institución" not in html
    assert 'aria-describedby="datos-institution"' in html and 'id="datos-institution"' in html


def test_a_bad_filter_is_a_400_naming_the_field(demo: seed.Summary) -> None:
    response = _client("admin").get("/informes/contratos/?desde=ayer")
    assert response.status_code == 400
    html = response.content.decode()
    assert "fecha AAAA-MM-DD esperada" in html and "expected a YYYY-MM-DD" not in html


def test_the_registration_workbook_reconciles_published_and_registered(
    demo: seed.Summary,
) -> None:
    admin = User.objects.get(username="admin")
    totals = workbook_totals(_client("admin").get("/informes/registro.xlsx").content)
    row = next(v for k, v in totals.items() if k.startswith("1 "))
    expected = reconciliation.counts(reconciliation.contracts(admin))
    assert row["Contratos"] == Contract.objects.count() == sum(c.total for c in expected)
    assert row["Publicados en CompraNet"] == sum(c.published for c in expected)
    assert row["Publicados sin registrar"] == sum(c.not_registered for c in expected)
    assert row["Registrados en BESA"] == sum(c.registered for c in expected)
    late = {
        a.contract_id
        for a in Alert.objects.filter(rule="A01", subject="contract")
        if a.evidence.get("problem") != "not_registered"
    }
    assert row["Registrados tarde"] == len(late) > 0
    code = Contract.objects.values_list("buying_unit__institution__code", flat=True).first()
    one = workbook_totals(
        _client("admin").get(f"/informes/registro.xlsx?institucion={code}&hasta=2025-12-31").content
    )
    theirs = Contract.objects.filter(
        buying_unit__institution__code=code, signing_date__lte="2025-12-31"
    ).count()
    assert next(v for k, v in one.items() if k.startswith("1 "))["Contratos"] == theirs > 0


def test_the_risk_ranking_explains_each_institution_in_words(demo: seed.Summary) -> None:
    html = _client(None).get("/informes/riesgo/").content.decode()  # public
    assert "contrato con convenios modificatorios (R064)" in html or "(R0" in html
    body = _client("admin").get("/informes/riesgo.xlsx").content
    row = next(iter(workbook_totals(body).values()))
    assert row["Contratos"] == Contract.objects.count()
    assert _client("operador").get("/informes/riesgo/").status_code == 403
