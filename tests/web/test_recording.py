"""Recording every entry kind from the contract page: the form generated from the kind's
payload model, field errors that keep the input, the confirmation page that says what the
entry will do, and the receipt with the entry's hash. Scope: 404 outside, 403 read-only."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from tests.world import World

from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.kinds import AUDIT_KINDS
from besa.logbook.kinds.payloads import MODELS
from besa.logbook.models import Entry
from besa.registry.models import Contract
from besa.web.recording import RECORDABLE

UUID = "6F2A1C3E-9B8D-4E7F-A1B2-C3D4E5F60718"

#: What must exist before an entry of the kind can be recorded (appended directly).
SCHEDULE = {"deliverables": [{"deliverable_id": "E1", "description": "Lote 1", "quantity": "100",
                              "amount": "20000000", "due_date": "2025-09-30"}]}  # fmt: skip
INVOICE = {
    "uuid": UUID, "issue_date": "2025-09-21", "date_received": "2025-09-22",
    "issuer_rfc": "GODE561231GR8", "receiver_rfc": "EKU9003173C9", "subtotal": "20000000",
    "taxes": "3200000", "total": "23200000", "currency": "MXN", "payment_method": "PUE",
}  # fmt: skip
BUDGET = {"oficio_number": "OF-1", "date": "2025-05-01", "amount": "20000000",
          "fiscal_year": 2025, "budget_key": "K-1"}  # fmt: skip

#: For each kind: the entries before it, and what a person types in its form.
CASES: dict[str, tuple[list[tuple[str, dict[str, Any]]], dict[str, Any]]] = {
    "budget_sufficiency": ([], {**BUDGET, "fiscal_year": "2025"}),
    "guarantee": ([], {"guarantee_id": "G1", "type": "performance", "action": "new",
                       "instrument": "surety_bond", "amount": "2,000,000.00",
                       "date_received": "2025-06-15",
                       "beneficiary": "Tesorería de la Federación"}),
    "deliverable_schedule": ([], {"deliverables.0.deliverable_id": "E1",
                                  "deliverables.0.description": "Lote 1",
                                  "deliverables.0.quantity": "100",
                                  "deliverables.0.amount": "20000000",
                                  "deliverables.0.due_date": "2025-09-30"}),
    "delivery": ([("deliverable_schedule", SCHEDULE)],
                 {"deliverable_id": "E1", "date": "2025-09-20", "quantity_received": "100",
                  "quantity_accepted": "100", "result": "accepted"}),
    "invoice": ([("deliverable_schedule", SCHEDULE)],
                {k: v for k, v in INVOICE.items()}),
    "invoice_status": ([("invoice", INVOICE)],
                       {"invoice_uuid": UUID, "status": "vigente", "checked_on": "2025-09-23"}),
    "payment": ([("invoice", INVOICE)],
                {"date": "2025-10-01", "amount": "23200000", "currency": "MXN",
                 "invoice_uuids": UUID}),
    "penalty": ([("deliverable_schedule", SCHEDULE)],
                {"deliverable_id": "E1", "days_late": "3", "daily_rate_percent": "0.5",
                 "base_amount": "1000000", "calculated_amount": "15000",
                 "applied_amount": "15000", "application": "withheld", "date": "2025-10-05"}),
    "deduction": ([], {"description": "Piezas con defecto", "amount": "1000",
                       "date": "2025-10-05"}),
    "amendment": ([], {"amendment_id": "CM1", "signing_date": "2025-08-01", "types": ["amount"],
                       "amount_change": "1000000", "justification": "Más piezas"}),
    "suspension": ([], {"action": "suspend", "date": "2025-08-01", "cause": "Caso fortuito"}),
    "early_termination": ([], {"date": "2025-10-01", "cause": "Ya no se necesita"}),
    "rescission": ([], {"stage": "notice", "date": "2025-10-01", "cause": "Incumplimiento"}),
    "closure": ([], {"date": "2025-12-31", "settlement_unknown": "on"}),
    "document": ([], {"document_type": "contractSigned", "title": "Contrato firmado",
                      "sha256": "a" * 64, "media_type": "application/pdf"}),
}  # fmt: skip


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(contract: Contract, kind: str) -> str:
    return f"/contratos/{contract.pk}/registrar/{kind}/"


def _hidden(page: str) -> dict[str, list[str]]:
    """What a confirmation page sends back: its hidden inputs, by name."""
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        data.setdefault(name, []).append(value)
    return data


def _prepare(
    contract: Contract,
    world: World,
    before: list[tuple[str, dict[str, Any]]],
    now: dt.datetime | None = None,
) -> None:
    for kind, payload in before:
        append(contract, kind, payload, actor=Actor.of(world.operator), now=now)


def test_every_recordable_kind_has_a_case() -> None:
    assert set(RECORDABLE) == set(CASES) | {"rectification"}
    # audit steps are recorded from their case (besa.audits), never from the contract page
    assert set(MODELS) - set(RECORDABLE) == {"registration"} | AUDIT_KINDS


@pytest.mark.parametrize("kind", sorted(CASES))
def test_an_operator_records_each_kind_through_form_confirmation_and_receipt(
    world: World, kind: str
) -> None:
    contract = world.contracts["A1"]
    before, typed = CASES[kind]
    _prepare(contract, world, before)
    client = _client(world.operator)

    form = client.get(_url(contract, kind))
    assert form.status_code == 200
    assert 'data-testid="entry-form"' in form.content.decode()
    # every top-level field of the model has a labelled input or group
    html = form.content.decode()
    for name, info in MODELS[kind].model_fields.items():
        assert f'id="f-{name}' in html, name
        assert info.title

    confirm = client.post(_url(contract, kind), {**typed, "step": "check"})
    page = confirm.content.decode()
    assert confirm.status_code == 200, re.findall(r'class="error"[^>]*>([^<]*)', page)
    assert 'data-testid="confirm-form"' in page
    assert 'data-testid="consequences"' in page
    count = Entry.objects.filter(contract=contract).count()  # nothing written yet

    data = _hidden(page)
    data.pop("csrfmiddlewaretoken", None)
    assert data["token"][0]
    done = client.post(_url(contract, kind), {**data, "step": "confirm"})
    assert done.status_code == 302
    entry = Entry.objects.filter(contract=contract).order_by("-sequence").first()
    assert entry is not None and entry.kind == kind
    assert Entry.objects.filter(contract=contract).count() == count + 1
    receipt = client.get(done["Location"]).content.decode()
    assert entry.hash in receipt
    # a second confirmation of the same page writes nothing (the page's token is its key)
    again = client.post(_url(contract, kind), {**data, "step": "confirm"})
    assert again.status_code == 302
    assert Entry.objects.filter(contract=contract).count() == count + 1


def test_a_bad_amount_is_shown_in_the_summary_and_beside_the_field_with_the_input_kept(
    world: World,
) -> None:
    contract = world.contracts["A1"]
    client = _client(world.operator)
    typed = {**CASES["budget_sufficiency"][1], "amount": "doce mil", "oficio_number": "OF-77"}
    response = client.post(_url(contract, "budget_sufficiency"), {**typed, "step": "check"})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'data-testid="error-summary"' in html
    assert 'href="#f-amount"' in html
    assert 'id="f-amount-error"' in html
    assert 'value="doce mil"' in html and 'value="OF-77"' in html
    assert " / " not in re.search(r'id="f-amount-error">([^<]*)', html).group(1)  # type: ignore[union-attr]
    assert not Entry.objects.filter(contract=contract, kind="budget_sufficiency").exists()


def test_a_rule_across_fields_is_reported_on_its_field(world: World) -> None:
    contract = world.contracts["A1"]
    client = _client(world.operator)
    typed = {**CASES["delivery"][1], "deliverable_id": "NO-EXISTE"}
    response = client.post(_url(contract, "delivery"), {**typed, "step": "check"})
    assert response.status_code == 422
    assert 'href="#f-deliverable_id"' in response.content.decode()


def test_a_late_payment_says_on_confirmation_that_it_will_open_a12_and_the_receipt_says_it_did(
    world: World,
) -> None:
    contract = world.contracts["A1"]
    # The CFDI was recorded the day after it arrived, when its payment was not yet due.
    _prepare(
        contract, world, [("invoice", INVOICE)], now=dt.datetime(2025, 9, 23, 12, tzinfo=dt.UTC)
    )
    client = _client(world.operator)
    late = {"date": "2025-11-15", "amount": "23200000", "currency": "MXN", "invoice_uuids": UUID}
    page = client.post(_url(contract, "payment"), {**late, "step": "check"}).content.decode()
    assert "(A12)" in page and "Abrirá la alerta" in page
    data = _hidden(page)
    done = client.post(_url(contract, "payment"), {**data, "step": "confirm"})
    receipt = client.get(done["Location"]).content.decode()
    assert "Abrió la alerta" in receipt and "(A12)" in receipt


def test_a_rectification_starts_from_the_entry_prefilled_and_links_to_it(world: World) -> None:
    contract = world.contracts["A1"]
    _prepare(contract, world, [("budget_sufficiency", BUDGET)])
    first = Entry.objects.get(contract=contract, kind="budget_sufficiency")
    client = _client(world.operator)
    url = _url(contract, "rectification") + f"?corrige={first.uuid}"
    form = client.get(url).content.decode()
    assert 'name="payload.oficio_number" value="OF-1"' in form
    typed = {"corrects": str(first.uuid), "reason": "Número mal escrito",
             "payload.oficio_number": "OF-2", "payload.date": "2025-05-01",
             "payload.amount": "20000000", "payload.fiscal_year": "2025",
             "payload.budget_key": "K-1"}  # fmt: skip
    page = client.post(url, {**typed, "step": "check"}).content.decode()
    data = _hidden(page)
    done = client.post(url, {**data, "step": "confirm"})
    assert done.status_code == 302, done.content.decode()[:2000]
    detail = client.get(f"/contratos/{contract.pk}/").content.decode()
    assert f'href="#entry-{first.uuid}"' in detail
    assert "OF-2" in detail


def test_a_read_only_role_is_told_it_may_not_record_and_another_institution_gets_404(
    world: World,
) -> None:
    mine, theirs = world.contracts["A1"], world.contracts["B1"]
    oversight = _client(world.oversight)
    assert oversight.get(f"/contratos/{mine.pk}/").status_code == 200
    assert (
        'data-testid="record-actions"'
        not in oversight.get(f"/contratos/{mine.pk}/").content.decode()
    )
    refused = oversight.post(_url(mine, "deduction"), {**CASES["deduction"][1], "step": "confirm"})
    assert refused.status_code == 403
    assert 'data-testid="forbidden"' in refused.content.decode()
    operator = _client(world.operator)
    assert operator.get(_url(theirs, "deduction")).status_code == 404
    assert operator.post(_url(theirs, "deduction"), CASES["deduction"][1]).status_code == 404
    assert not Entry.objects.filter(kind="deduction").exists()


def test_the_timeline_shows_each_entry_in_words_with_who_and_its_hash(world: World) -> None:
    contract = world.contracts["A1"]
    _prepare(contract, world, [("budget_sufficiency", BUDGET)])
    client = _client(world.operator)
    html = client.get(f"/contratos/{contract.pk}/").content.decode()
    entry = Entry.objects.get(contract=contract, kind="budget_sufficiency")
    assert "Número de oficio" in html and "OF-1" in html
    assert "$20,000,000.00" in html
    assert entry.hash in html
    # who recorded each entry, its role in words (the registration: the world's administrator)
    who = re.findall(r'<p class="who">Registró: ([^<]*)<time', html)
    assert sorted(who) == ["Administrador central · ", "Operador (unidad compradora) · "], who
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(f"/contratos/{contract.pk}/").content.decode()
    assert "Budget sufficiency" in english and "Official letter number" in english
    assert "Número de oficio" not in english


def test_an_attached_file_is_fingerprinted_and_a_document_entry_takes_its_hash(
    world: World,
) -> None:
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    contract = world.contracts["A1"]
    client = _client(world.operator)
    content = b"%PDF-1.4 acta de entrega"
    upload = SimpleUploadedFile("acta.pdf", content, content_type="application/pdf")
    typed = {"document_type": "completionCertificate", "title": "Acta de entrega"}
    page = client.post(
        _url(contract, "document"), {**typed, "attachments": upload, "step": "check"}
    ).content.decode()
    digest = hashlib.sha256(content).hexdigest()
    assert digest in page
    data = _hidden(page)
    assert client.post(_url(contract, "document"), {**data, "step": "confirm"}).status_code == 302
    entry = Entry.objects.get(contract=contract, kind="document")
    assert entry.payload["sha256"] == digest and entry.payload["media_type"] == "application/pdf"
    assert entry.documents == [
        {"title": "acta.pdf", "sha256": digest, "media_type": "application/pdf",
         "file_name": "acta.pdf"}
    ]  # fmt: skip


def test_a_guarantee_on_the_timeline_links_to_its_release_prefilled(world: World) -> None:
    contract = world.contracts["A1"]
    g = {
        "guarantee_id": "G-7",
        "type": "performance",
        "action": "new",
        "amount": "2000000",
        "instrument": "surety_bond",
        "beneficiary": "TESOFE",
        "date_received": "2025-06-15",
    }
    _prepare(contract, world, [("guarantee", g)])
    client = _client(world.operator)
    html = client.get(f"/contratos/{contract.pk}/").content.decode()
    link = re.search(r'href="([^"]*action=release[^"]*)"', html)
    assert link is not None
    form = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert 'name="guarantee_id" value="G-7"' in form
    assert re.search(r'<option value="release" selected>', form)


def test_the_registration_itself_can_be_rectified_from_its_prefilled_form(world: World) -> None:
    contract = world.contracts["A1"]
    first = Entry.objects.get(contract=contract, sequence=1)
    client = _client(world.operator)
    url = _url(contract, "rectification") + f"?corrige={first.uuid}"
    form = client.get(url).content.decode()
    data: dict[str, Any] = dict(
        re.findall(r'<input id="f-[^"]*" name="([^"]+)" value="([^"]*)"', form)
    )
    for name, value in re.findall(
        r'<select id="f-[^"]*" name="([^"]+)"[^>]*>.*?<option value="([^"]*)" selected>',
        form,
        re.S,
    ):
        data[name] = value
    assert data["payload.contract.title"] == "Adquisición de medicamentos"
    data.update({"corrects": str(first.uuid), "reason": "Título incompleto"})
    data["payload.contract.title"] = "Adquisición de medicamentos oncológicos"
    page = client.post(url, {**data, "step": "check"})
    assert page.status_code == 200, re.findall(r'class="error"[^>]*>([^<]*)', page.content.decode())
    done = client.post(url, {**_hidden(page.content.decode()), "step": "confirm"})
    assert done.status_code == 302
    contract.refresh_from_db()
    assert contract.title == "Adquisición de medicamentos oncológicos"
