"""In a real Chromium: an operator attaches the signed contract marked public and an ID card
left unmarked; a citizen without an account sees and downloads the first on the portal's
contract page and gets 404 for the second. Spanish and English."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots-n14")
WORDS = {
    "es": {"attach": "Adjuntar documento", "public": "Público en el portal"},
    "en": {"attach": "Attach document", "public": "Public on the portal"},
}


def test_a_citizen_downloads_only_the_documents_marked_public(site: Any, page_for: Any) -> None:
    SHOTS.mkdir(exist_ok=True)
    _ocid, contract_id = site.defective["operator"][0]
    for language, words in WORDS.items():
        signed = f"%PDF-1.4\n% contrato firmado {language}\n%%EOF\n".encode()
        card = f"%PDF-1.4\n% identificacion {language}\n%%EOF\n".encode()
        operator = page_for("operator", language)
        operator.goto(site(f"/contratos/{contract_id}/"))
        for title, data, public in (("Contrato firmado", signed, True), ("INE", card, False)):
            form = operator.locator("[data-testid=attach-form]")
            form.locator("input[name=title]").fill(f"{title} {language}")
            form.locator("input[type=file]").set_input_files(
                {"name": f"{title}.pdf", "mimeType": "application/pdf", "buffer": data}
            )
            if public:
                form.locator("[data-testid=attach-public]").check()
            form.locator(f"button:text('{words['attach']}')").click()
            operator.wait_for_selector("[data-testid=documents]")
        assert (
            operator.locator("[data-testid=document-public]").first.inner_text()
            == (words["public"])
        )
        assert operator.locator("[data-testid=document-publish]").count() >= 1
        operator.locator("[data-testid=documents]").screenshot(
            path=str(SHOTS / f"operator-documents-{language}.png")
        )

        operator.goto(site(f"/contratos/{contract_id}/registrar/document/"))
        operator.locator("[data-testid=attachments-public]").check()
        operator.locator("fieldset.documents").screenshot(
            path=str(SHOTS / f"operator-entry-form-{language}.png")
        )

        citizen = page_for("citizen", language)
        citizen.goto(site(f"/publico/contratos/{contract_id}/"))
        links = citizen.locator("[data-testid=portal-document-link]")
        assert f"Contrato firmado {language}" in links.all_inner_texts()
        assert f"INE {language}" not in links.all_inner_texts()
        citizen.screenshot(path=str(SHOTS / f"citizen-contract-{language}.png"), full_page=True)
        base = site(f"/publico/contratos/{contract_id}/documentos/")
        shown = citizen.request.get(base + hashlib.sha256(signed).hexdigest() + "/")
        assert shown.status == 200 and shown.body() == signed
        hidden = citizen.request.get(base + hashlib.sha256(card).hexdigest() + "/")
        assert hidden.status == 404


@pytest.fixture(autouse=True)
def _chromium_present() -> None:
    assert shutil.which("chromium") or Path("/usr/bin/chromium").exists()
