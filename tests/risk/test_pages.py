"""The /riesgo/ pages on the demo: who sees what, filters, explanations, the network SVG."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from tests.risk.conftest import TODAY

from besa.demo import seed
from besa.registry.models import Contract, Supplier, User
from besa.risk.models import RiskRun, Shareholder
from besa.risk.portfolio import Scope, run_portfolio
from besa.risk.process import store_processes
from besa.risk.releases import read_releases

FIXTURES = Path(__file__).parents[1] / "fixtures" / "risk"


@pytest.fixture(scope="module")
def computed(demo: seed.Summary, django_db_blocker: pytest.FixtureRequest) -> RiskRun:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        return run_portfolio(Scope(), as_of=TODAY)


def _client(username: str | None = None, language: str = "es") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def _institutions(user: str) -> set[str]:
    account = User.objects.get(username=user)
    if account.role == "coordinator":
        return {account.institution.code}
    return set(account.oversees.values_list("code", flat=True))


def test_citizens_see_the_institutions_ranking_and_nothing_finer(computed, in_demo):
    response = _client().get("/riesgo/")
    assert response.status_code == 200
    codes = {item.key for item in response.context["items"]}
    assert codes == set(Contract.objects.values_list("buying_unit__institution__code", flat=True))
    assert b"ocds-besa00" not in response.content  # no contract named
    assert _client().get("/riesgo/?tipo=contratos").status_code == 400
    assert _client().get("/riesgo/red/").status_code == 403
    ocid = Contract.objects.values_list("ocid", flat=True).first()
    assert _client().get(f"/riesgo/contratos/{ocid}/").status_code == 403


def test_operators_see_no_risk_results(computed, in_demo):
    assert _client("operador").get("/riesgo/").status_code == 403
    assert _client("operador").get("/riesgo/red/").status_code == 403


@pytest.mark.parametrize("user", ["fiscalizador", "coordinador"])
def test_oversight_and_coordinators_see_their_institutions_only(computed, in_demo, user):
    scope = _institutions(user)
    response = _client(user).get("/riesgo/?tipo=contratos")
    assert response.status_code == 200
    items = response.context["items"]
    expected = Contract.objects.filter(buying_unit__institution__code__in=scope).count()
    assert response.context["total"] == expected > 0
    assert {item.institution for item in items} <= scope
    buyers = _client(user).get("/riesgo/").context["items"]
    assert {item.key for item in buyers} == scope
    other = Contract.objects.exclude(buying_unit__institution__code__in=scope).first()
    assert other is not None
    assert _client(user).get(f"/riesgo/contratos/{other.ocid}/").status_code == 404


def test_the_contract_ranking_filters_by_period_and_explains_each_score(computed, in_demo):
    response = _client("admin").get("/riesgo/?tipo=contratos&desde=2026-01-01&hasta=2026-06-30")
    items = response.context["items"]
    assert items and all("2026-01-01" <= i.details["signed_on"] <= "2026-06-30" for i in items)
    top = items[0]
    assert top.explanation and all(e["value"] > 0 for e in top.explanation)
    assert all(e["evidence"] for e in top.explanation)  # shown rows carry their evidence
    html = response.content.decode()
    assert top.explanation[0]["code"] in html


def test_a_bad_filter_is_a_clear_error_naming_the_parameter(computed, in_demo):
    response = _client("admin").get("/riesgo/?tipo=contratos&desde=ayer")
    assert response.status_code == 400
    assert "desde: not a YYYY-MM-DD date" in response.content.decode()


def test_a_contracts_page_shows_live_flags_and_the_stored_fence(computed, in_demo):
    ocid = Contract.objects.order_by("ocid").values_list("ocid", flat=True).first()
    response = _client("admin").get(f"/riesgo/contratos/{ocid}/")
    assert response.status_code == 200
    risk = response.context["risk"]
    assert risk.run == computed
    assert {f.code for f in risk.live} == {"R054", "R064", "R067", "R068", "R069", "R073"}
    r060 = next(r for r in risk.stored if r.code == "R060")
    assert r060.fence["count"] == 240
    assert f"n={r060.fence['count']}" in response.content.decode()


def test_the_pages_speak_english_when_asked(computed, in_demo):
    html = _client("admin", language="en").get("/riesgo/").content.decode()
    assert "Audit selection: risk ranking" in html
    spanish = _client("admin").get("/riesgo/").content.decode()
    assert "Selección de auditorías: ranking de riesgo" in spanish


def test_the_network_view_draws_suppliers_that_share_contact_data(computed, in_demo):
    # The demo draws legal representatives from nine names, which links most suppliers of a
    # small demo; blank them so that only the links made here remain.
    Supplier.objects.update(legal_representative="")
    # Suppliers with contracts: the network shows the suppliers of the contracts in scope.
    holders = Supplier.objects.filter(contracts__isnull=False).exclude(rfc="XEXX010101000")
    a, b, c, d = holders.distinct().order_by("rfc")[:4]
    Supplier.objects.filter(pk__in=[a.pk, b.pk]).update(phone="(55) 5555-0101")
    Supplier.objects.filter(pk=c.pk).update(phone="55 5555 0101 ext. 4")
    Shareholder.objects.create(supplier=c, name="María Ñúñez")
    Shareholder.objects.create(supplier=d, name="MARIA NUNEZ")
    response = _client("admin").get(f"/riesgo/red/?proveedor={a.rfc}")
    assert response.status_code == 200
    svg = str(response.context["svg"])
    assert svg.count("<circle") == 4 and "<script" not in svg
    assert all(s.rfc in svg for s in (a, b, c, d))
    components = [[key for key, _ in group] for group in response.context["components"]]
    assert sorted([a.rfc, b.rfc, c.rfc, d.rfc]) in components


def test_the_bidder_network_of_the_real_samples_is_drawn(computed, in_demo):
    releases = [
        release
        for folder in ("jalisco", "inai")
        for path in sorted((FIXTURES / folder).glob("*.json.gz"))
        for release in read_releases(path)
    ]
    store_processes(releases, source="samples")
    response = _client("admin").get("/riesgo/red/?fuente=licitaciones&proveedor=MET8908305M9")
    assert response.status_code == 200
    svg = str(response.context["svg"])
    assert "MET8908305M9" in svg and svg.count("<circle") == 7  # PC-0010's seven bidders


def test_imported_processes_have_their_own_ranking_for_staff(computed, in_demo):
    releases = read_releases(FIXTURES / "inai" / "PC-0010-PC-0010.json.gz") + read_releases(
        FIXTURES / "inai" / "PC-0018-PC-0018.json.gz"
    )
    run = store_processes(releases, source="samples")
    response = _client("fiscalizador").get("/riesgo/?tipo=procesos")
    assert response.status_code == 200 and response.context["run"] == run
    items = response.context["items"]
    assert [i.key for i in items] == ["PC-0018", "PC-0010"]  # single bid ranks first
    assert items[0].score > items[1].score
    assert any(e["code"] == "SINGLEB" for e in items[0].explanation)
    # Cardinal's per-process flags are explained beside the components (a short tender period).
    assert any(e["code"] == "R003" for e in items[0].explanation)
    assert not any(e["code"] == "R003" for e in items[1].explanation)
    assert _client().get("/riesgo/?tipo=procesos").status_code == 400


def test_period_filters_apply_to_the_network_too(computed, in_demo):
    response = _client("admin").get("/riesgo/red/?desde=2030-01-01")
    assert response.status_code == 200 and response.context["nodes"] == 0
    assert dt.date(2030, 1, 1) > TODAY
