"""Every page of the demo, as each role, in Spanish and in English, shows words and not codes.

The walk starts at the role's landing page (its work; the home page for a citizen),
follows every link of this site it finds (``walker.followed``), a few pages of each kind
(``PER_KIND`` per ``walker.pattern``: three contracts, not 150), and also opens the pages of
contracts that carry seeded defects (where alerts, penalties and amendments show), plus their
risk pages. Each page must answer (no 4xx/5xx behind a link the role is shown) and show no
internal code, Python repr, ``None``, bilingual pair, bare severity code, and, in English, no
Spanish UI string (``walker.problems``). A failure lists every page with what it shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from tests.e2e.browser import ROLES, screenshot
from tests.e2e.conftest import Site
from tests.e2e.walker import Shown, followed, pattern, problems

pytestmark = pytest.mark.e2e

#: Pages of one kind visited per walk (links found later of the same kind are not opened).
PER_KIND = 3
#: Contracts with seeded defects opened directly, per role (those it may see).
DEFECT_CONTRACTS = 6
#: The risk rankings a staff role can open (``besa.risk.queries.KINDS``).
RANKINGS = ("compradores", "contratos", "proveedores", "procesos")
#: A bound on one walk, so that a page linking to itself with new parameters cannot loop.
MAX_PAGES = 120

_SHOWN = """() => {
  const text = (el) => (el.innerText || "").trim();
  const all = (selector) => Array.from(document.querySelectorAll(selector)).map(text);
  // a label's own words, not the options of the list it wraps
  const own = (el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll("select, textarea, input").forEach((c) => c.remove());
    return (copy.textContent || "").trim();
  };
  return {
    text: document.body.innerText,
    // a row header (th scope=row) is data, e.g. an institution's proper name, not a label
    cells: all("td, th[scope=row], dd, .badge, .severity, [data-severity]"),
    labels: Array.from(document.querySelectorAll(
      "th:not([scope=row]), label, button:not(form.lang button), legend, caption, dt, h2, h3, "
      + "nav a, summary"
    )).map(own),
    links: Array.from(document.querySelectorAll("a[href]:not([download])")).map((a) => a.href),
  };
}"""


def _start(site: Site, role: str) -> list[str]:
    if role == "citizen":
        return [site("/")]
    defective = site.defective[role][:DEFECT_CONTRACTS]
    start = [site("/inicio/"), site("/contratos/"), site("/")]  # /inicio/: the role's work
    start += [site(f"/contratos/{pk}/") for _, pk in defective]
    if role in ("oversight", "admin"):  # the audit cases, the plan and the audits report
        start += [
            site("/auditorias/"),
            site("/auditorias/programa/"),
            site("/informes/auditorias/"),
        ]
    else:  # the requests addressed to the institution
        start += [site("/auditorias/requerimientos/")]
    if role != "operator":  # the risk pages (the operator has none)
        start += [site(f"/riesgo/?tipo={kind}") for kind in RANKINGS]
        start += [site("/riesgo/red/?fuente=licitaciones")]
        start += [site(f"/riesgo/contratos/{ocid}/") for ocid, _ in defective]
    return start


def _walk(page: Any, site: Site, role: str, language: str) -> tuple[list[str], Counter[str]]:
    queue, seen, kinds = _start(site, role), set(), Counter[str]()
    forced = set(queue)
    found: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        kind = pattern(url)
        if url not in forced and kinds[kind] >= PER_KIND:
            continue
        seen.add(url)
        kinds[kind] += 1
        try:
            response = page.goto(url)
        except PlaywrightError as exc:  # a download (a record, a dossier, an export)
            if "Download is starting" not in str(exc):
                raise
            answer = page.request.get(url)  # same session: the link must still work
            if answer.status >= 400:
                found.append(f"{url}: answers HTTP {answer.status} to a link shown to {role}")
            continue
        status = response.status if response is not None else 0
        if status >= 400:
            found.append(f"{url}: answers HTTP {status} to a link shown to {role}")
            continue
        if "html" not in (response.headers.get("content-type", "") if response else ""):
            continue
        shown = page.evaluate(_SHOWN)
        if kinds[kind] == 1:
            screenshot(page, f"walk-{role}-{language}-{_file_name(kind)}")
        found += [
            f"{url}: {p}"
            for p in problems(Shown(shown["text"], tuple(shown["cells"]), tuple(shown["labels"])),
                              language)
        ]  # fmt: skip
        queue += [link.split("#")[0] for link in shown["links"] if followed(link, site.url)]
    return found, kinds


def _file_name(kind: str) -> str:
    name = "".join(ch if ch.isalnum() else "-" for ch in kind).strip("-")
    return name or "home"


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_shows_words_not_codes(
    role: str, language: str, page_for: Callable[..., Any], site: Site
) -> None:
    page = page_for(role, language)
    found, kinds = _walk(page, site, role, language)
    assert len(kinds) >= (3 if role == "citizen" else 5), f"walked too little: {dict(kinds)}"
    walked = ", ".join(f"{kind} ×{n}" for kind, n in sorted(kinds.items()))
    assert found == [], (
        f"{len(found)} problems as {role} in {language} (pages walked: {walked}):\n"
        + "\n".join(found)
    )
