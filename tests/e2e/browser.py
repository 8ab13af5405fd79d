"""Helpers for browser tests: sign in as a role, switch the language, save a screenshot.

Used with the fixtures of ``tests/e2e/conftest.py`` (``site``, ``browser``, ``page_for``); see
``tests/e2e/README.md``. Every helper drives the pages as a person would (the login form, the
ES/EN buttons of the navigation bar), so a broken form or switch fails the test using it.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from besa.demo.seed import DEMO_ACCOUNTS
from besa.signin.devices import DEMO_KEY, current_code, time_step

#: The sign-out form's action (present on every page once signed in).
LOGOUT = "/cuenta/salir/"
#: The second factor's page, after the password for oversight and administrators.
VERIFY = "/cuenta/segundo-factor/verificar/"
#: The last TOTP step whose code ``second_factor_code`` typed, per site and account.
_USED_STEP: dict[tuple[str, str], int] = {}

#: Where the browser tests save their screenshots (the issue's acceptance asks for them).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

#: The roles a browser test can be: the four demo accounts, and the citizen (not signed in).
ROLES = ("operator", "coordinator", "oversight", "admin", "citizen")

#: Chromium's flags for a container: no sandbox (no user namespaces), nothing phoning home.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@dataclass(frozen=True)
class Account:
    role: str
    username: str
    password: str


def account(role: str) -> Account:
    """The demo account of ``role`` (``besa.demo.seed.DEMO_ACCOUNTS``)."""
    for a in DEMO_ACCOUNTS:
        if a.role == role:
            return Account(a.role, a.username, a.password)
    raise KeyError(f"no demo account for role {role!r}; roles: {ROLES}")


def chromium() -> str | None:
    """Debian's chromium (or ``BESA_CHROMIUM``'s path), or None when it is not there."""
    found = os.environ.get("BESA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return found if os.access(found, os.X_OK) else None


def second_factor_code(base_url: str, username: str) -> str:
    """A code of the demo accounts' authenticator (``besa.signin.devices.DEMO_KEY``) that the
    site will accept now: the current 30-second step, or the next one when the current step's
    code was already used (a code works once); waits for the next step when both were used.
    Codes of the previous step are never typed, as the step may end before the site reads
    them."""
    device = TOTPDevice(key=DEMO_KEY)  # unsaved: only its key and its defaults (30 s, 6 digits)
    while True:
        now = time.time()
        step = time_step(device, now)
        wanted = max(step, _USED_STEP.get((base_url, username), -1) + 1)
        if wanted <= step + 1:
            _USED_STEP[(base_url, username)] = wanted
            return current_code(device, now, step_offset=wanted - step)
        time.sleep((step + 1) * device.step - now + 0.2)


def pass_second_factor(page: Any, base_url: str, username: str) -> None:
    """On the second factor's page (oversight, admin), type a code of the demo authenticator
    (``second_factor_code``) and wait to leave it; elsewhere, nothing."""
    if VERIFY not in page.url:
        return
    page.fill("#id_code", second_factor_code(base_url, username))
    with page.expect_navigation():
        page.click("form.login button[type=submit]")
    assert VERIFY not in page.url, f"{username}: the second factor was refused"


def login(page: Any, base_url: str, role: str) -> None:
    """Sign ``page`` in as the demo account of ``role`` through the login form and, for the
    roles that need it (oversight, admin), the second factor's form with a code computed from
    the demo's authenticator key (``second_factor_code``); then wait for the role's landing
    page (its work: ``besa.web.alerts.landing``) to show the sign-out button. ``citizen``
    signs nobody in: it only opens the home page."""
    if role == "citizen":
        page.goto(base_url)
        return
    who = account(role)
    page.goto(base_url.rstrip("/") + "/cuenta/entrar/")
    page.fill("#id_username", who.username)
    page.fill("#id_password", who.password)
    with page.expect_navigation():
        page.click("form.login button[type=submit]")
    assert "/cuenta/entrar/" not in page.url, f"{who.username} could not sign in"
    pass_second_factor(page, base_url, who.username)
    page.wait_for_selector(f"form[action$='{LOGOUT}'] button", state="attached")


def switch_language(page: Any, code: str) -> None:
    """Press the ES/EN button of the navigation bar and wait for the page in ``code`` (the
    choice is a cookie: it holds for the rest of the browser context)."""
    with page.expect_navigation():
        page.click(f"form.lang button[value={code}]")
    found = page.get_attribute("html", "lang")
    assert found == code, f"the language switch to {code!r} left the page in {found!r}"


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as ``var/screenshots/<name>.png``; returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def committed(write: Any) -> Any:
    """Run ``write()`` so that the live server sees what it writes, and return its result.

    On SQLite the server shares the test's connection: the write runs there (and is rolled back
    with the test). On PostgreSQL the server has connections of its own, and the test's writes
    sit in the test's open transaction, invisible to it: the write runs in a thread of its own,
    on its own connection, in autocommit, so it commits (and lasts until the module's flush)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        return write()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = write()
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
