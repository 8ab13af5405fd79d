"""The data-gaps page, the reconciliation page and the registration confirmation form, each
within the signed-in person's scope (issue 12 items 5 and 6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from tests.alerts.test_data_gaps import _at, _published
from tests.world import World

from besa.alerts.sweep import sweep
from besa.logbook.models import Entry
from besa.registry.models import Contract


@pytest.fixture
def published(world: World) -> dict[str, Contract]:
    """One imported contract in each buying unit (numbers PUB-<unit>-n), imported on
    2025-04-11; B2's is signed before the coverage date."""
    with time_machine.travel(_at("2025-04-11"), tick=False):
        made = {unit: _published(world, unit) for unit in ("A1", "A2", "B1")}
        made["B2"] = _published(
            world,
            "B2",
            award_date=dt.date(2021, 9, 1),
            signing_date=dt.date(2021, 10, 1),
            start_date=dt.date(2021, 10, 2),
            end_date=dt.date(2022, 3, 31),
        )
    return made


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("operator", {"A1"}),
        ("coordinator", {"A1", "A2"}),
        ("oversight", {"A1", "A2"}),
        ("admin", {"A1", "A2", "B1", "B2"}),
    ],
)
def test_the_data_gaps_page_shows_what_each_contract_lacks_within_scope(
    client: Client, world: World, published: dict[str, Contract], persona: str, seen: set[str]
) -> None:
    client.force_login(getattr(world, persona))
    html = _page(client, "/datos-faltantes/")
    shown = {unit for unit, contract in published.items() if contract.number in html}
    assert shown == seen
    assert "Suficiencia presupuestaria" in html
    assert "Suficiencia presupuestaria extemporánea o insuficiente" in html  # A02's name
    assert "A más tardar el 29 de abril de 2025" in html
    assert "Los contratos firmados antes del 18 de octubre de 2021" in html  # the coverage note
    if "B2" in seen:
        assert "Sin alerta: contrato anterior a la cobertura" in html
    # Completeness: A's typed contracts lack nothing the rules call a gap; each imported one
    # does. Institution A: 2 typed + 2 imported (or only its own unit's for the operator).
    if persona == "coordinator":
        assert 'data-testid="rate-INSTA">50.0 %' in html


def test_the_data_gaps_page_filters_by_institution_and_deadline(
    client: Client, world: World, published: dict[str, Contract]
) -> None:
    client.force_login(world.admin)
    html = _page(client, "/datos-faltantes/?institution=INSTB")
    assert published["B1"].number in html and published["A1"].number not in html
    sweep(_at("2025-04-30", 8))
    overdue = _page(client, "/datos-faltantes/?overdue=yes")
    assert "Vencido el 29 de abril de 2025: alerta abierta" in overdue
    assert published["B2"].number not in overdue  # before coverage: never overdue
    html = _page(client, "/datos-faltantes/?institution=%00x&overdue=%00")
    assert "No falta ningún dato en su ámbito." in html


def test_the_page_in_english_names_the_missing_information_in_english(
    client: Client, world: World, published: dict[str, Contract]
) -> None:
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "en"
    html = _page(client, "/datos-faltantes/")
    assert "Budget sufficiency" in html and "Missing information" in html
    assert "Budget sufficiency late or insufficient" in html  # the rule's name, A02
    assert "By April 29, 2025 at the latest" in html
    assert "Suficiencia presupuestaria" not in html and " / " not in html
    form = _page(client, f"/contratos/{published['A1'].pk}/confirmar-registro/")
    assert "Review the data, correct what is needed and confirm" in form
    assert "Registration deadline: April 16, 2025" in form


@pytest.mark.parametrize(
    ("persona", "seen"),
    [("operator", {"A1"}), ("coordinator", {"A1", "A2"}), ("admin", {"A1", "A2", "B1", "B2"})],
)
def test_the_reconciliation_page_lists_published_and_registered_contracts_within_scope(
    client: Client, world: World, published: dict[str, Contract], persona: str, seen: set[str]
) -> None:
    client.force_login(getattr(world, persona))
    html = _page(client, "/conciliacion/")
    assert {u for u, c in published.items() if c.number in html} == seen
    typed = {u for u, c in world.contracts.items() if c.number in html}
    assert typed == seen


