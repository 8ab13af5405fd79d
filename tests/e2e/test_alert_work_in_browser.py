"""Alert work in a real browser (Debian's chromium), in Spanish and in English: the
coordinator lands on its dashboard and sees the alert; the oversight user lands on its inbox,
selects two justified alerts and resolves them with one bulk action and one confirmation.

The server is pytest-django's live server on the test database; the alerts are raised by the
real rules (late deliveries found by the sweep) and justified through the lifecycle.
Screenshots of each page are saved under ``var/screenshots/``.
"""

from __future__ import annotations

import base64
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.alerts.conftest import at
from tests.world import World

from besa.alerts import lifecycle
from besa.alerts.models import Alert, AlertState
from besa.alerts.sweep import sweep
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.signin.devices import current_code

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
pytestmark = pytest.mark.e2e


@pytest.fixture
def justified(world: World) -> list[Alert]:
    """Two late deliveries of contract A1, justified by its operator."""
    schedule = {
        "deliverables": [
            {
                "deliverable_id": f"D{n}",
                "description": f"Medicamentos, entrega {n}",
                "quantity": "100",
                "amount": "1000000.00",
                "due_date": due,
            }
            for n, due in ((1, "2025-08-15"), (2, "2025-08-20"))
        ]
    }
    append(
        world.contracts["A1"],
        "deliverable_schedule",
        schedule,
        actor=Actor.of(world.operator),
        occurred_at=at("2025-06-12"),
        now=at("2025-06-12"),
    )
    sweep(at("2025-08-25", 9))
    late = list(Alert.objects.filter(rule="A07").order_by("subject"))
    assert len(late) == 2
    for alert in late:
        lifecycle.act(world.operator, alert.pk, "justify", reason="Bloqueo carretero documentado")
    return late


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM reads (the
    # states after the bulk action) are plain synchronous queries, safe in this thread.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            # The test's ORM reads ran while Playwright's loop ran in this thread: their
            # connections are per context, not the ones pytest-django closes (PostgreSQL then
            # refuses to drop the test database). Same as tests/e2e/conftest.py's browser.
            connections.close_all()
            chromium.close()


def _sign_in(browser: Any, base: str, username: str, language: str) -> Any:
    page = browser.new_context().new_page()
    page.goto(base + "/cuenta/entrar/")
    if language == "en":
        page.click("form.lang button[value=en]")
    page.fill("#id_username", username)
    page.fill("#id_password", "x")
    page.click("form.login button[type=submit]")
    page.wait_for_url(lambda u: "/cuenta/entrar/" not in u)
    if "/cuenta/segundo-factor/alta/" in page.url:
        # Oversight enrols its authenticator at the first sign-in: the key is on the page.
        key = page.inner_text("code.totp-key").replace(" ", "")
        secret = base64.b32decode(key + "=" * (-len(key) % 8))
        page.fill("#id_code", current_code(TOTPDevice(key=secret.hex())))
        page.click("form.login button[type=submit]")
        page.wait_for_selector("ul.recovery-codes")
        page.click("main a.button")
        page.wait_for_url(lambda u: "/segundo-factor/" not in u)
    return page


@pytest.mark.parametrize(
    ("language", "rule", "resolve", "resolved"),
    [
        ("es", "Entrega atrasada", "Solventar", "Solventada"),
        ("en", "Late delivery", "Resolve", "Resolved"),
    ],
)
def test_the_coordinator_sees_the_alert_and_oversight_resolves_two_in_bulk(
    live_server: Any,
    world: World,
    justified: list[Alert],
    browser: Any,
    language: str,
    rule: str,
    resolve: str,
    resolved: str,
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url

    coordinator = _sign_in(browser, base, "coord", language)
    assert coordinator.url.endswith("/tablero/")
    by_rule = coordinator.locator("[data-testid=by-rule]")
    assert rule in by_rule.inner_text()
    assert coordinator.locator("html").get_attribute("lang") == language
    coordinator.screenshot(path=str(SCREENSHOTS / f"dashboard-{language}.png"), full_page=True)
    # From the rule's count on the dashboard to its alerts, then to delivery D1's. (The
    # "most recent" table holds the ten newest alerts of the institution: the world's own
    # may fill it, and two alerts opened by one sweep tie on their time.)
    coordinator.locator("[data-testid=by-rule] tr", has_text=rule).locator("a").click()
    coordinator.wait_for_url(lambda u: "rule=A07" in u)
    coordinator.locator("[data-testid=alert-row]", has_text="D1").locator("a").first.click()
    evidence = coordinator.locator("[data-testid=alert-evidence]").inner_text()
    assert ("15 de agosto de 2025" if language == "es" else "August 15, 2025") in evidence
    coordinator.screenshot(path=str(SCREENSHOTS / f"alert-{language}.png"), full_page=True)

    oversight = _sign_in(browser, base, "oic", language)
    assert "/alertas/" in oversight.url
    oversight.select_option("select[name=rule]", "A07")
    oversight.select_option("select[name=state]", "justified")
    oversight.click("form.filters button[type=submit]")
    rows = oversight.locator("[data-testid=alert-row]")
    assert rows.count() == 2
    for n in range(2):
        rows.nth(n).locator("input[name=ids]").check()
    oversight.select_option("[data-testid=bulk-action]", "resolve")
    oversight.fill("[data-testid=bulk-reason]", "Justificación suficiente")
    oversight.screenshot(path=str(SCREENSHOTS / f"inbox-{language}.png"), full_page=True)
    oversight.click("[data-testid=bulk-submit]")
    confirm = oversight.locator("[data-testid=bulk-confirm]")
    assert resolve in oversight.locator("main").inner_text()
    oversight.screenshot(path=str(SCREENSHOTS / f"bulk-confirm-{language}.png"), full_page=True)
    confirm.click()
    oversight.wait_for_url("**/alertas/?*")
    assert resolved in oversight.locator("ul.messages").inner_text()
    assert oversight.locator("[data-testid=alert-row]").count() == 0  # none left justified

    states = {a.state for a in Alert.objects.filter(pk__in=[a.pk for a in justified])}
    assert states == {AlertState.RESOLVED}
    reasons = {e.reason for a in justified for e in a.events.filter(action="resolve")}
    assert reasons == {"Justificación suficiente"}
