"""The contract pages show each signed-in person exactly its scope."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.world import World


def _listed_numbers(client: Client) -> set[str]:
    html = client.get("/contratos/").content.decode()
    return {n for n in ("C-A1-1", "C-A2-2", "C-B1-3", "C-B2-4") if n in html}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("operator", {"C-A1-1"}),
        ("coordinator", {"C-A1-1", "C-A2-2"}),
        ("oversight", {"C-A1-1", "C-A2-2"}),
        ("admin", {"C-A1-1", "C-A2-2", "C-B1-3", "C-B2-4"}),
    ],
)
def test_the_contract_list_shows_only_the_persona_scope(
    client: Client, world: World, persona: str, expected: set[str]
) -> None:
    client.force_login(getattr(world, persona))
    assert _listed_numbers(client) == expected


def test_an_anonymous_visitor_is_sent_to_the_login_page(client: Client, world: World) -> None:
    response = client.get("/contratos/")
    assert response.status_code == 302
    assert "/cuenta/entrar/" in response["Location"]


def test_an_operator_cannot_open_another_institutions_contract(
    client: Client, world: World
) -> None:
    client.force_login(world.operator)
    own = world.contracts["A1"]
    other = world.contracts["B1"]
    assert client.get(f"/contratos/{own.id}/").status_code == 200
    assert client.get(f"/contratos/{other.id}/").status_code == 404


def test_the_interface_speaks_spanish_by_default_and_english_on_request(
    client: Client, world: World
) -> None:
    client.force_login(world.admin)
    assert "Contratos" in client.get("/contratos/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/contratos/"})
    page = client.get("/contratos/").content.decode()
    assert "Contracts" in page and "Signing" in page


def test_the_public_home_page_shows_portfolio_totals(client: Client, world: World) -> None:
    page = client.get("/").content.decode()
    assert "4" in page and "MXN" in page


def test_a_browser_asking_for_english_still_gets_spanish_until_the_person_chooses(
    client: Client, world: World
) -> None:
    client.force_login(world.admin)
    page = client.get("/contratos/", headers={"accept-language": "en-US,en;q=0.9"})
    assert "Firma" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/contratos/"})
    assert "Signing" in client.get("/contratos/").content.decode()


def test_the_contract_page_names_logbook_facts_in_the_chosen_language(
    client: Client, world: World
) -> None:
    client.force_login(world.operator)
    url = f"/contratos/{world.contracts['A1'].id}/"
    page = client.get(url).content.decode()
    assert "Registro del contrato" in page and "Bitácora" in page
    client.post("/i18n/setlang/", {"language": "en", "next": url})
    page = client.get(url).content.decode()
    assert "Contract registration" in page and "Logbook" in page


@pytest.mark.parametrize("url", ["/contratos/?q=A1%00x", "/alertas/?rule=A%0012&state=%00"])
def test_a_control_character_in_a_search_or_filter_is_ignored_not_a_server_error(
    client: Client, world: World, url: str
) -> None:
    client.force_login(world.coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()
