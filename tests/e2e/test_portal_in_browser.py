"""A citizen, in a real Chromium and without an account, searches the portal by a supplier's
RFC, opens the contract, downloads its OCDS record and its verifiable record, and checks the
record with the standalone verifier (a subprocess, standard library only) against the
published checkpoints; then changes one byte and sees the verifier name the entry. Once in
Spanish and once in English (the language switch)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.logbook.test_append import SUFFICIENCY
from tests.world import build_world, make_contract

from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.checkpoints import make_checkpoint
from besa.registry.registration import register_supplier

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
COMPANY_RFC = "XIA190128J61"

WORDS = {
    "es": {
        "title": "Consulta ciudadana de contratos",
        "one": "1 contrato",
        "logbook": "Bitácora",
        "kind": "Suficiencia presupuestaria",
        "record": "Registro verificable (JSON)",
        "ocds": "Registro OCDS (JSON)",
    },
    "en": {
        "title": "Citizens' contract search",
        "one": "1 contract",
        "logbook": "Logbook",
        "kind": "Budget sufficiency",
        "record": "Verifiable record (JSON)",
        "ocds": "OCDS record (JSON)",
    },
}


def _verifier(*args: str | Path) -> subprocess.CompletedProcess[str]:
    script = Path(__file__).resolve().parents[2] / "src/besa/logbook/verify_record.py"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-I", "-S", str(script), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_citizen_finds_a_contract_by_rfc_downloads_and_verifies_its_record(
    live_server: Any, language: str, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    world = build_world()
    company = register_supplier(rfc=COMPANY_RFC, name="Xilografía Industrial, S.A. de C.V.")
    contract = make_contract(
        world.admin, world.units["B1"], company, number="B-PORTAL-1", amount=Decimal("3500000")
    )
    append(contract, "budget_sufficiency", SUFFICIENCY, actor=Actor.of(world.admin))
    make_checkpoint()
    # One entry newer than the last checkpoint: the record says it is not covered yet.
    later = dict(SUFFICIENCY, oficio_number="DGPyP/0999/2025")
    append(contract, "budget_sufficiency", later, actor=Actor.of(world.admin))
    words = WORDS[language]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    url = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=_ARGS)
        try:
            context = browser.new_context(accept_downloads=True)
            page = context.new_page()
            page.goto(url + "/")
            if language == "en":
                page.click("button[name=language][value=en]")
                page.wait_for_load_state()
            page.click("header nav a[href='/publico/']")
            page.wait_for_selector("[data-testid=portal-search]")
            assert page.locator("h1").inner_text() == words["title"]
            assert page.locator("html").get_attribute("lang") == language

            page.fill("#proveedor", COMPANY_RFC)
            page.click("[data-testid=portal-search] button[type=submit]")
            page.wait_for_url(f"**/publico/?*proveedor={COMPANY_RFC}*")
            assert page.locator("[data-testid=portal-count]").inner_text() == words["one"]
            page.screenshot(path=str(SCREENSHOTS / f"portal-search-{language}.png"), full_page=True)

            page.click("[data-testid=portal-results] a:text('B-PORTAL-1')")
            page.wait_for_selector("[data-testid=portal-timeline]")
            body = page.locator("main").inner_text()
            assert words["logbook"] in body and words["kind"] in body
            assert "Xilografía Industrial" in body and COMPANY_RFC in body
            assert world.supplier.rfc not in page.content()
            page.screenshot(
                path=str(SCREENSHOTS / f"portal-contract-{language}.png"), full_page=True
            )

            with page.expect_download() as ocds_download:
                page.click(f"[data-testid=download-ocds]:text('{words['ocds']}')")
            ocds_path = tmp_path / "ocds.json"
            ocds_download.value.save_as(ocds_path)
            ocds = json.loads(ocds_path.read_text(encoding="utf-8"))
            assert ocds["records"][0]["ocid"] == contract.ocid

            with page.expect_download() as record_download:
                page.click(f"[data-testid=download-record]:text('{words['record']}')")
            record_path = tmp_path / "registro.json"
            record_download.value.save_as(record_path)
            with page.expect_download() as verifier_download:
                page.click("[data-testid=download-verifier]")
            verifier_path = tmp_path / "verify_record.py"
            verifier_download.value.save_as(verifier_path)
            checkpoints = page.request.get(url + "/api/opendata/checkpoints.json")
            checkpoints_path = tmp_path / "checkpoints.json"
            checkpoints_path.write_bytes(checkpoints.body())
        finally:
            browser.close()

    # The verifier the citizen downloaded is the one in the repository.
    shipped = Path(__file__).resolve().parents[2] / "src/besa/logbook/verify_record.py"
    assert verifier_path.read_bytes() == shipped.read_bytes()
    done = _verifier(record_path, "--checkpoints", checkpoints_path)
    assert done.returncode == 0, done.stderr
    assert "VERIFIED" in done.stdout
    assert "2 proven included" in done.stdout
    assert "entries 3 not yet covered by a checkpoint" in done.stdout

    raw = record_path.read_bytes()
    at = raw.index(b"DGPyP/0456/2025")
    record_path.write_bytes(raw[:at] + b"X" + raw[at + 1 :])
    entry = json.loads(raw)["entries"][1]
    failed = _verifier(record_path, "--checkpoints", checkpoints_path)
    assert failed.returncode == 1
    assert f"entry sequence 2 (id {entry['id']})" in failed.stderr
