"""Sign-in security in a real browser: the lock-out page, enrolment of an authenticator from
the QR page's key, verification, the access-log page, and no Content Security Policy
violation on the main pages of each role (es and en). Screenshots in var/screenshots/."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

import pytest
from axes.models import AccessAttempt
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.e2e.browser import account, committed, screenshot, switch_language

from besa.registry.models import Institution, Role, User
from besa.signin.devices import current_code

pytestmark = pytest.mark.e2e

#: The pages every signed-in role opens, plus role-specific ones.
PAGES = ["/", "/informes/", "/publico/", "/datos-abiertos/"]
SIGNED_IN = ["/contratos/", "/alertas/", "/trabajos/", "/cuenta/segundo-factor/"]
EXTRA = {
    "citizen": ["/riesgo/"],
    "coordinator": [*SIGNED_IN, "/riesgo/", "/tablero/", "/datos-faltantes/"],
    "operator": [*SIGNED_IN, "/mi-trabajo/", "/contratos/registrar/"],
    "oversight": [*SIGNED_IN, "/riesgo/", "/tablero/", "/registro-de-accesos/"],
    "admin": [*SIGNED_IN, "/registro-de-accesos/", "/admin/", "/api/docs", "/riesgo/red/"],
}


@pytest.fixture(autouse=True)
def _no_lock_out_left() -> Iterator[None]:
    """Each test starts with no failed sign-ins on record: the lock-out test locks the
    browser's address, and on PostgreSQL the live server's records outlive the test."""
    yield
    committed(lambda: AccessAttempt.objects.all().delete())


def _watch_policy(page: Any) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return violations


@pytest.mark.parametrize("role", ["operator", "coordinator", "oversight", "admin", "citizen"])
def test_the_main_pages_break_no_content_security_policy(
    site: Any, page_for: Any, role: str
) -> None:
    page = page_for(role)
    violations = _watch_policy(page)
    pages = PAGES + EXTRA.get(role, [])
    contract = next(iter(site.defective.get(role, [])), None)
    if contract:
        pages.append(f"/contratos/{contract[1]}/")
    for path in pages:
        response = page.goto(site(path))
        assert response is not None and response.status < 400, path
        assert response.headers.get("content-security-policy", "").find("script-src 'self'") >= 0
        page.wait_for_load_state("load")
    assert violations == []


def test_locked_out_then_told_how_long_to_wait(site: Any, browser: Any) -> None:
    try:
        _lock_out(site, browser)
    finally:
        # The lock-out by address would also lock the next tests' browser (same address);
        # on PostgreSQL the attempts are committed until the module's flush.
        from axes.utils import reset

        committed(reset)


def _lock_out(site: Any, browser: Any) -> None:
    for language in ("es", "en"):
        context = browser.new_context()
        page = context.new_page()
        page.goto(site("/"))
        if language == "en":
            switch_language(page, "en")
        page.goto(site("/cuenta/entrar/"))
        screenshot(page, f"signin-login-{language}")
        for _ in range(5):
            page.fill("#id_username", f"nadie-{language}")
            page.fill("#id_password", "incorrecta")
            with page.expect_navigation():
                page.click("form.login button[type=submit]")
        text = page.inner_text("main")
        expected = "Entrada bloqueada" if language == "es" else "Sign-in locked"
        assert expected in text, text
        screenshot(page, f"signin-locked-{language}")
        context.close()


def test_a_new_oversight_user_enrols_an_authenticator_and_then_verifies(
    site: Any, browser: Any
) -> None:
    for language in ("es", "en"):
        name = f"oic-nuevo-{language}"

        def new_user(name: str = name) -> None:
            user = User.objects.create_user(name, password="besa-nuevo-2026", role=Role.OVERSIGHT)
            user.oversees.set(Institution.objects.all()[:1])

        committed(new_user)
        context = browser.new_context()
        page = context.new_page()
        page.goto(site("/"))
        if language == "en":
            switch_language(page, "en")
        page.goto(site("/cuenta/entrar/"))
        page.fill("#id_username", name)
        page.fill("#id_password", "besa-nuevo-2026")
        with page.expect_navigation():
            page.click("form.login button[type=submit]")
        assert "/cuenta/segundo-factor/alta/" in page.url
        assert page.locator("figure.qr svg").count() == 1
        screenshot(page, f"signin-enrol-{language}")
        key = page.inner_text("code.totp-key").replace(" ", "")
        secret = base64.b32decode(key + "=" * (-len(key) % 8))
        code = current_code(TOTPDevice(key=secret.hex()))
        page.fill("#id_code", code)
        with page.expect_navigation():
            page.click("form.login button[type=submit]")
        codes = page.locator("ul.recovery-codes code").all_inner_texts()
        assert len(codes) == 10
        screenshot(page, f"signin-recovery-codes-{language}")
        page.click("main a.button")
        page.wait_for_selector("form[action$='/cuenta/salir/'] button", state="attached")
        assert "/segundo-factor/" not in page.url
        context.close()
        # Next time: the verification page; a recovery code opens it.
        context = browser.new_context()
        page = context.new_page()
        page.goto(site("/"))
        if language == "en":
            switch_language(page, "en")
        page.goto(site("/cuenta/entrar/"))
        page.fill("#id_username", name)
        page.fill("#id_password", "besa-nuevo-2026")
        with page.expect_navigation():
            page.click("form.login button[type=submit]")
        assert "/cuenta/segundo-factor/verificar/" in page.url
        screenshot(page, f"signin-verify-{language}")
        page.fill("#id_code", codes[0])
        with page.expect_navigation():
            page.click("form.login button[type=submit]")
        assert "/segundo-factor/" not in page.url
        screenshot(page, f"signin-after-recovery-code-{language}")
        context.close()


@pytest.mark.parametrize("language", ["es", "en"])
def test_oversight_finds_its_own_read_in_the_access_log(
    site: Any, page_for: Any, language: str
) -> None:
    page = page_for("oversight", language)
    ocid, contract_id = site.defective["oversight"][0]
    page.goto(site(f"/contratos/{contract_id}/"))
    page.click("nav >> text=" + ("Registro de accesos" if language == "es" else "Access log"))
    page.fill("input[name=contract]", ocid)
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    rows = page.locator("table tbody tr")
    assert rows.count() >= 1
    first = rows.first.inner_text()
    assert account("oversight").username in first and ocid in first
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", first)
    screenshot(page, f"signin-access-log-{language}")
