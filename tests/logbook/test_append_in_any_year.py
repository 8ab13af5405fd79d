"""An append is never refused because the jurisdiction file lists no holidays for its year."""

from __future__ import annotations

import datetime as dt

import time_machine
from tests.world import World, make_contract

from besa.alerts.models import Alert
from besa.logbook.actor import Actor
from besa.logbook.append import append

MEXICO_CITY = dt.timezone(dt.timedelta(hours=-6))

SUFFICIENCY_2031 = {
    "oficio_number": "DGPyP/0101/2031",
    "date": "2031-03-03",
    "amount": "20000000.00",
    "fiscal_year": 2031,
    "budget_key": "2031-12-610-2-1-01-00-001-25301-1-1-09",
}


def test_an_append_dated_2031_works_with_the_bundled_jurisdiction_file(world: World) -> None:
    # Signed on Friday 2031-03-14. The 5 business days after it skip the weekend and Monday
    # 2031-03-17 (third Monday of March, a holiday by rule): Tue 18 ... Mon 24. Registered on
    # Tuesday 25 March, one business day late. No year after 2027 is listed in the file.
    with time_machine.travel(dt.datetime(2031, 3, 25, 12, tzinfo=MEXICO_CITY), tick=False):
        contract = make_contract(
            world.admin,
            world.units["A1"],
            world.supplier,
            award_date=dt.date(2031, 3, 3),
            signing_date=dt.date(2031, 3, 14),
            start_date=dt.date(2031, 3, 17),
            end_date=dt.date(2031, 12, 31),
        )
        entry = append(
            contract, "budget_sufficiency", SUFFICIENCY_2031, actor=Actor.of(world.operator)
        )

    assert entry.sequence == 2
    late = Alert.objects.get(contract=contract, rule="A01")
    assert late.evidence["deadline"] == "2031-03-24"
    assert late.evidence["business_days_late"] == 1
