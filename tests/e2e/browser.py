"""Helpers for browser tests: sign in as a role, switch the language, save a screenshot.

Used with the fixtures of ``tests/e2e/conftest.py`` (``site``, ``browser``, ``page_for``); see
``tests/e2e/README.md``. Every helper drives the pages as a person would (the login form, the
ES/EN buttons of the navigation bar), so a broken form or switch fails the test using it.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from besa.demo.seed import DEMO_ACCOUNTS

#: The sign-out form's action (present on every page once signed in).
LOGOUT = "/cuenta/salir/"

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


def login(page: Any, base_url: str, role: str) -> None:
    """Sign ``page`` in as the demo account of ``role`` through the login form and wait for
    the role's landing page (its work: ``besa.web.alerts.landing``) to show the sign-out
    button. ``citizen`` signs nobody in: it only opens the home page."""
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
