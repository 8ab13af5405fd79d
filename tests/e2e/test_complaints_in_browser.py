"""A citizen, in a real Chromium and without an account, reports a suspicion about a contract
from its public page, anonymously, and gets a follow-up code; the oversight user (OIC) finds
it in its inbox and accepts it into a case; the citizen types the code again and sees the new
state. Once in Spanish and once in English. Then: the same connection sending report after
report is refused with a page that says when to try again; a buying unit's operator is told
why it cannot open the inbox.

Screenshots of each page are saved under ``var/screenshots/complaints-*.png`` (and copied to
``BESA_SCREENSHOT_COPY`` when set)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.browser import screenshot
from tests.e2e.conftest import Site

pytestmark = pytest.mark.e2e

WORDS = {
    "es": {
        "link": "Denunciar una sospecha",
        "received": "Recibida, en revisión",
        "accepted": "Aceptada en un expediente",
        "inbox": "Denuncias ciudadanas",
        "too_many": "Podrá enviar la suya a partir del",
        "refused": "solo las ve el área fiscalizadora",
    },
    "en": {
        "link": "Report a suspicion",
        "received": "Received, under review",
        "accepted": "Accepted into a case",
        "inbox": "Citizen reports",
        "too_many": "You can send yours from",
        "refused": "seen only by the oversight body",
    },
}


def _shot(page: Any, name: str) -> None:
    path = screenshot(page, f"complaints-{name}")
    copy = os.environ.get("BESA_SCREENSHOT_COPY")
    if copy:
        Path(copy).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(copy) / path.name)


def _contract(site: Site) -> str:
    """A contract the demo's oversight user oversees (its id)."""
    return site.defective["oversight"][0][1]


def _follow(page: Any, site: Site, code: str) -> str:
    page.goto(site("/publico/denuncias/seguimiento/"))
    page.fill("[data-testid=follow-up-code-input]", code)
    with page.expect_navigation():
        page.click("[data-testid=follow-up-submit]")
    return str(page.inner_text("[data-testid=follow-up-state]"))


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_citizen_reports_anonymously_and_sees_the_oversight_body_accept_it(
    site: Site, page_for: Any, language: str, settings: Any
) -> None:
    settings.BESA_COMPLAINTS_PER_ADDRESS_PER_HOUR = 1000  # other tests file from this address
    words = WORDS[language]
    contract_id = _contract(site)
    citizen = page_for("citizen", language)
    citizen.goto(site(f"/publico/contratos/{contract_id}/"))
    _shot(citizen, f"portal-contract-{language}")
    with citizen.expect_navigation():
        citizen.get_by_role("link", name=words["link"]).click()
    # One question of substance, then the choice of anonymity (anonymous is the default).
    _shot(citizen, f"form-{language}")
    assert citizen.is_checked("[data-testid=report-anonymous]")
    facts = (
        f"Entrega facturada y no recibida en el almacén de la clínica ({language}), el 3 de marzo."
    )
    citizen.fill("[data-testid=report-text]", "corto")
    with citizen.expect_navigation():
        citizen.click("[data-testid=report-submit]")
    summary = citizen.inner_text("[data-testid=error-summary]")
    assert "30" in summary  # the error says how much to write
    _shot(citizen, f"form-error-{language}")
    citizen.fill("[data-testid=report-text]", facts)
    with citizen.expect_navigation():
        citizen.click("[data-testid=report-submit]")
    code = citizen.inner_text("[data-testid=follow-up-code]").strip()
    assert len(code) == 19 and code.count("-") == 3
    assert code not in citizen.url
    _shot(citizen, f"receipt-{language}")

    assert words["received"] in _follow(citizen, site, code)
    _shot(citizen, f"status-received-{language}")

    oic = page_for("oversight", language)
    with oic.expect_navigation():
        oic.click("nav a[href='/denuncias/']")
    assert words["inbox"] in oic.inner_text("h1")
    _shot(oic, f"inbox-{language}")
    with oic.expect_navigation():
        oic.click("[data-testid=complaint-link] >> nth=0")
    assert facts in oic.inner_text("[data-testid=complaint-text]")
    _shot(oic, f"detail-{language}")
    # The case reference left blank: a new audit case is opened from the report.
    with oic.expect_navigation():
        oic.click("[data-testid=accept]")
    assert words["accepted"] in oic.inner_text("[data-testid=complaint-state]")
    _shot(oic, f"accepted-{language}")

    seen = _follow(citizen, site, code.lower().replace("-", " "))
    assert words["accepted"] in seen
    number = oic.inner_text("[data-testid=complaint-case]")
    assert number and number not in citizen.inner_text("main")  # the case stays internal
    _shot(citizen, f"status-accepted-{language}")


@pytest.mark.parametrize("language", ["es", "en"])
def test_repeated_reports_from_one_connection_are_refused_with_when_to_retry(
    site: Site, page_for: Any, language: str, settings: Any
) -> None:
    settings.BESA_COMPLAINTS_PER_ADDRESS_PER_HOUR = 1
    settings.BESA_COMPLAINTS_PER_CONTRACT_PER_DAY = 1000
    citizen = page_for("citizen", language)
    refused = None
    for attempt in range(2):
        citizen.goto(site(f"/publico/contratos/{_contract(site)}/denunciar/"))
        citizen.fill("[data-testid=report-text]", f"Intento {attempt}: " + "texto repetido " * 5)
        with citizen.expect_navigation() as navigation:
            citizen.click("[data-testid=report-submit]")
        refused = navigation.value
    assert refused is not None and refused.status == 429
    assert WORDS[language]["too_many"] in citizen.inner_text("[data-testid=error-summary]")
    assert citizen.input_value("[data-testid=report-text]").startswith("Intento 1")
    _shot(citizen, f"too-many-{language}")


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_inbox_as_the_administrator_and_refused_to_an_operator(
    site: Site, page_for: Any, language: str, settings: Any
) -> None:
    settings.BESA_COMPLAINTS_PER_ADDRESS_PER_HOUR = 1000
    citizen = page_for("citizen", language)
    citizen.goto(site(f"/publico/contratos/{_contract(site)}/denunciar/"))
    citizen.fill("[data-testid=report-text]", f"Marca distinta a la contratada ({language}).")
    citizen.check("[data-testid=report-identified]")
    citizen.fill("#f-name", "Persona Denunciante")
    citizen.fill("#f-email", "denuncia@example.mx")
    with citizen.expect_navigation():
        citizen.click("[data-testid=report-submit]")
    assert "Persona Denunciante" not in citizen.inner_text("main")
    admin = page_for("admin", language)
    admin.goto(site("/denuncias/?estado=todas"))
    assert WORDS[language]["inbox"] in admin.inner_text("h1")
    _shot(admin, f"inbox-admin-{language}")
    with admin.expect_navigation():
        admin.click("[data-testid=complaint-link] >> nth=0")
    assert f"({language})" in admin.inner_text("[data-testid=complaint-text]")
    assert "Persona Denunciante" in admin.inner_text("[data-testid=complaint-reporter]")
    _shot(admin, f"detail-admin-{language}")
    operator = page_for("operator", language)
    response = operator.goto(site("/denuncias/"))
    assert response is not None and response.status == 403
    assert WORDS[language]["refused"] in operator.inner_text("main")
    assert operator.locator("nav a[href='/denuncias/']").count() == 0
    _shot(operator, f"refused-operator-{language}")
