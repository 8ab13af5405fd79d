"""``besa risk`` over the demo portfolio: flags, CRI, aggregates and stored fences."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from tests.risk.conftest import TODAY

from besa.demo import seed
from besa.exceptions import InvalidInput
from besa.registration import SupplierShare, register_contract
from besa.registry.models import BuyingUnit, Contract, Supplier, User
from besa.risk import ranking
from besa.risk.models import RiskResult, RiskRun
from besa.risk.portfolio import Scope, contract_rows, run_portfolio


def _values(run: RiskRun, code: str, kind: str = "contract") -> dict[str, float | None]:
    return dict(
        RiskResult.objects.filter(run=run, subject_kind=kind, code=code).values_list(
            "subject_id", "value"
        )
    )


def test_every_contract_gets_a_cri_that_is_the_mean_of_its_available_components(in_demo):
    run = run_portfolio(Scope(), as_of=TODAY)
    assert run.population_size == Contract.objects.count() == 240
    assert run.population["contracts"] == 240 and run.population["as_of"] == TODAY.isoformat()
    components: dict[str, list[float]] = defaultdict(list)
    for ocid, value in (
        RiskResult.objects.filter(run=run, subject_kind="contract")
        .exclude(code="CRI")
        .values_list("subject_id", "value")
    ):
        if value is not None:
            components[ocid].append(value)
    scores = _values(run, "CRI")
    assert len(scores) == 240
    for ocid, score in scores.items():
        assert score == pytest.approx(sum(components[ocid]) / len(components[ocid]), abs=1e-4)
    # Bid-data components are missing for registered contracts: never counted as 0.
    assert set(_values(run, "SINGLEB").values()) == {None}


def test_buyer_cri_is_the_mean_of_its_contracts_cri(in_demo):
    run = run_portfolio(Scope(), as_of=TODAY)
    by_buyer: dict[str, list[float]] = defaultdict(list)
    for institution, value in RiskResult.objects.filter(
        run=run, subject_kind="contract", code="CRI"
    ).values_list("institution", "value"):
        by_buyer[institution].append(value)
    assert set(_values(run, "CRI", "buyer")) == set(by_buyer)  # every buyer is scored
    for code, value in _values(run, "CRI", "buyer").items():
        assert value == pytest.approx(sum(by_buyer[code]) / len(by_buyer[code]), abs=1e-4)


def test_seeded_execution_defects_raise_their_flags(demo: seed.Summary, in_demo):
    run = run_portfolio(Scope(), as_of=TODAY)
    expected = {
        "late_delivery": "R067",
        "missing_delivery": "R067",
        "rejected_delivery": "R073",
        "amendment_over_20": "R069",
    }
    for defect, code in expected.items():
        seeded = [ocid for ocid, found in demo.defects.items() if defect in found]
        assert seeded, defect
        values = _values(run, code)
        assert all(values[ocid] == 1.0 for ocid in seeded), (defect, code)
    amended = [ocid for ocid, found in demo.defects.items() if "amendment_over_20" in found]
    assert all(_values(run, "R064")[ocid] == 1.0 for ocid in amended)


def test_listed_suppliers_are_flagged_with_their_list_entries(demo: seed.Summary, in_demo):
    run = run_portfolio(Scope(), as_of=TODAY)
    listed = RiskResult.objects.filter(run=run, subject_kind="supplier", code="LISTED", value=1)
    assert listed.exists()
    for result in listed:
        assert result.evidence["listings"][0]["list"] in ("sat_69b", "sat_69", "sanctions")
        assert Supplier.objects.filter(rfc=result.subject_id).exists()


def test_a_population_flag_stores_the_fence_of_its_population(in_demo):
    run = run_portfolio(Scope(), as_of=TODAY)
    rows = RiskResult.objects.filter(run=run, subject_kind="contract", code="R060")
    fences = {tuple(sorted(r.fence.items())) for r in rows}
    assert len(fences) == 1  # one population, one fence
    fence = rows[0].fence
    assert fence["count"] == 240 and fence["method"] == "tukey-r8"
    for r in rows:
        days = r.evidence["days"]
        assert r.value == (1.0 if days >= fence["upper_fence"] and days > 0 else 0.0)


def test_stored_results_keep_their_fence_after_the_population_changes(in_demo):
    first = run_portfolio(Scope(), as_of=TODAY)
    before = RiskResult.objects.filter(run=first, code="R060").first()
    assert before is not None
    fence_before, value_before = before.fence, before.value
    # Forty contracts signed 60 days after their award move R060's quartiles.
    admin = User.objects.get(username="admin")
    unit = BuyingUnit.objects.first()
    supplier = Supplier.objects.exclude(rfc="XEXX010101000").first()
    assert unit is not None and supplier is not None
    for n in range(40):
        register_contract(
            admin, buying_unit=unit, suppliers=[SupplierShare(supplier)], number=f"LATE-{n}",
            title="Servicio", contracting_type="servicio", procedure_type="licitacion_publica",
            award_date=dt.date(2026, 1, 5), signing_date=dt.date(2026, 3, 6),
            start_date=dt.date(2026, 3, 7), end_date=dt.date(2026, 12, 31),
            amount=Decimal("16000000.00"), currency="MXN",
        )  # fmt: skip
    second = run_portfolio(Scope(), as_of=TODAY)
    after = RiskResult.objects.get(run=second, code="R060", subject_id=before.subject_id)
    assert second.population_size == 280
    assert after.fence != fence_before
    before.refresh_from_db()
    assert before.fence == fence_before and before.value == value_before
    assert before.population_size == 240 and before.run.population_size == 240
    assert RiskRun.objects.latest_for("portfolio") == second


def test_a_run_for_one_institution_and_period_sees_only_those_contracts(in_demo):
    code = Contract.objects.values_list("buying_unit__institution__code", flat=True).first()
    scope = Scope(institution=code, since=dt.date(2025, 1, 1), until=dt.date(2025, 12, 31))
    run = run_portfolio(scope, as_of=TODAY)
    expected = Contract.objects.filter(
        buying_unit__institution__code=code, signing_date__year=2025
    ).count()
    assert run.population_size == expected
    assert set(
        RiskResult.objects.filter(run=run, subject_kind="contract").values_list(
            "institution", flat=True
        )
    ) <= {code}
    assert run.population["institution"] == code and run.population["since"] == "2025-01-01"


@pytest.mark.parametrize(
    ("scope", "field"),
    [
        (Scope(institution="NOPE"), "institution"),
        (Scope(since=dt.date(2026, 1, 2), until=dt.date(2026, 1, 1)), "since"),
    ],
)
def test_a_bad_scope_names_the_filter_and_writes_nothing(in_demo, scope, field):
    with pytest.raises(InvalidInput) as raised:
        run_portfolio(scope, as_of=TODAY)
    assert raised.value.field == field
    assert not RiskRun.objects.exists()


def test_the_ranking_is_ordered_and_every_score_is_explained(in_demo):
    run = run_portfolio(Scope(), as_of=TODAY)
    rows = contract_rows(run)
    ranked = ranking.contracts(rows)
    scores = [r.score for r in ranked if r.score is not None]
    assert scores == sorted(scores, reverse=True)
    top = ranked[0]
    assert top.explanation and all(e["value"] > 0 for e in top.explanation)
    assert "SINGLEB" in top.missing
    full = ranking.contracts(contract_rows(run, with_evidence=True))
    assert [r.key for r in full] == [r.key for r in ranked]  # the summary ranks the same
    assert [e["code"] for e in full[0].explanation] == [e["code"] for e in top.explanation]
    suppliers = ranking.suppliers(rows, {})
    assert {s.key for s in suppliers} == {rfc for row in rows for rfc, _ in row.suppliers}


def test_the_risk_command_stores_a_run_and_prints_the_top_contracts(in_demo, capsys):
    call_command("risk", "--as-of", TODAY.isoformat(), "--top", "3")
    out = capsys.readouterr().out
    assert "240 contracts" in out
    assert len([line for line in out.splitlines() if "ocds-" in line]) == 3
    with pytest.raises(CommandError, match="institution"):
        call_command("risk", "--institution", "NOPE")
    with pytest.raises(CommandError, match="--since"):
        call_command("risk", "--since", "ayer")


def test_foreign_suppliers_sharing_the_generic_rfc_are_ranked_apart(in_demo):
    run = run_portfolio(Scope(), as_of=TODAY)
    foreign = Supplier.objects.filter(rfc="XEXX010101000", contracts__isnull=False).distinct()
    keys = {f"XEXX010101000:{s.foreign_tax_id}" for s in foreign}
    assert len(keys) >= 2  # the seeded demo has several foreign suppliers with contracts
    ranked = {s.key for s in ranking.suppliers(contract_rows(run), {})}
    assert keys <= ranked and "XEXX010101000" not in ranked
    listed = RiskResult.objects.filter(run=run, code="LISTED", subject_id__in=keys)
    assert {r.value for r in listed} == {None}  # lists cannot be checked on a generic RFC
