"""The browser-test fixtures work as documented: every role signs in through the form and
lands where it should, the ES/EN switch changes the page's language and holds, and
screenshots are saved under var/screenshots/."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.browser import ROLES, SCREENSHOTS, screenshot
from tests.e2e.conftest import Site

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("role", ROLES)
def test_each_role_signs_in_and_switches_to_english_and_back(
    role: str, page_for: Callable[..., Any], site: Site
) -> None:
    page = page_for(role, "en")
    assert page.get_attribute("html", "lang") == "en"
    if role == "citizen":
        assert page.locator("nav >> text=Sign in").count() == 1
    else:
        assert page.url != site("/cuenta/entrar/")  # each role lands on its work
        assert page.locator("nav >> text=Sign out").count() == 1
    page.goto(site("/datos-abiertos/"))
    assert page.get_attribute("html", "lang") == "en"  # the choice holds across pages
    path = screenshot(page, f"fixtures-{role}-en")
    assert path.parent == SCREENSHOTS and path.stat().st_size > 1000


def test_the_browser_is_debians_chromium(chromium_path: str) -> None:
    assert os.access(chromium_path, os.X_OK)


@pytest.mark.parametrize(("ci", "outcome"), [("1", "1 error"), ("", "1 skipped")])
def test_a_missing_browser_is_an_error_in_ci_and_a_skip_elsewhere(ci: str, outcome: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {
        "BESA_CHROMIUM": "/nonexistent/chromium",
        **({"CI": ci} if ci else {}),
    }
    test = f"{Path(__file__)}::test_the_browser_is_debians_chromium"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-rs", test],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert outcome in run.stdout, run.stdout + run.stderr
    assert "chromium is not installed" in run.stdout
    assert run.returncode == (1 if ci else 0)