def test_reconciliation_counts_follow_confirmation_and_the_deadline(
    client: Client, world: World, published: dict[str, Contract]
) -> None:
    client.force_login(world.coordinator)
    html = _page(client, "/conciliacion/")
    # INSTA: 4 contracts, 2 typed, 2 published, none confirmed, 2 within their deadline.
    assert '<tr data-institution="INSTA"><td>Institución A <small>INSTA</small></td>' in html
    assert "<td>4</td><td>2</td><td>2</td><td>0</td><td>2</td><td>0</td>" in html
    with time_machine.travel(_at("2025-04-14"), tick=False):
        client.force_login(world.operator)
        response = client.post(
            f"/contratos/{published['A1'].pk}/confirmar-registro/",
            {"title": "Título revisado"} | _prefilled(client, published["A1"]),
        )
    assert response.status_code == 302
    sweep(_at("2025-04-17", 9))  # A2's deadline (2025-04-16) passed unconfirmed
    client.force_login(world.coordinator)
    html = _page(client, "/conciliacion/")
    assert "<td>4</td><td>2</td><td>2</td><td>1</td><td>0</td><td>1</td>" in html
    only_overdue = _page(client, "/conciliacion/?state=not_registered")
    assert published["A2"].number in only_overdue and published["A1"].number not in only_overdue
    by_period = _page(client, "/conciliacion/?from=2025-06-01&until=2025-06-30")
    assert published["A1"].number not in by_period  # signed 2025-04-09
    assert world.contracts["A1"].number in by_period  # signed 2025-06-10


def _prefilled(client: Client, contract: Contract) -> dict[str, str]:
    """The form's fields as the page pre-fills them (what a person submits unchanged)."""
    from besa.registry.confirmation import EDITABLE

    terms = contract.entries.get(kind="registration").payload["contract"]
    return {name: str(terms.get(name) or "") for name, _kind in EDITABLE}


def test_confirming_through_the_form_appends_the_operators_registration(
    client: Client, world: World, published: dict[str, Contract]
) -> None:
    contract = published["A1"]
    client.force_login(world.operator)
    html = _page(client, f"/contratos/{contract.pk}/")
    assert "Revisar y confirmar el registro" in html
    form = _page(client, f"/contratos/{contract.pk}/confirmar-registro/")
    assert 'value="Suministro publicado"' in form and 'value="20000000.00"' in form
    assert "Eduardo González" in form and "UC A1" in form  # the parties, as published
    fields = _prefilled(client, contract) | {"amount": "21,000,000.50", "title": "Revisado"}
    with time_machine.travel(_at("2025-04-14"), tick=False):
        response = client.post(f"/contratos/{contract.pk}/confirmar-registro/", fields)
    assert response.status_code == 302 and response["Location"] == f"/contratos/{contract.pk}/"
    entry = Entry.objects.get(contract=contract, kind="rectification")
    assert entry.actor["user"] == "oper" and entry.actor["role"] == "operator"
    contract.refresh_from_db()
    assert (contract.title, contract.amount) == ("Revisado", Decimal("21000000.50"))
    again = client.post(f"/contratos/{contract.pk}/confirmar-registro/", fields)
    assert again.status_code == 409
    assert "ya fue confirmado" in again.content.decode()


def test_a_bad_value_is_named_and_nothing_is_written(
    client: Client, world: World, published: dict[str, Contract]
) -> None:
    contract = published["A1"]
    client.force_login(world.operator)
    fields = _prefilled(client, contract) | {"end_date": "31/12/2025"}
    with time_machine.travel(_at("2025-04-14"), tick=False):
        response = client.post(f"/contratos/{contract.pk}/confirmar-registro/", fields)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Fin de vigencia" in html and " / " not in html.split('role="alert"')[1][:200]
    assert not Entry.objects.filter(contract=contract, kind="rectification").exists()


def test_other_institutions_contracts_are_404_and_readers_cannot_confirm(
    client: Client, world: World, published: dict[str, Contract]
) -> None:
    client.force_login(world.operator)
    for unit in ("A2", "B1"):
        url = f"/contratos/{published[unit].pk}/confirmar-registro/"
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
    client.force_login(world.oversight)
    url = f"/contratos/{published['A1'].pk}/confirmar-registro/"
    assert client.get(url).status_code == 200
    assert client.post(url, _prefilled(client, published["A1"])).status_code == 403
    assert not Entry.objects.filter(kind="rectification").exists()


def test_the_nav_leads_to_both_pages(client: Client, world: World) -> None:
    client.force_login(world.operator)
    html = _page(client, "/contratos/")
    assert 'href="/datos-faltantes/"' in html and 'href="/conciliacion/"' in html
