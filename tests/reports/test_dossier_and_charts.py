"""A contract's dossier PDF carries its facts, timeline, alerts and hashes; charts are SVG
drawn offline with translated titles and go with a data table."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from tests.reports.test_reports import not_blank_pages

from besa.alerts.models import Alert
from besa.demo import seed
from besa.logbook.models import Entry
from besa.registry.models import Contract, User
from besa.reports import charts
from besa.reports.dossier import dossier_pdf
from besa.reports.tables import Column, Table

pytestmark = pytest.mark.django_db


def _text(pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / "d.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True
    )
    return done.stdout.decode()


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_dossier_prints_facts_timeline_alerts_and_every_hash(
    demo: seed.Summary, language: str, tmp_path: Path
) -> None:
    contract = Contract.objects.filter(alerts__isnull=False).order_by("ocid").first()
    assert contract is not None
    pdf = dossier_pdf(contract, language)
    assert all(share > 0.005 for share in not_blank_pages(pdf, tmp_path))
    text = " ".join(_text(pdf, tmp_path).split())
    assert contract.number in text and contract.ocid in text
    compact = text.replace(" ", "")
    for entry in Entry.objects.filter(contract=contract):
        assert entry.hash in compact  # hashes may wrap across lines
    heading = "Logbook" if language == "en" else "Bitácora"
    assert heading in text and ("Page 1 of" if language == "en" else "Página 1 de") in text
    alert = Alert.objects.filter(contract=contract).first()
    assert alert is not None and f"({alert.rule})" in text


def test_a_public_dossier_withholds_individuals_as_the_portal_does(
    demo: seed.Summary, tmp_path: Path
) -> None:
    contract = Contract.objects.filter(suppliers__person_type="fisica").first()
    assert contract is not None
    person = contract.suppliers.get(person_type="fisica")
    response = Client().get(f"/informes/expediente-publico/{contract.pk}.pdf")  # no login
    assert response.status_code == 200
    text = _text(response.content, tmp_path)
    assert person.rfc not in text and person.name not in " ".join(text.split())
    assert "[reservado]" in text and contract.number in text
    private = _text(dossier_pdf(contract, "es"), tmp_path)
    assert person.rfc in private  # staff read the logbook as recorded


def test_the_dossier_download_is_scoped(demo: seed.Summary) -> None:
    coordinator = User.objects.get(username="coordinador")
    client = Client()
    client.force_login(coordinator)
    mine = Contract.objects.filter(buying_unit__institution=coordinator.institution).first()
    other = Contract.objects.exclude(buying_unit__institution=coordinator.institution).first()
    assert mine is not None and other is not None
    page = client.get(f"/contratos/{mine.pk}/").content.decode()
    assert f'href="/informes/expediente/{mine.pk}.pdf"' in page  # the contract page links it
    response = client.get(f"/informes/expediente/{mine.pk}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    public = Client().get(f"/publico/contratos/{mine.pk}/").content.decode()
    assert f'href="/informes/expediente-publico/{mine.pk}.pdf"' in public  # and the portal's
    assert client.get(f"/informes/expediente/{other.pk}.pdf").status_code == 404


def test_a_chart_is_an_svg_with_translated_titles(tmp_path: Path) -> None:
    table = Table(
        "x",
        'Salud & "otros" <2025>',
        [Column("label", "Institución"), Column("amount", "Importe", "money", summed=True)],
        [{"label": "Secretaría de Salud", "amount": Decimal("1234567.89")}],
        chart=("label", "amount"),
    )
    picture = charts.svg(table)
    assert (
        picture.startswith("<svg") and 'role="img"' in picture and "Secretaría de Salud" in picture
    )
    assert 'aria-label="Salud &amp; &quot;otros&quot; &lt;2025&gt;"' in picture  # escaped
    english = Table(
        "x",
        _("Por institución"),  # lazy, as in the reports: translated when drawn
        [Column("label", _("Institución")), Column("n", _("Contratos"), "int")],
        [{"label": "A", "n": 3}],
        chart=("label", "n"),
    )
    with translation.override("en"):
        drawn = charts.svg(english)
    assert "By institution" in drawn and "Contracts" in drawn
    english.rows = [{"label": "A", "n": 0}]
    assert charts.svg(english) == ""  # all zeros: the table alone
