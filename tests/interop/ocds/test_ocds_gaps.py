"""Issue 12 items 5-6 on the real samples of five Mexican publishers: importing them opens no
misconduct alert that their data do not support, and the import report and the data-gaps page
say what each contract lacks."""

from __future__ import annotations

import collections
import io
from pathlib import Path

import orjson
import pytest
import time_machine
from django.test import Client

from besa.alerts.models import Alert, DataGap
from besa.interop.importer import import_ocds
from besa.registry.models import Contract, User
from besa.registry.publication import publication_of

FIXTURES = Path(__file__).parents[2] / "fixtures" / "mexico-ocds"
PUBLISHERS = ["administracion-publica-federal", "cdmx", "grupo-aeroportuario", "inai", "jalisco"]
#: The findings the samples' own data support once their contracts are covered: a registration
#: never confirmed by the unit after the deadline (A01), a signing more than 15 days after the
#: award (A03, both dates published), a delivery milestone met after its due date or not met
#: (A07), a contract past its end date that the publisher does not report concluded (A20).
SUPPORTED = {"A01", "A03", "A07", "A20"}
#: Facts a publisher's OCDS cannot carry: their absence is a data gap, not an alert.
GAP_RULES = {"A02", "A04", "A17", "A23", "A24"}


def _jurisdiction(tmp_path: Path, covered_from: str) -> Path:
    text = (FIXTURES / "mx-federal-historic.toml").read_text()
    assert "covered_from = 2021-10-18" in text
    path = tmp_path / "mx.toml"
    path.write_text(text.replace("covered_from = 2021-10-18", f"covered_from = {covered_from}"))
    return path


def _import_all(tmp_path: Path) -> list[dict[str, object]]:
    report = io.BytesIO()
    for publisher in PUBLISHERS:
        import_ocds([FIXTURES / f"{publisher}.jsonl.gz"], publisher=publisher, report=report)
    return [orjson.loads(line) for line in report.getvalue().splitlines()]


@time_machine.travel("2026-12-04 12:00 -06:00", tick=False)
def test_the_samples_signed_before_coverage_raise_no_alert_and_their_gaps_are_reported(
    db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, client: Client
) -> None:
    monkeypatch.setenv("BESA_JURISDICTION", str(_jurisdiction(tmp_path, "2021-10-18")))
    issues = _import_all(tmp_path)
    contracts = Contract.objects.all()
    assert contracts.count() > 80
    assert not Alert.objects.exists()  # every sample predates BESA's coverage
    missing = [i for i in issues if i["action"] == "missing"]
    # Each registered contract's report names what it lacks; the same gaps are stored.
    assert len(missing) == DataGap.objects.filter(closed_at=None).count()
    reasons = collections.Counter(str(i["reason"]).split(" (")[0] for i in missing)
    assert reasons["dato faltante: suficiencia presupuestaria"] == contracts.count()
    assert all("contrato anterior a la cobertura, sin alerta" in str(i["reason"]) or
               "no juzgable" in str(i["reason"]) for i in missing)  # fmt: skip
    assert {c.pk for c in contracts} == set(DataGap.objects.values_list("contract", flat=True))
    assert all(publication_of(c.pk) is not None for c in contracts[:10])

    admin = User.objects.create_user("admin", password="x", role="admin")
    client.force_login(admin)
    html = client.get("/datos-faltantes/?institution=&page=1").content.decode()
    assert "Sin alerta: contrato anterior a la cobertura" in html
    first = DataGap.objects.select_related("contract").order_by(
        "contract__buying_unit__institution__code",
        "contract__number",
        "contract_id",
        "due_on",
        "item",
        "subject",
    )[0]
    assert first.contract.number in html
    reconciliation = client.get("/conciliacion/").content.decode()
    assert "Publicado, en plazo de confirmar" in reconciliation or (
        "Publicado y no registrado" in reconciliation
    )


@time_machine.travel("2026-12-04 12:00 -06:00", tick=False)
def test_covered_samples_raise_only_the_alerts_their_data_support(
    db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Move the coverage back so that the 2014-2018 samples are judged as current contracts.
    monkeypatch.setenv("BESA_JURISDICTION", str(_jurisdiction(tmp_path, "2010-01-01")))
    issues = _import_all(tmp_path)
    opened = collections.Counter(Alert.objects.values_list("rule", flat=True))
    assert set(opened) <= SUPPORTED, opened
    assert not set(opened) & GAP_RULES
    # A01 is "published, never registered by the unit", not "registered late at import".
    assert all(a.evidence["problem"] == "not_registered" for a in Alert.objects.filter(rule="A01"))
    assert opened["A01"] == Contract.objects.filter(amount__gte=15_000_000).count()
    # Every gap has its deadline: ten business days after the import (Friday 2026-12-04).
    due = set(DataGap.objects.filter(kind="missing").values_list("due_on", flat=True))
    assert {d.isoformat() for d in due} == {"2026-12-18"}
    assert any("debe registrarlo a más tardar el 2026-12-18" in str(i["reason"]) for i in issues)
