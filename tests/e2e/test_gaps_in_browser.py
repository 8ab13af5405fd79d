"""A real Chromium: an operator finds an imported contract on the reconciliation page, reviews
and confirms its pre-filled registration, and reads on the data-gaps page what the unit still
has to record and by when (issue 12 items 5-6)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from tests.world import build_world

from besa.alerts import words
from besa.alerts.models import DataGap
from besa.jurisdiction import from_env
from besa.logbook.actor import Actor
from besa.logbook.models import Entry
from besa.registration import SupplierShare, register_contract
from besa.registry.models import Contract

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.e2e


def test_an_operator_confirms_an_imported_contract_and_sees_its_gaps(
    live_server: Any, transactional_logbook: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import sync_playwright

    world = build_world()
    today = timezone.now().astimezone(from_env().zone).date()
    contract = register_contract(
        Actor.system("import:ocds"),
        buying_unit=world.units["A1"],
        suppliers=[SupplierShare(world.supplier)],
        number="PUB-E2E-1",
        title="Suministro publicado",
        contracting_type="adquisicion",
        procedure_type="licitacion_publica",
        signing_date=today - dt.timedelta(days=1),
        start_date=today,
        end_date=today + dt.timedelta(days=200),
        amount=Decimal("20000000.00"),
        currency="MXN",
    )
    due = DataGap.objects.get(contract=contract, item="budget_sufficiency").due_on
    assert due is not None
    # Playwright's sync API runs an event loop in this thread; the ORM calls after it are
    # ordinary synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(live_server.url + "/cuenta/entrar/")
        page.fill("#id_username", "oper")
        page.fill("#id_password", "x")
        page.click("form.login button[type=submit]")
        page.wait_for_url("**/mi-trabajo/")  # the operator lands on its work
        page.click("nav >> text=Conciliación")
        row = page.locator(f'tr[data-ocid="{contract.ocid}"]')
        assert "Publicado, en plazo de confirmar" in row.inner_text()
        row.locator("text=Revisar y confirmar").click()
        assert page.input_value("#f-title") == "Suministro publicado"
        page.fill("#f-title", "Suministro de medicamentos")
        page.click("text=Confirmar registro >> nth=-1")
        page.wait_for_url(f"**/contratos/{contract.pk}/")
        assert "Registro confirmado por la unidad compradora." in page.content()
        # The contract page's header (story) shows the title as its heading.
        assert page.locator("h1").inner_text() == "Suministro de medicamentos"
        page.click("nav >> text=Datos faltantes")
        gaps = page.locator(f'table[data-testid=gaps] tr[data-ocid="{contract.ocid}"]')
        text = gaps.all_inner_texts()
        assert any(
            "Suficiencia presupuestaria" in t and f"A más tardar el {words.date(due, 'es')}" in t
            for t in text
        ), text
        page.click("nav >> text=Conciliación")
        assert (
            "Publicado y confirmado"
            in page.locator(f'tr[data-ocid="{contract.ocid}"]').inner_text()
        )
        browser.close()
    entry = Entry.objects.get(contract=contract, kind="rectification")
    assert entry.actor["user"] == "oper"
    assert Contract.objects.get(pk=contract.pk).title == "Suministro de medicamentos"
