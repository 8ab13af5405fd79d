"""The reports in a real browser over a served demo: every report page in Spanish and in
English shows its charts and tables (one screenshot each under var/screenshots/), its PDF and
workbook download, and the supplier network's labels, as the browser lays them out, stay
inside the picture and never overlap."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.e2e.browser import pass_second_factor

from besa.demo.seed import DEMO_ACCOUNTS
from besa.reports.catalogue import REPORTS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var = tmp_path_factory.mktemp("var")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BESA_", "DJANGO_"))} | {
        "BESA_DATABASE_URL": f"sqlite:///{var / 'demo.sqlite3'}",
        "BESA_VAR_DIR": str(var),
    }
    log = (var / "demo.log").open("w")
    command = [sys.executable, "-m", "besa", "demo", "--port", str(port), "--contracts", "200"]
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError((var / "demo.log").read_text())
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def _sign_in(page: object, url: str, username: str) -> None:
    password = next(a.password for a in DEMO_ACCOUNTS if a.username == username)
    page.goto(url + "cuenta/entrar/")  # type: ignore[attr-defined]
    page.fill("#id_username", username)  # type: ignore[attr-defined]
    page.fill("#id_password", password)  # type: ignore[attr-defined]
    page.click("form.login button[type=submit]")  # type: ignore[attr-defined]
    # Each role lands on its work (besa.web.alerts.landing): wait to leave the sign-in page.
    page.wait_for_url(lambda u: "/cuenta/entrar/" not in u)  # type: ignore[attr-defined]
    pass_second_factor(page, url, username)  # oversight and the administrator


def test_every_report_page_in_both_languages_with_charts_tables_and_downloads(server) -> None:
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_context(
                accept_downloads=True, viewport={"width": 1280, "height": 900}
            ).new_page()
            _sign_in(page, server, "admin")
            for language, heading in (("es", "Informes"), ("en", "Reports")):
                page.goto(server + "informes/")
                page.click(f"nav form.lang button[value={language}]")
                page.wait_for_load_state()
                page.goto(server + "informes/")
                assert page.locator("h1").inner_text() == heading
                for slug in REPORTS:
                    page.goto(f"{server}informes/{slug}/")
                    assert page.locator("figure.chart svg").count() >= 1
                    assert page.locator("table.data").count() >= 1
                    chart = page.locator("figure.chart").first
                    described = chart.get_attribute("aria-describedby")
                    assert page.locator(f"table#{described}").count() == 1
                    page.screenshot(
                        path=str(SCREENSHOTS / f"report-{slug}-{language}.png"), full_page=True
                    )
                    with page.expect_download() as pdf:
                        page.click("p.downloads a[href*='.pdf']")
                    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
                    with page.expect_download() as xlsx:
                        page.click("p.downloads a[href*='.xlsx']")
                    assert Path(xlsx.value.path()).read_bytes().startswith(b"PK")
        finally:
            browser.close()


_BOXES = """() => {
  const svg = document.querySelector('[data-testid=network-svg] svg');
  const view = svg.viewBox.baseVal;
  const texts = [...svg.querySelectorAll('text')].map(t => t.getBBox());
  const circles = [...svg.querySelectorAll('circle')].map(c => c.getBBox());
  return {view: [view.width, view.height], texts: texts.map(b => [b.x, b.y, b.x + b.width,
          b.y + b.height]), circles: circles.map(b => [b.x, b.y, b.x + b.width, b.y + b.height])};
}"""


def test_network_labels_as_drawn_by_the_browser_never_clip_or_overlap(server) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            _sign_in(page, server, "admin")
            page.goto(server + "riesgo/red/")
            found = page.evaluate(_BOXES)
            width, height = found["view"]
            texts = found["texts"]
            assert len(texts) >= 0.8 * len(found["circles"]) > 0
            for i, (x0, y0, x1, y1) in enumerate(texts):
                assert x0 >= 0 and x1 <= width and y0 >= 0 and y1 <= height
                for u0, v0, u1, v1 in texts[i + 1 :]:
                    assert x1 <= u0 or u1 <= x0 or y1 <= v0 or v1 <= y0
                for c0, d0, c1, d1 in found["circles"]:
                    assert x1 <= c0 or c1 <= x0 or y1 <= d0 or d1 <= y0
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "network.png"), full_page=True)
        finally:
            browser.close()
