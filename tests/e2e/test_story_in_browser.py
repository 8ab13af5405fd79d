"""In a real Chromium against a live server: an operator attaches an evidence document to a
contract and downloads it, sees the contract's facts in Spanish and in English, and exports
the contract list as a background job that the worker runs. Screenshots go to
``var/screenshots/``."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone
from tests.world import World, build_world

from besa.jobs import runner

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parents[2] / "var" / "screenshots"
pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% acta de entrega-recepcion E1\n%%EOF\n"
_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture
def story_world(
    live_server: object, monkeypatch: pytest.MonkeyPatch, settings: pytest.FixtureRequest,
    tmp_path: Path,
) -> Iterator[World]:  # fmt: skip
    # The test thread reads the database between browser steps, while Playwright's sync API
    # keeps an event loop in this thread; the reads are ordinary synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield build_world()


def _sign_in(page: object, url: str, username: str) -> None:
    page.goto(url + "/cuenta/entrar/")  # type: ignore[attr-defined]
    page.fill("#id_username", username)  # type: ignore[attr-defined]
    page.fill("#id_password", "x")  # type: ignore[attr-defined]
    page.click("form.login button[type=submit]")  # type: ignore[attr-defined]
    # Each role lands on its work (besa.web.alerts.landing): the operator on "my work".
    page.wait_for_url("**/mi-trabajo/")  # type: ignore[attr-defined]


def test_attach_download_facts_in_two_languages_and_a_background_export(
    live_server: object, story_world: World
) -> None:
    from playwright.sync_api import sync_playwright

    url = str(live_server)
    contract = story_world.contracts["A1"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=_ARGS)
        try:
            page = browser.new_context(accept_downloads=True).new_page()
            _sign_in(page, url, "oper")
            page.goto(f"{url}/contratos/{contract.pk}/")
            head = page.inner_text("[data-testid=contract-head]")
            assert "Adquisición de medicamentos" in head and "Institución A" in head
            assert "Registrado" in page.inner_text("[data-testid=contract-status]")
            facts = page.inner_text("[data-testid=facts]")
            assert "Avance del contrato" in facts and "$20,000,000.00" in facts
            assert "sin convenios modificatorios" in facts

            # Attach: an executable named .pdf is refused, the real PDF is kept.
            form = page.locator("[data-testid=attach-form]")
            form.locator("#doc-title").fill("Acta de entrega-recepción E1")
            form.locator("#doc-file").set_input_files(
                {"name": "acta.pdf", "mimeType": "application/pdf", "buffer": b"MZ" + b"\0" * 64}
            )
            form.locator("button[type=submit]").click()
            assert "«acta.pdf» es un programa ejecutable" in page.inner_text("ul.messages")
            form = page.locator("[data-testid=attach-form]")
            form.locator("#doc-title").fill("Acta de entrega-recepción E1")
            form.locator("#doc-file").set_input_files(
                {"name": "acta-e1.pdf", "mimeType": "application/pdf", "buffer": PDF}
            )
            form.locator("button[type=submit]").click()
            assert "adjuntado" in page.inner_text("ul.messages")
            link = page.locator("[data-testid=document-link]", has_text="Acta de entrega")
            assert hashlib.sha256(PDF).hexdigest() in (link.get_attribute("href") or "")
            page.screenshot(
                path=str(SCREENSHOTS / "contract-facts-documents-es.png"), full_page=True
            )
            with page.expect_download() as download:
                link.click()
            assert download.value.suggested_filename == "acta-e1.pdf"
            assert Path(download.value.path()).read_bytes() == PDF

            # The same page in English (an entry recorded after the start date: in execution).
            page.click("form.lang button[value=en]")
            page.wait_for_selector("html[lang=en]")
            assert "In execution" in page.inner_text("[data-testid=contract-status]")
            facts = page.inner_text("[data-testid=facts]")
            assert "Contract progress" in facts and "MX$20,000,000.00" in facts
            assert "no amendments" in facts and "Avance" not in facts
            assert "Acta de entrega-recepción E1" in page.inner_text("[data-testid=documents]")
            page.screenshot(
                path=str(SCREENSHOTS / "contract-facts-documents-en.png"), full_page=True
            )

            # A background export of the contract list, run by the worker's job.
            page.goto(f"{url}/contratos/")
            page.locator("[data-testid=export-form] button[value=csv]").click()
            page.wait_for_url("**/trabajos/*/")
            assert page.inner_text("[data-testid=job-state]") == "Waiting"
            assert runner.run_jobs(timezone.now()) == 1
            page.wait_for_selector("[data-testid=job][data-state=done]", timeout=15_000)
            assert "Contracts exported" in page.inner_text("[data-testid=job-report]")
            page.screenshot(path=str(SCREENSHOTS / "job-export-en.png"), full_page=True)
            with page.expect_download() as exported:
                page.click("[data-testid=job-result]")
            lines = Path(exported.value.path()).read_text(encoding="utf-8-sig").splitlines()
            assert lines[0].startswith("Number,Title") and len(lines) == 2  # A1 only
        finally:
            browser.close()
    assert os.path.getsize(SCREENSHOTS / "contract-facts-documents-es.png") > 0
