"""An operator, in a real Chromium, registers a contract and records its life from the web
forms: a guarantee, a delivery schedule and a delivery, a CFDI and a late payment, and sees
the late-payment alert (A12) named on the receipts and on the contract page; a form error
keeps what was typed. Once in Spanish and once in English (the language switch)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from tests.world import build_world

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

#: What each language's pages say, where the test reads words.
WORDS = {
    "es": {
        "problem": "Hay un problema",
        "will_open": "Abrirá la alerta",
        "opened": "Abrió la alerta",
        "stays": "seguirá abierta",
        "late": "días tarde",
        "logbook": "Bitácora",
    },
    "en": {
        "problem": "There is a problem",
        "will_open": "Will open the alert",
        "opened": "Opened the alert",
        "stays": "will stay open",
        "late": "days late",
        "logbook": "Logbook",
    },
}


def _day(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def _continue_and_confirm(page: Any) -> None:
    page.click("form[data-testid=entry-form] button[name=step][value=check]")
    page.wait_for_selector("[data-testid=confirm-form]")
    page.click("[data-testid=confirm-form] button[name=step][value=confirm]")
    page.wait_for_selector("[data-testid=receipt]")


def _record(page: Any, kind: str, fields: dict[str, str], selects: dict[str, str]) -> None:
    page.click(f"[data-testid=record-actions] a[data-kind={kind}]")
    page.wait_for_selector("[data-testid=entry-form]")
    for selector, value in selects.items():
        page.select_option(selector, value)
    for selector, value in fields.items():
        page.fill(selector, value)


@pytest.mark.parametrize("language", ["es", "en"])
def test_an_operator_registers_and_records_a_late_payment_and_sees_a12(
    live_server: Any, language: str
) -> None:
    from playwright.sync_api import sync_playwright

    world = build_world()
    words = WORDS[language]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    url = live_server.url
    number = f"E2E-{language}-1"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=_ARGS)
        try:
            page = browser.new_page()
            page.goto(url + "/cuenta/entrar/")
            if language == "en":
                page.click("button[name=language][value=en]")
                page.wait_for_load_state()
            page.fill("#id_username", world.operator.username)
            page.fill("#id_password", "x")
            page.click("form.login button[type=submit]")
            page.wait_for_url("**/mi-trabajo/")  # the operator lands on its work
            page.goto(url + "/contratos/")
            assert page.locator("html").get_attribute("lang") == language

            # Register, first with a mistake: the error is summarised and the input kept.
            page.click("[data-testid=register-contract]")
            page.select_option("#f-buying_unit", "A1")
            page.fill("#f-contract-number", number)
            page.fill("#f-contract-title", "Medicamentos oncológicos")
            page.select_option("#f-contract-procedure_type", "licitacion_publica")
            page.select_option("#f-contract-contracting_type", "adquisicion")
            page.select_option("#f-contract-character", "nacional")
            page.fill("#f-contract-signing_date", _day(-100))
            page.fill("#f-contract-start_date", _day(-99))
            page.fill("#f-contract-end_date", _day(200))
            page.fill("#f-contract-amount", "veinte millones")
            page.fill("#f-contract-guarantee_percent", "10")
            page.fill("#f-contract-penalty_rate_percent", "0.5")
            page.fill("#f-suppliers-0-rfc", world.supplier.rfc)
            page.fill("#f-suppliers-0-name", world.supplier.name)
            page.click("form[data-testid=entry-form] button[name=step][value=check]")
            summary = page.locator("[data-testid=error-summary]")
            assert words["problem"] in summary.inner_text()
            assert page.input_value("#f-contract-number") == number
            assert page.input_value("#f-contract-amount") == "veinte millones"
            page.screenshot(path=str(SCREENSHOTS / f"registration-error-{language}.png"))
            page.fill("#f-contract-amount", "20,000,000.00")
            _continue_and_confirm(page)
            assert len(page.inner_text("[data-testid=receipt-hash]")) == 64
            page.click("main a >> nth=0")  # the contract's number, above the receipt

            # Guarantee, delivery schedule, delivery.
            _record(
                page,
                "guarantee",
                {
                    "#f-guarantee_id": "G-1",
                    "#f-amount": "2000000",
                    "#f-beneficiary": "Tesorería de la Federación",
                    "#f-date_received": _day(-95),
                    "#f-valid_until": _day(400),
                },
                {"#f-type": "performance", "#f-instrument": "surety_bond"},
            )
            _continue_and_confirm(page)
            page.click("main a >> nth=0")
            _record(
                page,
                "deliverable_schedule",
                {
                    "#f-deliverables-0-deliverable_id": "E1",
                    "#f-deliverables-0-description": "Lote único",
                    "#f-deliverables-0-quantity": "100",
                    "#f-deliverables-0-amount": "20000000",
                    "#f-deliverables-0-due_date": _day(-60),
                },
                {},
            )
            _continue_and_confirm(page)
            page.click("main a >> nth=0")
            _record(
                page,
                "delivery",
                {
                    "#f-date": _day(-62),
                    "#f-quantity_received": "100",
                    "#f-quantity_accepted": "100",
                },
                {"#f-deliverable_id": "E1", "#f-result": "accepted"},
            )
            _continue_and_confirm(page)
            page.click("main a >> nth=0")

            # The CFDI, received 45 days ago and still unpaid: A12 opens with it.
            _record(
                page,
                "invoice",
                {
                    "#f-uuid": "6F2A1C3E-9B8D-4E7F-A1B2-C3D4E5F60718",
                    "#f-issue_date": _day(-45),
                    "#f-date_received": _day(-45),
                    "#f-issuer_rfc": world.supplier.rfc,
                    "#f-receiver_rfc": world.inst_a.rfc,
                    "#f-subtotal": "20000000",
                    "#f-taxes": "3200000",
                    "#f-total": "23200000",
                },
                {"#f-payment_method": "PUE"},
            )
            page.click("form[data-testid=entry-form] button[name=step][value=check]")
            consequences = page.inner_text("[data-testid=consequences]")
            assert words["will_open"] in consequences and "(A12)" in consequences
            page.click("[data-testid=confirm-form] button[name=step][value=confirm]")
            triggered = page.inner_text("[data-testid=triggered]")
            assert words["opened"] in triggered and "(A12)" in triggered
            page.click("main a >> nth=0")

            # The late payment: the confirmation says the alert stays open, paid N days late.
            _record(
                page,
                "payment",
                {
                    "#f-date": _day(-5),
                    "#f-amount": "23200000",
                    "#f-invoice_uuids": "6F2A1C3E-9B8D-4E7F-A1B2-C3D4E5F60718",
                },
                {},
            )
            page.click("form[data-testid=entry-form] button[name=step][value=check]")
            consequences = page.inner_text("[data-testid=consequences]")
            assert "(A12)" in consequences and words["stays"] in consequences
            assert words["late"] in consequences
            page.screenshot(path=str(SCREENSHOTS / f"payment-confirmation-{language}.png"))
            page.click("[data-testid=confirm-form] button[name=step][value=confirm]")
            page.wait_for_selector("[data-testid=receipt]")
            page.click("main a >> nth=0")
            assert words["logbook"] in page.inner_text("main")
            assert "A12" in page.inner_text("main")
            assert page.locator("[data-testid=logbook] li.timeline-entry").count() == 6
            page.screenshot(
                path=str(SCREENSHOTS / f"contract-timeline-{language}.png"), full_page=True
            )
        finally:
            browser.close()
