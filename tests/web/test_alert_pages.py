"""Alert work in the web application, per role: the alert page, actions, the inbox's filters,
sorting and bulk actions, exports equal to the filtered list, the dashboard and landings.

Alerts are raised by the real rules: late deliveries on contracts of tests/world.py, found by
the sweep (``besa.alerts.sweep``); actions go through ``besa.alerts.lifecycle``.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import openpyxl
import pytest
from django.test import Client
from tests.alerts.conftest import at
from tests.world import World

from besa.alerts.models import Alert, AlertEvent, AlertState
from besa.alerts.sweep import sweep
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.registry.models import Institution
from besa.signin.devices import current_code, give_demo_device
from besa.signin.policy import requires_second_factor

#: Internal codes no rendered alert page may show (the rule code is allowed as a label), and
#: the English half of the bilingual summaries the rules store ("… / delivery 10 days late").
CODES = re.compile(
    r"deliverable:|payment:|invoice:|guarantee:|supplier:|in_attention|not_resolved|"
    r"\{'|\['| / (?:delivery|paid|unpaid|no |the |guarantee|penalty|sufficiency|registered|"
    r"signed|supplier|irregular|invalid|compliance|exception|anomalous|expired|advance)"
)


def _schedule(*due: str) -> dict[str, Any]:
    return {
        "deliverables": [
            {
                "deliverable_id": f"D{n}",
                "description": f"Medicamentos, entrega {n}",
                "quantity": "100",
                "amount": "1000000.00",
                "due_date": day,
            }
            for n, day in enumerate(due, 1)
        ]
    }


@pytest.fixture
def alerts(world: World) -> dict[str, Alert]:
    """A1 (institution A): deliveries D1 and D2 late; B1 (institution B): D1 late."""
    for code, dues in (("A1", ("2025-08-15", "2025-08-20")), ("B1", ("2025-08-15",))):
        append(
            world.contracts[code],
            "deliverable_schedule",
            _schedule(*dues),
            actor=Actor.of(world.admin),
            occurred_at=at("2025-06-12"),
            now=at("2025-06-12"),
        )
    sweep(at("2025-08-25", 9))
    found = {
        f"{a.contract.buying_unit.code}:{a.subject.split(':')[1]}": a
        for a in Alert.objects.filter(rule="A07").select_related("contract__buying_unit")
    }
    assert set(found) == {"A1:D1", "A1:D2", "B1:D1"}
    return found


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _snake_case_in_text(page: str) -> list[str]:
    """Setting and field names (``delivery_delay_high_days``) in the page's visible text."""
    return re.findall(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", re.sub(r"<[^>]+>", " ", page))


def _english(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


# --- the alert page --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["operator", "coordinator", "oversight", "admin"])
def test_the_alert_page_speaks_in_words_in_both_languages(
    client: Client, world: World, alerts: dict[str, Alert], persona: str
) -> None:
    client.force_login(getattr(world, persona))
    alert = alerts["A1:D1"]
    spanish = _page(client, f"/alertas/{alert.id}/")
    assert "Entrega atrasada" in spanish and "Media" in spanish and "Abierta" in spanish
    assert "La entrega D1 vencía el 15 de agosto de 2025" in spanish
    assert "10 días de atraso" in spanish
    assert "Abierta por las reglas" in spanish  # the history, in words
    assert not CODES.search(spanish), CODES.search(spanish)
    assert _snake_case_in_text(spanish) == []
    assert re.search(r"supera \d+ días", spanish)  # the regime's value, not a setting's name
    _english(client)
    english = _page(client, f"/alertas/{alert.id}/")
    assert "Late delivery" in english and "Medium" in english and "Open" in english
    assert "Delivery D1 was due on August 15, 2025" in english
    assert "Entrega atrasada" not in english
    assert not CODES.search(english), CODES.search(english)
    assert _snake_case_in_text(english) == []


@pytest.mark.parametrize("persona", ["operator", "coordinator", "oversight"])
def test_another_institutions_alert_answers_404(
    client: Client, world: World, alerts: dict[str, Alert], persona: str
) -> None:
    client.force_login(getattr(world, persona))
    other = alerts["B1:D1"]
    response = client.get(f"/alertas/{other.id}/")
    assert response.status_code == 404
    assert "No encontramos esta página" in response.content.decode()
    acted = client.post(f"/alertas/{other.id}/accion/", {"action": "attend"})
    assert acted.status_code == 404
    assert Alert.objects.get(pk=other.pk).state == AlertState.OPEN


def test_the_operator_attends_then_justifies_with_text(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    client.force_login(world.operator)
    alert = alerts["A1:D1"]
    url = f"/alertas/{alert.id}/accion/"
    assert client.post(url, {"action": "attend"}).status_code == 302
    missing = client.post(url, {"action": "justify", "reason": "  "})
    assert missing.status_code == 422
    assert "Escriba el motivo" in missing.content.decode()
    done = client.post(url, {"action": "justify", "reason": "Caso fortuito: bloqueo carretero"})
    assert done.status_code == 302
    alert.refresh_from_db()
    assert alert.state == AlertState.JUSTIFIED
    events = list(alert.events.values_list("action", "actor", "reason"))
    assert events[-2:] == [
        ("attend", "oper", ""),
        ("justify", "oper", "Caso fortuito: bloqueo carretero"),
    ]
    page = _page(client, f"/alertas/{alert.id}/")
    assert "Caso fortuito: bloqueo carretero" in page and "Justificada" in page


def test_a_read_only_roles_action_answers_403_with_the_reason(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    client.force_login(world.oversight)
    alert = alerts["A1:D1"]
    response = client.post(f"/alertas/{alert.id}/accion/", {"action": "justify", "reason": "x"})
    assert response.status_code == 403
    assert "no las atiende ni las justifica" in response.content.decode()
    assert Alert.objects.get(pk=alert.pk).state == AlertState.OPEN
    _english(client)
    english = client.post(f"/alertas/{alert.id}/accion/", {"action": "attend"})
    assert english.status_code == 403
    assert "does not attend or justify them" in english.content.decode()


def test_the_operator_may_not_judge_its_own_alert(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    client.force_login(world.operator)
    alert = alerts["A1:D1"]
    client.post(f"/alertas/{alert.id}/accion/", {"action": "justify", "reason": "Pagado"})
    response = client.post(f"/alertas/{alert.id}/accion/", {"action": "resolve"})
    assert response.status_code == 403
    assert "quien explica no es quien juzga" in response.content.decode()
    assert Alert.objects.get(pk=alert.pk).state == AlertState.JUSTIFIED


# --- the inbox -------------------------------------------------------------------------------


def _listed(page: str) -> int:
    return page.count('data-testid="alert-row"')


def test_the_inbox_filters_and_sorts_from_the_url(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    client.force_login(world.admin)
    everything = Alert.objects.count()
    assert everything > 3  # the sweep raised other rules' alerts on these contracts too
    assert _listed(_page(client, "/alertas/")) == everything
    assert _listed(_page(client, "/alertas/?rule=A07")) == 3
    assert _listed(_page(client, "/alertas/?rule=A07&institution=INSTB")) == 1
    # The sweep ran "on" 2025-08-25: by the real clock the alerts are months old.
    assert _listed(_page(client, "/alertas/?rule=A07&severity=M&state=open&age=older")) == 3
    assert _listed(_page(client, "/alertas/?rule=A07&age=7")) == 0
    assert _listed(_page(client, "/alertas/?rule=A07&state=active")) == 3
    high = Alert.objects.filter(severity="H").count()
    assert 0 < _listed(_page(client, "/alertas/?severity=H")) == high
    assert _listed(_page(client, "/alertas/?age=30")) == 0
    assert _listed(_page(client, "/alertas/?rule=A07&severity=H")) == 0
    assert _listed(_page(client, "/alertas/?escalated=1")) == 0
    assert "Ninguna alerta cumple estos filtros" in _page(client, "/alertas/?age=30")
    by_contract = _page(client, "/alertas/?rule=A07&sort=contract")
    assert by_contract.index("C-A1-1") < by_contract.index("C-B1-3")
    reverse = _page(client, "/alertas/?rule=A07&sort=-contract")
    assert reverse.index("C-B1-3") < reverse.index("C-A1-1")
    by_severity = _page(client, "/alertas/?sort=severity")
    assert by_severity.index("severity-H") < by_severity.index("severity-M")
    ignored = "/alertas/?severity=%00&rule=nope&age=x&sort=drop"
    assert _listed(_page(client, ignored)) == everything


def test_oversight_sees_only_its_institutions_and_the_bulk_form(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    client.force_login(world.oversight)
    page = _page(client, "/alertas/?rule=A07")
    assert _listed(page) == 2 and "C-B1-3" not in page
    assert "C-B1-3" not in _page(client, "/alertas/")
    assert 'data-testid="bulk-submit"' in page
    client.force_login(world.operator)
    assert 'data-testid="bulk-submit"' not in _page(client, "/alertas/")


def _justify(client: Client, world: World, *alerts: Alert) -> None:
    client.force_login(world.operator)
    for alert in alerts:
        client.post(f"/alertas/{alert.id}/accion/", {"action": "justify", "reason": "Hecho"})


def test_a_bulk_resolve_asks_once_then_resolves_every_selected_alert(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    chosen = [alerts["A1:D1"], alerts["A1:D2"]]
    _justify(client, world, *chosen)
    client.force_login(world.oversight)
    form = {"ids": [str(a.id) for a in chosen], "action": "resolve", "reason": "Procede"}
    confirm = client.post("/alertas/acciones/", form)
    assert confirm.status_code == 200 and 'data-testid="bulk-confirm"' in confirm.content.decode()
    assert {a.state for a in Alert.objects.filter(pk__in=form["ids"])} == {AlertState.JUSTIFIED}
    done = client.post("/alertas/acciones/", {**form, "confirm": "1", "back": "/alertas/"})
    assert done.status_code == 302 and done["Location"] == "/alertas/"
    assert {a.state for a in Alert.objects.filter(pk__in=form["ids"])} == {AlertState.RESOLVED}
    events = AlertEvent.objects.filter(alert__in=chosen, action="resolve")
    assert sorted((e.actor, e.reason) for e in events) == [("oic", "Procede")] * 2


def test_a_bulk_action_changes_nothing_when_one_alert_cannot_take_it(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    _justify(client, world, alerts["A1:D1"])  # D2 stays open: it cannot be resolved
    client.force_login(world.oversight)
    ids = [str(alerts["A1:D1"].id), str(alerts["A1:D2"].id)]
    form = {"ids": ids, "action": "resolve", "reason": "x", "confirm": "1"}
    response = client.post("/alertas/acciones/", form)
    assert response.status_code == 422
    assert "no admiten" in response.content.decode()
    assert Alert.objects.get(pk=ids[0]).state == AlertState.JUSTIFIED


def test_bulk_mark_not_resolved_then_refer_with_reasons(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    client.force_login(world.oversight)
    ids = [str(alerts["A1:D1"].id), str(alerts["A1:D2"].id)]
    no_reason = client.post("/alertas/acciones/", {"ids": ids, "action": "reject", "confirm": "1"})
    assert no_reason.status_code == 422 and "obligatorio" in no_reason.content.decode()
    for action in ("reject", "refer"):
        form = {"ids": ids, "action": action, "reason": "Sin sustento", "confirm": "1"}
        assert client.post("/alertas/acciones/", form).status_code == 302
    assert {a.state for a in Alert.objects.filter(pk__in=ids)} == {AlertState.REFERRED}


def test_bulk_actions_are_refused_to_operators_and_outside_scope(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    client.force_login(world.operator)
    ids = [str(alerts["A1:D1"].id)]
    refused = client.post("/alertas/acciones/", {"ids": ids, "action": "reject", "reason": "x"})
    assert refused.status_code == 403 and "quien explica" in refused.content.decode()
    client.force_login(world.oversight)
    other = [str(alerts["B1:D1"].id)]
    form = {"ids": other, "action": "reject", "reason": "x", "confirm": "1"}
    assert client.post("/alertas/acciones/", form).status_code == 422  # none selected in scope
    assert Alert.objects.get(pk=other[0]).state == AlertState.OPEN


# --- exports ---------------------------------------------------------------------------------


def _csv(client: Client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(text)))


def _xlsx(client: Client, url: str) -> list[list[Any]]:
    response = client.get(url)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    "query",
    ["", "institution=INSTA", "rule=A07&sort=-contract", "severity=H&sort=rule", "rule=A07"],
)
def test_the_csv_and_xlsx_hold_exactly_the_filtered_list(
    client: Client, world: World, alerts: dict[str, Alert], query: str
) -> None:
    client.force_login(world.admin)
    page = _page(client, f"/alertas/?{query}")
    shown = re.findall(r'href="/contratos/[0-9a-f-]+/">([^<]+)</a>', page)
    rows = _csv(client, f"/alertas/exportar/csv/?{query}")
    sheet = _xlsx(client, f"/alertas/exportar/xlsx/?{query}")
    assert rows[0][:4] == ["Regla", "Código", "Severidad", "Estado"]
    assert [r[5] for r in rows[1:]] == shown
    assert [r[5] for r in sheet[1:]] == shown
    assert [r[:8] for r in rows[1:]] == [list(r[:8]) for r in sheet[1:]]
    assert all(":" not in r[6] and r[7] for r in rows[1:])  # subjects and evidence in words
    if "rule=A07" in query:
        assert len(rows) > 1
        assert all(r[0] == "Entrega atrasada" and r[2] == "Media" for r in rows[1:])
        assert all("vencía el" in r[7] for r in rows[1:])


def test_the_export_is_in_english_when_the_user_chose_english(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    client.force_login(world.oversight)
    _english(client)
    rows = _csv(client, "/alertas/exportar/csv/?rule=A07")
    assert rows[0][:4] == ["Rule", "Code", "Severity", "State"]
    assert {r[0] for r in rows[1:]} == {"Late delivery"} and len(rows) == 3


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_exported_as_text(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    Institution.objects.filter(pk=world.contracts["A1"].buying_unit.institution_id).update(
        name='=HYPERLINK("http://example.invalid")'
    )
    client.force_login(world.admin)
    rows = _csv(client, "/alertas/exportar/csv/?institution=INSTA")
    assert len(rows) > 1
    assert {r[4] for r in rows[1:]} == {'\'=HYPERLINK("http://example.invalid")'}
    book = openpyxl.load_workbook(io.BytesIO(client.get("/alertas/exportar/xlsx/").content))
    cells = [row[4] for row in book.active.iter_rows(min_row=2) if row[4].value[:1] == "="]
    assert len(cells) == len(rows) - 1
    assert {c.data_type for c in cells} == {"s"}  # text, not a formula


# --- landings and the dashboard ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("operator", "/mi-trabajo/"),
        ("coordinator", "/tablero/"),
        ("oversight", "/alertas/?state=active"),
    ],
)
def test_each_role_lands_on_its_work_after_signing_in(
    client: Client, world: World, persona: str, target: str
) -> None:
    user = getattr(world, persona)
    response = client.post("/cuenta/entrar/", {"username": user.username, "password": "x"})
    assert response.status_code == 302
    if requires_second_factor(user):
        # Oversight types its authenticator's code first, then lands on its work.
        device = give_demo_device(user)
        response = client.post(
            f"/cuenta/segundo-factor/verificar/?next={response['Location']}",
            {"code": current_code(device)},
        )
        assert response.status_code == 302
    landing = client.get(response["Location"])
    assert landing.status_code == 302 and landing["Location"] == target


def test_the_operators_work_lists_alerts_to_attend(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    client.force_login(world.operator)
    page = _page(client, "/mi-trabajo/")
    waiting = Alert.objects.filter(contract=world.contracts["A1"], state="open").count()
    assert f"{waiting} alertas por atender" in page and "Entrega atrasada" in page
    deadlines = page.split('data-testid="deadlines"')[1].split("</table>")[0]
    assert "15 de agosto de 2025" in deadlines and "vencida" in deadlines  # D1, never delivered
    a1 = world.contracts["A1"]
    assert f'<a href="/contratos/{a1.id}/">{a1.number}</a> {a1.title}' in deadlines
    assert "C-B1-3" not in page
    assert not CODES.search(page)


def test_the_coordinators_dashboard_counts_its_institutions_alerts(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    client.force_login(world.coordinator)
    page = _page(client, "/tablero/")
    active = Alert.objects.filter(institution=world.inst_a, state="open").count()
    assert "Institución A" in page and f'data-testid="active-count">{active}<' in page
    assert "Entrega atrasada" in page and "C-B1-3" not in page
    assert not CODES.search(page)
    most = page.split('data-testid="most-alerted"')[1].split("</table>")[0]
    a1 = Alert.objects.filter(contract=world.contracts["A1"], state="open").count()
    assert "C-A1-1" in most and f'<td class="num">{a1}</td>' in most
    # Each breakdown counts exactly the institution's active alerts, as its inbox link lists.
    context = client.get("/tablero/").context
    for breakdown in ("by_rule", "by_severity", "by_age"):
        rows = context[breakdown]
        assert sum(row["count"] for row in rows) == active, breakdown
        for row in rows:
            assert _listed(_page(client, f"/alertas/?{row['query']}")) == row["count"], row
    client.force_login(world.operator)
    refused = client.get("/tablero/")
    assert refused.status_code == 403 and "Mi trabajo" in refused.content.decode()


def test_the_contract_page_shows_its_alerts_in_words(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    client.force_login(world.operator)
    page = _page(client, f"/contratos/{world.contracts['A1'].id}/")
    assert "Entrega atrasada" in page and "La entrega D2 vencía el 20 de agosto de 2025" in page
    assert "deliverable:" not in page


def test_error_pages_are_branded_and_translated(client: Client, world: World) -> None:
    missing = client.get("/no-existe/")
    assert missing.status_code == 404 and "No encontramos esta página" in missing.content.decode()
    _english(client)
    english = client.get("/no-existe/").content.decode()
    assert "We could not find this page" in english and "BESA" in english


def test_a_server_error_shows_the_branded_page_without_the_database(
    client: Client, world: World, settings: Any
) -> None:
    from django.urls import path

    import besa.urls

    def broken(request: Any) -> Any:
        raise RuntimeError("boom")

    class Urls:
        urlpatterns = [path("roto/", broken), *besa.urls.urlpatterns]
        handler500 = besa.urls.handler500

    settings.ROOT_URLCONF = Urls
    client.raise_request_exception = False
    response = client.get("/roto/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Algo falló de nuestro lado" in page and "no se guardó nada a medias" in page


def test_a_stale_form_token_answers_the_branded_403_with_what_to_do(
    world: World, alerts: dict[str, Alert]
) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.operator)
    alert = alerts["A1:D1"]
    response = strict.post(f"/alertas/{alert.id}/accion/", {"action": "attend"})
    assert response.status_code == 403
    assert "recárguela y envíelo de nuevo" in response.content.decode()
    assert Alert.objects.get(pk=alert.pk).state == AlertState.OPEN


def test_age_buckets_count_days_since_the_alert_opened(
    world: World, alerts: dict[str, Alert]
) -> None:
    from besa.web.alerts import AlertFilters

    # The sweep opened them on 2025-08-25 at 09:00.
    a07 = {"rule": "A07", "institution": "INSTA"}
    checks = ((at("2025-08-28"), "7"), (at("2025-09-10"), "30"), (at("2025-10-30"), "90"))
    for now, bucket in checks:
        others = {"7", "30", "90", "older"} - {bucket}
        assert AlertFilters(age=bucket, **a07).apply(world.admin, now).count() == 2, (now, bucket)
        for other in others:
            assert AlertFilters(age=other, **a07).apply(world.admin, now).count() == 0
    assert AlertFilters(age="older", **a07).apply(world.admin, at("2025-12-01")).count() == 2


def test_escalated_alerts_wait_on_the_dashboard_and_in_the_inbox_filter(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    from besa.alerts.escalation import escalate

    assert escalate(at("2026-01-15")) > 0  # unattended for months: up to the coordinator
    waiting = Alert.objects.filter(institution=world.inst_a, escalation_level__gte=1)
    client.force_login(world.coordinator)
    page = _page(client, "/tablero/")
    listed = page.split('data-testid="escalated"')[1].split("</table>")[0]
    assert listed.count("<tr>") - 1 == min(waiting.count(), 20)  # minus the header row
    assert "Coordinación (UAF)" in listed
    assert _listed(_page(client, "/alertas/?escalated=1")) == waiting.count()
    alert = _page(client, f"/alertas/{alerts['A1:D1'].id}/")
    assert "Escalada a la coordinación por falta de atención en el plazo" in alert


def test_the_operator_justifies_with_a_document_that_oversight_downloads(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    content = b"%PDF-1.4 oficio de caso fortuito"
    upload = SimpleUploadedFile("oficio-caso-fortuito.pdf", content, "application/pdf")
    client.force_login(world.operator)
    alert = alerts["A1:D1"]
    form = {"action": "justify", "reason": "Bloqueo carretero", "attachments": upload}
    assert client.post(f"/alertas/{alert.id}/accion/", form).status_code == 302
    event = alert.events.get(action="justify")
    assert event.documents == [
        {
            "title": "oficio-caso-fortuito.pdf",
            "sha256": hashlib.sha256(content).hexdigest(),
            "media_type": "application/pdf",
            "file_name": "oficio-caso-fortuito.pdf",
        }
    ]
    digest = hashlib.sha256(content).hexdigest()
    page = _page(client, f"/alertas/{alert.id}/")
    assert "oficio-caso-fortuito.pdf" in page and digest[:12] in page
    client.force_login(world.oversight)  # who judges it reads what was presented
    download = client.get(f"/alertas/{alert.id}/documentos/{digest}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    assert client.get(f"/alertas/{alert.id}/documentos/{'0' * 64}/").status_code == 404
    other = alerts["B1:D1"]  # another institution's alert: the same hash is not served there
    assert client.get(f"/alertas/{other.id}/documentos/{digest}/").status_code == 404
    world.coordinator.institution = world.inst_b
    world.coordinator.save()
    client.force_login(world.coordinator)  # now of institution B: the alert is out of scope
    assert client.get(f"/alertas/{alert.id}/documentos/{digest}/").status_code == 404


def test_a_refused_document_leaves_the_alert_as_it_was_and_says_why(
    client: Client, world: World, alerts: dict[str, Alert]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    program = SimpleUploadedFile("justificante.exe", b"MZ\x90\x00" + b"\x00" * 64)
    client.force_login(world.operator)
    alert = alerts["A1:D1"]
    form = {"action": "justify", "reason": "Bloqueo", "attachments": program}
    response = client.post(f"/alertas/{alert.id}/accion/", form)
    assert response.status_code == 422
    assert "programa ejecutable" in response.content.decode()
    assert "Bloqueo" in response.content.decode()  # the reason typed is kept
    assert Alert.objects.get(pk=alert.pk).state == AlertState.OPEN
