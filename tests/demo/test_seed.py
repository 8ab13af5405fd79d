"""The demo data set is realistic, valid and deterministic."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from besa.demo import seed
from besa.logbook.models import Entry
from besa.registry.models import Contract, Role, Supplier, User
from besa.registry.registration import check_contract
from besa.registry.validation import check_rfc

TODAY = dt.date(2026, 11, 1)


@pytest.fixture
def demo(db: None) -> seed.Summary:
    return seed.load(seed=7, today=TODAY)


def test_the_demo_has_the_promised_size(demo: seed.Summary) -> None:
    assert (demo.institutions, demo.buying_units, demo.suppliers, demo.contracts) == (
        30,
        120,
        400,
        2000,
    )
    assert Contract.objects.count() == 2000
    assert set(User.objects.values_list("role", flat=True)) == {r.value for r in Role}


def test_every_demo_supplier_has_a_valid_rfc(demo: seed.Summary) -> None:
    for supplier in Supplier.objects.all():
        assert check_rfc(supplier.rfc, strict=True).rfc == supplier.rfc


def test_every_demo_contract_passes_registration_checks(demo: seed.Summary) -> None:
    for contract in Contract.objects.all()[:300]:
        check_contract(contract)


def test_the_demo_spans_three_years_two_regimes_and_three_currencies(demo: seed.Summary) -> None:
    dates = Contract.objects.values_list("signing_date", flat=True)
    assert min(dates) >= TODAY - dt.timedelta(days=3 * 365)
    assert set(Contract.objects.values_list("regime", flat=True)) == {"LAASSP-2000", "LAASSP-2025"}
    assert set(Contract.objects.values_list("currency", flat=True)) == {"MXN", "USD", "EUR"}


def test_the_same_seed_gives_the_same_data(db: None) -> None:
    def load_and_read() -> list[tuple[object, ...]]:
        with transaction.atomic():
            seed.load(seed=7, today=TODAY)
            rows = sorted(Entry.objects.values_list("ocid", "sequence", "kind", "payload"))
            transaction.set_rollback(True)  # the logbook is append-only: roll back instead
        return rows

    first = load_and_read()
    assert len(first) == 2000
    assert load_and_read() == first


def test_the_demo_operator_sees_only_its_two_buying_units(demo: seed.Summary) -> None:
    operator = User.objects.get(username="operador")
    visible = Contract.objects.visible_to(operator)
    assert 0 < visible.count() < Contract.objects.count()
    assert set(visible.values_list("buying_unit", flat=True)) <= set(
        operator.buying_units.values_list("id", flat=True)
    )


def test_loading_is_refused_on_a_non_empty_database(demo: seed.Summary) -> None:
    assert not seed.is_empty()
