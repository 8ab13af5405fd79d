"""Rule inputs by file import: institutions' budgets and the PEF annex (A24), rescissions from
before BESA and from other contracts' logbooks (A21), market research at registration (A25).

Each input makes its rule fire or not at the boundary, a bad file is refused naming its line
with nothing written, and importing the same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from tests.alerts.conftest import at
from tests.interop.lists.conftest import table_dump
from tests.world import World, make_contract

from besa.alerts.models import Alert, AlertState
from besa.exceptions import InvalidInput
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.registry.models import Contract, InstitutionBudget, PefLimit, PriorRescission

Importer = Callable[..., tuple[int, str]]
RFC = "GODE561231GR8"  # the world's supplier


def open_alerts(rule: str, contract: Contract | None = None) -> list[Alert]:
    alerts = Alert.objects.filter(rule=rule).exclude(state=AlertState.CORRECTED)
    if contract is not None:
        alerts = alerts.filter(contract=contract)
    return list(alerts)


def art42(world: World, signed: str, amount: str, **terms: Any) -> Contract:
    """A direct award of institution A by amount (art. 42, 2000 law), signed in 2024."""
    day = dt.date.fromisoformat(signed)
    fields: dict[str, Any] = dict(
        procedure_type="adjudicacion_directa",
        legal_basis="LAASSP art. 42 párrafo primero",
        exception_justification="Dictamen de excepción por monto",
        award_date=day - dt.timedelta(days=3),
        signing_date=day,
        start_date=day + dt.timedelta(days=1),
        end_date=dt.date(2024, 12, 31),
        amount=Decimal(amount),
    )
    fields.update(terms)
    return make_contract(world.admin, world.units["A1"], world.supplier, **fields)


def budgets_csv(*rows: str) -> bytes:
    return ("\n".join(["institucion,ejercicio,presupuesto", *rows]) + "\n").encode()


# --- A24: budgets ---------------------------------------------------------------------------


def test_a_budget_import_makes_a24_judge_the_art_42_share_at_its_boundary(
    world: World, importer: Importer
) -> None:
    first = art42(world, "2024-03-01", "200000.00")
    second = art42(world, "2024-04-01", "100000.00")
    assert first.regime == "LAASSP-2000"  # 30 % of the budget

    status, report = importer("budgets", budgets_csv("INSTA,2024,1000000.00"))
    assert status == 0, report
    assert "budgets: 1 new" in report and "re-evaluated 2 contracts: 0 alerts opened" in report
    assert open_alerts("A24") == []  # 300,000.00 is exactly 30 %

    status, report = importer("budgets", budgets_csv('INSTA,2024,"$999,999.99"'))
    assert status == 0 and "1 replaced" in report and "1 alerts opened (A24 1)" in report
    (alert,) = open_alerts("A24")
    assert alert.contract_id == second.pk  # the award that crossed the cap, not the first
    assert alert.evidence["breaches"] == ["art42_share_exceeded"]
    assert (alert.evidence["art42_total"], alert.evidence["annual_budget"]) == (
        "300000.00", "999999.99",
    )  # fmt: skip

    before = table_dump()
    status, again = importer("budgets", budgets_csv('INSTA,2024,"$999,999.99"'))
    assert status == 0 and "1 already recorded" in again and "0 alerts opened" in again
    assert table_dump() == before
    assert InstitutionBudget.objects.get().source == "input.csv"
    assert first.pk != second.pk


@pytest.mark.parametrize(
    ("rows", "line", "says"),
    [
        pytest.param(["INSTA,2024,1000000", "NOPE,2024,5"], "line 3", "unknown institution",
                     id="unknown institution"),
        pytest.param(["INSTA,2024,1000000", "INSTA,2024,5"], "line 3", "repetido",
                     id="repeated year"),
        pytest.param(["INSTA,2024,1000000", "INSTB,2024,0"], "line 3", "mayor que cero",
                     id="zero"),
        pytest.param(["INSTA,2024,1000000", "INSTB,2024,1.005"], "line 3", "invalid amount",
                     id="three decimals"),
        pytest.param(["INSTA,1999,1000000"], "line 2", "fiscal year", id="year out of range"),
    ],
)  # fmt: skip
def test_a_bad_budget_file_is_refused_naming_its_line_and_nothing_is_written(
    world: World, importer: Importer, rows: list[str], line: str, says: str
) -> None:
    before = table_dump()
    status, report = importer("budgets", budgets_csv(*rows))
    assert status == 2 and f"error: {line}:" in report and says in report, report
    assert table_dump() == before


def test_a_budget_file_without_its_columns_is_refused() -> None:
    from besa.interop.lists.ruleinputs import parse_budgets

    with pytest.raises(InvalidInput) as refused:
        parse_budgets(b"institucion,anio,monto\nINSTA,2024,1\n")
    assert refused.value.field == "line 1" and "ejercicio" in refused.value.message


# --- A24: PEF annex -------------------------------------------------------------------------

PEF_2024 = (
    b"ejercicio,presupuesto_mayor_de,presupuesto_hasta,adjudicacion_directa,invitacion\n"
    b"2024,0,15000,300,2500\n"
    b"2024,15000,30000,350,2800\n"
    b"2024,30000,,400,3000\n"
)


def test_the_pef_annex_gives_a24_its_maximum_for_the_institutions_bracket(
    world: World, importer: Importer
) -> None:
    at_limit = art42(world, "2024-05-02", "400000.00")
    above = art42(world, "2024-05-03", "400000.01")
    by_cause = art42(world, "2024-05-06", "900000.00", legal_basis="LAASSP art. 41 fr. III")
    assert importer("budgets", budgets_csv("INSTA,2024,1000000000.00"))[0] == 0  # no share issue
    assert open_alerts("A24") == []

    status, report = importer("pef-limits", PEF_2024)
    assert status == 0, report
    assert "PEF brackets: 3 new" in report
    assert PefLimit.objects.get(budget_up_to=None).direct_award_max == Decimal("400000")
    (alert,) = open_alerts("A24")
    assert alert.contract_id == above.pk
    assert alert.evidence["pef_max_amount"] == "400000.00"  # 1,000 M is in the top bracket
    assert alert.evidence["pef_max_amount_source"] == "pef_annex"
    assert {at_limit.pk, by_cause.pk}.isdisjoint({a.contract_id for a in open_alerts("A24")})

    before = table_dump()
    status, again = importer("pef-limits", PEF_2024)
    assert status == 0 and "3 already recorded" in again and "0 alerts opened" in again
    assert table_dump() == before


def test_a_smaller_budget_falls_in_a_lower_bracket(world: World, importer: Importer) -> None:
    contract = art42(world, "2024-05-03", "300000.01")
    assert importer("pef-limits", PEF_2024)[0] == 0
    assert importer("budgets", budgets_csv("INSTA,2024,15000000.00"))[0] == 0  # up to 15,000 k
    (alert,) = open_alerts("A24", contract)
    assert alert.evidence["pef_max_amount"] == "300000.00"
    assert importer("budgets", budgets_csv("INSTA,2024,15000000.01"))[0] == 0  # next bracket
    assert open_alerts("A24", contract) == []  # 350,000.00 now: corrected


@pytest.mark.parametrize(
    ("body", "line", "says"),
    [
        pytest.param("2024,0,15000,300,2500\n2024,14000,30000,350,2800\n", "line 3",
                     "traslapa", id="overlapping brackets"),
        pytest.param("2024,0,15000,300,2500\n2024,15000,10000,350,2800\n", "line 3",
                     "upper bound", id="upper below lower"),
        pytest.param("2024,0,15000,300,250\n", "line 2", "invitation maximum",
                     id="invitation below direct award"),
        pytest.param("2024,0,15000,300\n", "line 2", "columnas", id="short row"),
    ],
)  # fmt: skip
def test_a_bad_pef_file_is_refused_naming_its_line_and_nothing_is_written(
    world: World, importer: Importer, body: str, line: str, says: str
) -> None:
    data = PEF_2024.split(b"\n")[0] + b"\n" + body.encode()
    before = table_dump()
    status, report = importer("pef-limits", data)
    assert status == 2 and f"error: {line}:" in report and says in report, report
    assert table_dump() == before


# --- A21: rescissions -----------------------------------------------------------------------


def rescind(world: World, contract: Contract, notice: str, resolution: str) -> None:
    for payload, day in (
        ({"stage": "notice", "date": notice, "cause": "Atraso en la entrega"}, notice),
        ({"stage": "resolution", "date": resolution}, resolution),
    ):
        append(contract, "rescission", payload, actor=Actor.of(world.admin),
               occurred_at=at(day), now=at(day))  # fmt: skip


def second_rescission(contract: Contract) -> list[Alert]:
    return [a for a in open_alerts("A21", contract) if a.subject.startswith("second_")]


def rescissions_csv(*rows: str) -> bytes:
    header = "rfc,proveedor,institucion,contrato,fecha_rescision,fecha_notificacion"
    return ("\n".join([header, *rows]) + "\n").encode()


def test_a_rescission_before_besa_makes_the_next_one_a_second_within_two_years(
    world: World, importer: Importer
) -> None:
    contract = world.contracts["A1"]
    rescind(world, contract, "2025-07-01", "2025-07-15")
    assert second_rescission(contract) == []

    too_old = rescissions_csv(f"{RFC},Eduardo González,IMSS,OLD-1,14/07/2023,")
    status, report = importer("rescissions", too_old)
    assert status == 0 and "rescissions: 1 new" in report, report
    assert second_rescission(contract) == []  # two years and a day before

    on_the_day = rescissions_csv(f"{RFC},Eduardo González,IMSS,OLD-2,2023-07-15,2023-06-30")
    status, report = importer("rescissions", on_the_day)
    assert status == 0 and "1 alerts opened (A21 1)" in report, report
    (alert,) = second_rescission(contract)
    assert alert.subject == f"second_rescission:{RFC}"
    assert alert.evidence["earlier_rescissions"] == [
        {"date": "2023-07-15", "source": "import", "contract": "OLD-2", "institution": "IMSS"}
    ]

    before = table_dump()
    status, again = importer("rescissions", on_the_day)
    assert status == 0 and "1 already recorded" in again and "0 alerts opened" in again
    assert table_dump() == before


def test_a_rescission_in_another_contracts_logbook_counts(world: World) -> None:
    first, later = world.contracts["A1"], world.contracts["B1"]  # same supplier, two institutions
    rescind(world, first, "2025-07-01", "2025-07-15")
    assert second_rescission(first) == []
    rescind(world, later, "2025-08-01", "2025-08-20")
    assert second_rescission(first) == []  # the earlier contract never looks forward
    (alert,) = second_rescission(later)
    assert alert.evidence["earlier_rescissions"] == [
        {"date": "2025-07-15", "source": "logbook", "contract": first.number,
         "institution": "INSTA"}
    ]  # fmt: skip


def test_a_resolution_not_to_rescind_is_not_a_rescission(world: World) -> None:
    first, later = world.contracts["A1"], world.contracts["A2"]
    for payload, day in (
        ({"stage": "notice", "date": "2025-07-01", "cause": "Atraso"}, "2025-07-01"),
        ({"stage": "resolution", "date": "2025-07-15", "decision": "not_rescinded"}, "2025-07-15"),
    ):
        append(first, "rescission", payload, actor=Actor.of(world.admin), occurred_at=at(day),
               now=at(day))  # fmt: skip
    rescind(world, later, "2025-08-01", "2025-08-20")
    assert second_rescission(later) == []


@pytest.mark.parametrize(
    ("row", "says"),
    [
        pytest.param(f"{RFC},X,IMSS,OLD-1,31/02/2023,", "unrecognised date", id="bad date"),
        pytest.param("GODE56,X,IMSS,OLD-1,2023-01-01,", "malformed RFC", id="bad RFC"),
        pytest.param(f"{RFC},X,,OLD-1,2023-01-01,", "institution", id="no institution"),
        pytest.param(f"{RFC},X,IMSS,OLD-1,2023-01-01,2023-02-01", "notice after",
                     id="notice after the rescission"),
        pytest.param(f"{RFC},X,IMSS,OLD-1,2099-01-01,", "future", id="future"),
    ],
)  # fmt: skip
def test_a_bad_rescissions_file_is_refused_naming_its_line_and_nothing_is_written(
    world: World, importer: Importer, row: str, says: str
) -> None:
    good = f"{RFC},Eduardo González,IMSS,OLD-0,2023-01-01,"
    before = table_dump()
    status, report = importer("rescissions", rescissions_csv(good, row))
    assert status == 2 and "error: line 3:" in report and says in report, report
    assert table_dump() == before


def test_the_same_contract_with_another_date_is_refused_not_overwritten(
    world: World, importer: Importer
) -> None:
    assert importer("rescissions", rescissions_csv(f"{RFC},E,IMSS,OLD-1,2023-01-01,"))[0] == 0
    status, report = importer(
        "rescissions",
        rescissions_csv(f"{RFC},E,IMSS,OLD-9,2023-03-01,", f"{RFC},E,IMSS,OLD-1,2023-01-02,"),
    )
    assert status == 2 and "error: line 3:" in report
    assert list(PriorRescission.objects.values_list("contract_number", flat=True)) == ["OLD-1"]


# --- A25: market research at registration -----------------------------------------------------


def test_market_research_prices_registered_with_the_contract_drive_a25(world: World) -> None:
    fair = make_contract(world.admin, world.units["A1"], world.supplier,
                         market_research_prices=[Decimal("18181818.19"), Decimal("19000000.00"),
                                                 Decimal("17000000.00")])  # fmt: skip
    assert fair.regime == "LAASSP-2025"
    assert open_alerts("A25", fair) == []  # 20 M is 109.99 % of the 18,181,818.19 median
    dear = make_contract(world.admin, world.units["A1"], world.supplier,
                         market_research_prices=["18181818.18"])  # fmt: skip
    (alert,) = open_alerts("A25", dear)
    assert alert.evidence["breaches"] == ["unacceptable_price"]
    assert alert.evidence["market_median_amount"] == "18181818.18"


def test_a_median_that_contradicts_the_prices_refuses_the_registration(world: World) -> None:
    count = Contract.objects.count()
    with pytest.raises(InvalidInput) as refused:
        make_contract(
            world.admin,
            world.units["A1"],
            world.supplier,
            market_research_prices=["1.00", "3.00"],
            market_median_amount="2.50",
        )
    assert refused.value.field == "payload.contract.market_median_amount"
    assert Contract.objects.count() == count


# --- interrupted imports ----------------------------------------------------------------------


class Killed(BaseException):
    """Stands for the process being killed (not an ``Exception``: nothing may catch it)."""


def test_an_import_killed_while_writing_leaves_nothing(
    world: World, importer: Importer, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = InstitutionBudget.objects.create
    calls = []

    def dies_on_the_second(**fields: Any) -> InstitutionBudget:
        calls.append(fields)
        if len(calls) == 2:
            raise Killed
        return original(**fields)

    monkeypatch.setattr(InstitutionBudget.objects, "create", dies_on_the_second)
    before = table_dump()
    with pytest.raises(Killed):
        importer("budgets", budgets_csv("INSTA,2024,1000000", "INSTB,2024,2000000"))
    assert table_dump() == before


def test_an_import_killed_before_re_evaluating_is_finished_by_importing_it_again(
    world: World, importer: Importer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from besa.interop.lists import rescreen

    art42(world, "2024-03-01", "200000.00")
    crossing = art42(world, "2024-04-01", "100000.00")

    def killed(*args: Any) -> None:
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(rescreen, "reevaluate", killed)
        with pytest.raises(Killed):
            importer("budgets", budgets_csv("INSTA,2024,999999.99"))
    assert InstitutionBudget.objects.get().amount == Decimal("999999.99")  # committed
    assert open_alerts("A24") == []  # but nobody looked at the contracts yet

    status, report = importer("budgets", budgets_csv("INSTA,2024,999999.99"))
    assert status == 0 and "1 already recorded" in report and "1 alerts opened" in report
    (alert,) = open_alerts("A24")
    assert alert.contract_id == crossing.pk


# --- A25: market research by file ---------------------------------------------------------------


def market_csv(*rows: str) -> bytes:
    return ("\n".join(["ocid,precio,fuente", *rows]) + "\n").encode()


def test_a_market_research_file_rectifies_registrations_and_a25_fires_at_its_boundary(
    world: World, importer: Importer
) -> None:
    fair, dear = world.contracts["A1"], world.contracts["A2"]  # 20,000,000.00 each, 2025 law
    data = market_csv(
        f"{fair.ocid},18181818.19,Cotización A",
        f"{dear.ocid},18181818.18,Cotización A",
        f"{fair.ocid},17000000.00,Cotización B",
        f"{fair.ocid},19500000.00,CompraNet",
    )
    status, report = importer("market-research", data)
    assert status == 0 and "2 contracts given prices" in report, report
    assert open_alerts("A25", fair) == []  # median 18,181,818.19: 20 M is 109.99 %
    (alert,) = open_alerts("A25", dear)
    assert alert.evidence["breaches"] == ["unacceptable_price"]
    rectification = fair.entries.get(kind="rectification")
    assert rectification.payload["payload"]["contract"]["market_research_prices"] == [
        "18181818.19", "17000000.00", "19500000.00",
    ]  # fmt: skip
    assert rectification.actor["user"] == "import:market-research"

    before = table_dump()
    status, again = importer("market-research", data)
    assert status == 0 and "2 already recorded" in again
    assert table_dump() == before


@pytest.mark.parametrize(
    ("row", "says"),
    [
        pytest.param("ocds-nope-1,100.00,X", "unknown contract", id="unknown contract"),
        pytest.param("{ocid},-1,X", "invalid amount", id="negative price"),
        pytest.param("{ocid},0,X", "mayor que cero", id="zero"),
        pytest.param(",100.00,X", "ocid", id="no ocid"),
    ],
)
def test_a_bad_market_research_file_is_refused_naming_its_line_and_nothing_is_written(
    world: World, importer: Importer, row: str, says: str
) -> None:
    ocid = world.contracts["A1"].ocid
    before = table_dump()
    status, report = importer(
        "market-research", market_csv(f"{ocid},100.00,X", row.format(ocid=ocid))
    )
    assert status == 2 and "error: line 3:" in report and says in report, report
    assert table_dump() == before


def test_prices_contradicting_a_recorded_median_refuse_the_whole_file(
    world: World, importer: Importer
) -> None:
    with_median = make_contract(world.admin, world.units["A1"], world.supplier,
                                market_median_amount="19000000.00")  # fmt: skip
    first = world.contracts["A1"]
    before = table_dump()
    status, report = importer(
        "market-research",
        market_csv(f"{first.ocid},19000000.00,A", f"{with_median.ocid},18000000.00,A"),
    )
    assert status == 2 and "error: line 3:" in report and "median" in report, report
    assert table_dump() == before  # the first contract's rectification was rolled back too


def test_a_rectified_resolution_counts_as_corrected(world: World) -> None:
    first, later = world.contracts["A1"], world.contracts["A2"]
    rescind(world, first, "2025-07-01", "2025-07-15")
    (resolution,) = [e for e in first.entries.filter(kind="rescission")
                     if e.payload["stage"] == "resolution"]  # fmt: skip
    rescind(world, later, "2025-08-01", "2025-08-20")
    assert len(second_rescission(later)) == 1
    corrected = {"stage": "resolution", "date": "2025-07-15", "decision": "not_rescinded"}
    rectification = {"corrects": str(resolution.uuid), "reason": "Se resolvió no rescindir",
                     "payload": corrected}  # fmt: skip
    moment = at("2025-08-25")
    append(first, "rectification", rectification, actor=Actor.of(world.admin),
           occurred_at=moment, now=moment)  # fmt: skip
    from besa.interop.lists.rescreen import reevaluate

    reevaluate([later.pk], at("2025-08-26"))  # as the next import or entry would
    assert second_rescission(later) == []
