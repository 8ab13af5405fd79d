"""Bad input gets a clear message naming the field and writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from tests.world import World, make_contract

from besa.exceptions import InvalidInput, InvalidRFC
from besa.registry.models import Contract, ContractSupplier, Supplier
from besa.registry.suppliers import register_supplier

BAD_CONTRACTS = [
    ("a negative amount", {"amount": Decimal("-5")}, "amount"),
    ("a zero amount", {"amount": Decimal("0")}, "amount"),
    ("an end date before the start", {"end_date": dt.date(2025, 6, 1)}, "end_date"),
    ("an unknown currency", {"currency": "XYZ"}, "currency"),
    ("a foreign currency without exchange rate", {"currency": "USD"}, "exchange_rate"),
    ("signing before the award", {"award_date": dt.date(2025, 7, 1)}, "signing_date"),
    ("an unknown procedure type", {"procedure_type": "sorteo"}, "procedure_type"),
    ("an unknown legal regime", {"regime": "LAASSP-1993"}, "regime"),
    (
        "an open contract whose minimum is below 40 % of the maximum",
        {"is_open": True, "min_amount": Decimal("1000000"), "max_amount": Decimal("20000000")},
        "min_amount",
    ),
    ("a guarantee over 100 %", {"guarantee_percent": Decimal("120")}, "guarantee_percent"),
]


@pytest.mark.parametrize(
    ("case", "overrides", "field"), BAD_CONTRACTS, ids=[c[0] for c in BAD_CONTRACTS]
)
def test_a_bad_contract_is_rejected_naming_the_field(
    world: World, case: str, overrides: dict[str, object], field: str
) -> None:
    before = (Contract.objects.count(), ContractSupplier.objects.count())
    with pytest.raises(InvalidInput) as err:
        make_contract(world.operator, world.units["A1"], world.supplier, **overrides)
    assert err.value.field == field
    assert field in str(err.value)
    assert (Contract.objects.count(), ContractSupplier.objects.count()) == before


def test_a_foreign_currency_contract_with_exchange_rate_is_accepted(world: World) -> None:
    contract = make_contract(
        world.operator,
        world.units["A1"],
        world.supplier,
        currency="usd",
        amount=Decimal("1000000"),
        exchange_rate=Decimal("18.50"),
    )
    assert contract.currency == "USD"
    assert contract.amount_mxn == Decimal("18500000.00")


def test_the_regime_follows_the_signing_date(world: World) -> None:
    old = make_contract(
        world.operator,
        world.units["A1"],
        world.supplier,
        award_date=dt.date(2025, 4, 1),
        signing_date=dt.date(2025, 4, 16),
        start_date=dt.date(2025, 4, 16),
    )
    new = make_contract(
        world.operator,
        world.units["A1"],
        world.supplier,
        award_date=dt.date(2025, 4, 1),
        signing_date=dt.date(2025, 4, 17),
        start_date=dt.date(2025, 4, 17),
    )
    assert (old.regime, new.regime) == ("LAASSP-2000", "LAASSP-2025")


def test_a_supplier_with_a_wrong_check_digit_is_refused_and_not_written(db: None) -> None:
    with pytest.raises(InvalidRFC) as err:
        register_supplier(rfc="GODE561231GR9", name="Eduardo González")
    assert err.value.field == "rfc"
    assert not Supplier.objects.exists()


def test_an_imported_supplier_with_a_wrong_check_digit_is_kept_with_a_warning(db: None) -> None:
    supplier = register_supplier(rfc="GODE561231GR9", name="Eduardo González", strict=False)
    assert supplier.rfc_warning == "invalid check digit"


def test_many_foreign_suppliers_share_the_generic_rfc(db: None) -> None:
    a = register_supplier(rfc="XEXX010101000", name="Acme Inc.")
    b = register_supplier(rfc="XEXX010101000", name="Globex GmbH")
    assert a.pk != b.pk
    assert register_supplier(rfc="XEXX010101000", name="Acme Inc.").pk == a.pk


def test_registering_the_same_rfc_twice_returns_the_same_supplier(db: None) -> None:
    a = register_supplier(rfc="gode-561231-gr8", name="Eduardo González")
    assert a.rfc == "GODE561231GR8"
    assert register_supplier(rfc="GODE561231GR8", name="E. González").pk == a.pk
