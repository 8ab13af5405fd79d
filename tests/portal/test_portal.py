"""The citizens' portal: anonymous search with filters and facets; the public contract page
withholds individuals' RFC and name, users and internal notes, and shows only the alerts the
jurisdiction publishes; downloads (verifiable record, OCDS, CSV) need no login either."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from tests.world import World, make_contract

from besa.alerts.models import Alert, AlertEvent, AlertState
from besa.jurisdiction import from_env
from besa.jurisdiction.model import PortalSettings
from besa.logbook import verify_record
from besa.logbook.checkpoints import make_checkpoint
from besa.portal import public
from besa.registry.models import Contract
from besa.registry.suppliers import register_supplier

COMPANY_RFC = "XIA190128J61"


@pytest.fixture
def portal_world(world: World) -> World:
    """The world's four contracts (an individual supplies them) plus two from a company:
    a direct award of 3 M signed in 2024 at institution B, and an open tender of 40 M."""
    company = register_supplier(rfc=COMPANY_RFC, name="Xilografía Industrial, S.A. de C.V.")
    make_contract(
        world.admin,
        world.units["B1"],
        company,
        number="B-DIRECTA-1",
        procedure_type="adjudicacion_directa",
        amount=Decimal("3000000.00"),
        award_date=dt.date(2024, 3, 1),
        signing_date=dt.date(2024, 3, 5),
        start_date=dt.date(2024, 3, 6),
        end_date=dt.date(2024, 12, 31),
    )
    make_contract(
        world.admin, world.units["A2"], company, number="A-LP-2", amount=Decimal("40000000.00")
    )
    return world


def _numbers(html: str) -> set[str]:
    return set(re.findall(r'/publico/contratos/[0-9a-f-]+/">([^<]+)</a>', html))


def _get(client: Client, url: str, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_search_filters_each_narrow_the_results(portal_world: World) -> None:
    client = Client()
    everything = _get(client, "/publico/")
    assert len(_numbers(everything)) == 6
    assert _numbers(_get(client, "/publico/", proveedor=COMPANY_RFC)) == {
        "B-DIRECTA-1",
        "A-LP-2",
    }
    assert _numbers(_get(client, "/publico/", proveedor="xilograf")) == {"B-DIRECTA-1", "A-LP-2"}
    assert _numbers(_get(client, "/publico/", institucion="INSTB", proveedor="Xilo")) == {
        "B-DIRECTA-1"
    }
    assert _numbers(_get(client, "/publico/", importe_min="30000000")) == {"A-LP-2"}
    assert _numbers(_get(client, "/publico/", importe_max="3,000,000")) == {"B-DIRECTA-1"}
    assert _numbers(_get(client, "/publico/", desde="2024-01-01", hasta="2024-12-31")) == {
        "B-DIRECTA-1"
    }
    assert _numbers(_get(client, "/publico/", procedimiento="adjudicacion_directa")) == {
        "B-DIRECTA-1"
    }
    assert len(_numbers(_get(client, "/publico/", estado="registered"))) == 6
    assert _numbers(_get(client, "/publico/", estado="closed")) == set()


def test_an_individuals_rfc_or_name_finds_nothing(portal_world: World) -> None:
    client = Client()
    supplier = portal_world.supplier
    assert len(supplier.rfc) == 13
    assert _numbers(_get(client, "/publico/", proveedor=supplier.rfc)) == set()
    assert _numbers(_get(client, "/publico/", proveedor="González")) == set()


def test_facets_count_the_matching_contracts(portal_world: World) -> None:
    from besa.portal import search

    counted = search.facets(search.search(search.Filters()))
    assert search.tally(search.search(search.Filters())).total == 6
    assert {(f.code, f.count) for f in counted["institucion"]} == {("INSTA", 3), ("INSTB", 3)}
    assert {(f.code, f.count) for f in counted["procedimiento"]} == {
        ("licitacion_publica", 5),
        ("adjudicacion_directa", 1),
    }
    assert [(f.code, f.count) for f in counted["estado"]] == [("registered", 6)]
    narrowed = search.facets(search.search(search.Filters(proveedor=COMPANY_RFC)))
    assert {(f.code, f.count) for f in narrowed["institucion"]} == {("INSTA", 1), ("INSTB", 1)}
    html = _get(Client(), "/publico/", institucion="INSTB")
    # the facet shows words, and its links keep the other filters
    assert "Licitación pública" in html and "licitacion_publica</a>" not in html
    assert "?institucion=INSTB&amp;procedimiento=adjudicacion_directa" in html
    # the chosen facet value links to the search without it
    assert '<a href="?" aria-current="true"' in html


def test_bad_filters_answer_422_naming_the_problem_in_words(portal_world: World) -> None:
    client = Client()
    for params in (
        {"importe_min": "mucho"},
        {"desde": "2024-13-40"},
        {"estado": "bogus"},
        {"desde": "2025-01-01", "hasta": "2024-01-01"},
    ):
        response = client.get("/publico/", params)
        assert response.status_code == 422
        assert 'data-testid="portal-error"' in response.content.decode()
    assert client.get("/publico/", {"proveedor": "a\x00b"}).status_code == 200


def test_pages_keep_the_filters(portal_world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("besa.portal.search.PAGE_SIZE", 4)
    html = _get(Client(), "/publico/", procedimiento="licitacion_publica")
    assert "?procedimiento=licitacion_publica&amp;pagina=2" in html
    second = _get(Client(), "/publico/", procedimiento="licitacion_publica", pagina="2")
    assert len(_numbers(second)) == 1


def _contract(number: str | None = None, world: World | None = None) -> Contract:
    if number:
        return Contract.objects.get(number=number)
    assert world is not None
    return world.contracts["A1"]


def _downloads(client: Client, contract: Contract) -> dict[str, str]:
    base = f"/publico/contratos/{contract.pk}/"
    found = {}
    for name in ("", "registro.json", "ocds.json", "asientos.csv"):
        response = client.get(base + name)
        assert response.status_code == 200, (name, response.status_code)
        body = (
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
            if response.streaming
            else response.content
        )
        found[name or "page"] = body.decode("utf-8-sig")
    return found


def test_the_public_page_and_downloads_withhold_the_individual_and_the_user(
    portal_world: World,
) -> None:
    world = portal_world
    contract = _contract(world=world)
    for text in _downloads(Client(), contract).values():
        for secret in (world.supplier.rfc, world.supplier.name, "González"):
            assert secret not in text
        # the user who recorded it ("admin", also the name of a role) is not published
        assert not re.search(r'"user":\s*"admin"', text)
        assert "· admin ·" not in text
    page = _downloads(Client(), contract)["page"]
    assert "[reservado]" in page
    company = _downloads(Client(), _contract("A-LP-2"))["page"]
    assert COMPANY_RFC in company and "Xilografía Industrial" in company


def test_the_home_page_leads_a_citizen_to_the_search(portal_world: World) -> None:
    html = _get(Client(), "/")
    assert 'href="/publico/" data-testid="home-portal"' in html


def test_the_page_needs_no_login_and_shows_the_same_to_an_official(portal_world: World) -> None:
    contract = _contract(world=portal_world)
    anonymous = Client().get(f"/publico/contratos/{contract.pk}/")
    assert anonymous.status_code == 200
    official = Client()
    official.force_login(portal_world.admin)
    signed_in = official.get(f"/publico/contratos/{contract.pk}/").content.decode()
    assert portal_world.supplier.rfc not in signed_in
    verifier = Client().get("/publico/verificador.py")
    assert verifier.status_code == 200
    assert b"def verify(" in b"".join(verifier.streaming_content)  # type: ignore[attr-defined]
    verifier.close()


def _alert(contract: Contract, rule: str, state: str, summary: str) -> Alert:
    now = timezone.now()
    alert = Alert.objects.create(
        contract=contract,
        ocid=contract.ocid,
        institution=contract.buying_unit.institution,
        rule=rule,
        subject=f"test-{rule}",
        severity="H",
        state=state,
        evidence={"note": summary},
        summary=summary,
        opened_at=now,
        updated_at=now,
        closed_at=now if state != AlertState.OPEN else None,
    )
    AlertEvent.objects.create(
        alert=alert, at=now, action="transition", actor="oic", reason=f"nota interna {rule}"
    )
    return alert


def _publishing(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    chosen = dataclasses.replace(from_env(), portal=PortalSettings(public_alerts=value))
    monkeypatch.setattr(public, "from_env", lambda: chosen)


def test_alerts_are_shown_only_once_decided_or_referred_and_only_if_the_jurisdiction_says(
    portal_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    contract = _contract(world=portal_world)
    _alert(contract, "A03", AlertState.OPEN, "resumen abierto")
    _alert(contract, "A05", AlertState.JUSTIFIED, "resumen justificado")
    _alert(contract, "A12", AlertState.RESOLVED, "resumen solventado")
    _alert(contract, "A14", AlertState.REFERRED, "resumen turnado")
    url = f"/publico/contratos/{contract.pk}/"
    hidden = _get(Client(), url)
    assert 'data-testid="portal-alerts-none"' in hidden and "A12" not in hidden
    _publishing(monkeypatch, "resolved_or_referred")
    shown = _get(Client(), url)
    assert "(A12)" in shown and "(A14)" in shown
    assert "(A03)" not in shown and "(A05)" not in shown
    assert "Solventada" in shown and "Turnada a investigación" in shown
    assert "severidad alta" in shown
    english = Client()
    english.cookies["django_language"] = "en"
    in_english = _get(english, url)
    assert "Resolved" in in_english and "Referred to investigation" in in_english
    assert "severity high" in in_english
    for note in ("resumen", "nota interna"):
        assert note not in shown


def test_the_downloaded_record_verifies(portal_world: World) -> None:
    make_checkpoint()
    contract = _contract(world=portal_world)
    text = _downloads(Client(), contract)["registro.json"]
    record: dict[str, Any] = json.loads(text)
    keys = verify_record._keys(
        json.loads(Client().get("/api/opendata/checkpoints.json").content)["public_keys"]
    )
    result = verify_record.verify(record, keys)
    assert result.verified, result.problems
    assert result.covered == 1 and not result.not_covered
    page = _downloads(Client(), contract)["page"]
    assert "en el punto de control firmado 1" in page
    ocds = json.loads(_downloads(Client(), contract)["ocds.json"])
    assert ocds["records"][0]["ocid"] == contract.ocid


def test_a_contract_with_two_matching_suppliers_is_found_and_counted_once(
    client: Client, portal_world: World
) -> None:
    from besa.portal import search
    from besa.registry.models import ContractSupplier

    partner = register_supplier(rfc="XNO190128AB0", name="Xilografía Norte, S.A. de C.V.")
    contract = Contract.objects.get(number="A-LP-2")
    ContractSupplier.objects.create(contract=contract, supplier=partner, share_percent=50)
    rows = search.search(search.Filters(proveedor="Xilografía"))
    assert sorted(rows.values_list("number", flat=True)) == ["A-LP-2", "B-DIRECTA-1"]
    assert search.tally(rows).total == 2
    assert "2 contratos" in _get(client, "/publico/", proveedor="Xilografía")
