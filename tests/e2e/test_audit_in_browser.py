"""An audit in a real browser: the oversight user plans audits from the risk ranking, opens a
case from an alert and sends a request; the operator answers it with a document; the auditor
records a finding and a remediation period, and closes the case as eliminated; every step is
in the contract's logbook and the logbook verifies (``besa verify``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.browser import account, screenshot
from tests.e2e.conftest import Site
from tests.e2e.test_every_page import _SHOWN
from tests.e2e.walker import Shown, problems

from besa.alerts.models import ACTIVE_STATES, Alert
from besa.audits.models import AuditCase
from besa.logbook.models import Entry
from besa.logbook.verify import verify
from besa.registry.models import User

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots-audits")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    screenshot(page, f"audit-{name}")


def _alert_for_the_operator() -> Alert:
    """An open alert on a contract of the demo operator's buying units (so it can answer)
    and of an institution the demo oversight account oversees."""
    operator = User.objects.get(username=account("operator").username)
    oversight = User.objects.get(username=account("oversight").username)
    found = (
        Alert.objects.filter(
            state__in=ACTIVE_STATES,
            contract__buying_unit__operators=operator,
            institution__oversight_users=oversight,
        )
        .order_by("opened_at", "id")
        .first()
    )
    assert found is not None, "the demo has no alert the operator and the oversight share"
    return found


def _look(page_for: Callable[..., Any], site: Site, role: str, paths: list[str]) -> None:
    """Open ``paths`` as ``role`` in Spanish and English: each answers, shows words and not
    codes (the page walker's checks), and is saved as a screenshot to look at."""
    found: list[str] = []
    for language in ("es", "en"):
        page = page_for(role, language)
        for path in paths:
            response = page.goto(site(path))
            assert response is not None and response.status == 200, (role, path)
            shown = page.evaluate(_SHOWN)
            found += [
                f"{path} ({role}, {language}): {p}"
                for p in problems(
                    Shown(shown["text"], tuple(shown["cells"]), tuple(shown["labels"])), language
                )
            ]
            name = path.strip("/").replace("/", "-").split("?")[0][:60]
            _shot(page, f"{role}-{language}-{name}")
    assert found == [], "\n".join(found)


def _step(page: Any, action: str) -> None:
    with page.expect_navigation():
        page.click(f"[data-testid=step-{action}]")


def test_an_audit_from_plan_to_closure_as_eliminated(
    site: Site, page_for: Callable[..., Any], tmp_path: Path
) -> None:
    auditor = page_for("oversight")
    # 1. Plan audits from the ranking.
    auditor.goto(site("/riesgo/?tipo=contratos"))
    with auditor.expect_navigation():
        auditor.click("[data-testid=plan-audits]")
    auditor.fill("[data-testid=capacity]", "2")
    auditor.fill("[data-testid=min-score]", "0")
    with auditor.expect_navigation():
        auditor.click("[data-testid=propose]")
    _shot(auditor, "plan-proposal-es")
    auditor.fill("[data-testid=plan-title]", "Programa 2027-T1")
    auditor.fill("[data-testid=plan-start]", "2027-01-01")
    auditor.fill("[data-testid=plan-end]", "2027-03-31")
    with auditor.expect_navigation():
        auditor.click("[data-testid=create-plan]")
    assert "2 contratos" in auditor.inner_text("[data-testid=plan-covers]")
    _shot(auditor, "plan-es")

    # 2. Open a case from an alert, start it and send a request.
    alert = _alert_for_the_operator()
    auditor.goto(site(f"/alertas/{alert.id}/"))
    with auditor.expect_navigation():
        auditor.click("[data-testid=open-audit]")
    assert auditor.input_value("[data-testid=ocid]") == alert.ocid
    auditor.fill("[data-testid=title]", "Auditoría de la alerta")
    auditor.fill("[data-testid=reason]", "La alerta no se atendió en plazo")
    with auditor.expect_navigation():
        auditor.click("[data-testid=open-case]")
    case_url = auditor.url
    _step(auditor, "activate")
    auditor.fill("[data-testid=request-subject]", "Actas de entrega")
    auditor.fill("[data-testid=request-body]", "Envíe las actas de entrega firmadas")
    auditor.fill("[data-testid=request-days]", "5")
    with auditor.expect_navigation():
        auditor.click("[data-testid=send-request]")
    assert "Sin respuesta" in auditor.inner_text("[data-testid=case-requests]")
    _shot(auditor, "case-request-es")

    request_id = str(AuditCase.objects.get(title="Auditoría de la alerta").requests.get().id)
    for role in ("coordinator", "operator"):
        _look(
            page_for,
            site,
            role,
            ["/auditorias/requerimientos/", f"/auditorias/requerimientos/{request_id}/"],
        )

    # 3. The operator answers with a document.
    operator = page_for("operator")
    operator.goto(site("/auditorias/requerimientos/"))
    _shot(operator, "requests-operator-es")
    with operator.expect_navigation():
        operator.click('[data-testid=requests-waiting] a >> text="Actas de entrega"')
    operator.fill("[data-testid=answer]", "Se anexan las actas firmadas")
    pdf = tmp_path / "actas.pdf"
    pdf.write_bytes(PDF)
    operator.set_input_files("[data-testid=answer-files]", str(pdf))
    with operator.expect_navigation():
        operator.click("[data-testid=send-answer]")
    assert "Ninguno todavía" not in operator.content()

    # 4. Finding, remediation period, verdict, resolution as eliminated, closure.
    auditor.goto(case_url)
    assert auditor.locator("[data-testid=answer-document]").count() == 1
    auditor.fill("[data-testid=finding-title]", "Pena convencional no aplicada")
    auditor.fill("[data-testid=finding-description]", "Entrega tardía sin pena")
    auditor.fill("[data-testid=finding-legal]", "LAASSP art. 53")
    auditor.fill("[data-testid=finding-amount]", "150000.00")
    with auditor.expect_navigation():
        auditor.click("[data-testid=record-finding]")
    _step(auditor, "report_findings")
    until = dt.date.today() + dt.timedelta(days=30)
    auditor.fill("[data-testid=remediation-until]", until.isoformat())
    _step(auditor, "open_remediation")
    auditor.select_option("[data-testid=verdict]", "eliminated")
    auditor.fill("[data-testid=recovered]", "150000.00")
    with auditor.expect_navigation():
        auditor.click("[data-testid=save-verdict]")
    auditor.select_option("[data-testid=outcome]", "eliminated")
    _step(auditor, "resolve")
    _step(auditor, "close")
    assert auditor.inner_text("[data-testid=case-state]") == "Concluido — Solventadas"
    _shot(auditor, "case-closed-es")

    case_path = case_url.removeprefix(site.url)
    plan_path = (
        "/auditorias/programa/"
        + str(AuditCase.objects.filter(plan__isnull=False).first().plan_id)
        + "/"
    )  # type: ignore[union-attr]
    staff_pages = ["/auditorias/", case_path, "/informes/auditorias/"]
    _look(
        page_for, site, "oversight", [*staff_pages, plan_path, "/auditorias/programa/?min_score=0"]
    )
    _look(page_for, site, "admin", staff_pages)

    case = AuditCase.objects.get(title="Auditoría de la alerta")
    steps = list(
        Entry.objects.filter(ocid=alert.ocid, kind__startswith="audit_", payload__case=str(case.id))
        .order_by("sequence")
        .values_list("kind", flat=True)
    )
    assert steps == [
        "audit_opened", "audit_step", "audit_request", "audit_answer", "audit_finding",
        "audit_step", "audit_step", "audit_finding", "audit_step", "audit_step",
    ]  # fmt: skip
    report = verify()
    assert report.intact, report.breaks
