"""A small demo world (the seed's generator, 120 contracts with their logbooks and alerts,
scored once for risk), loaded once per test module and rolled back at its end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import transaction

from besa.demo import seed
from besa.risk.portfolio import Scope, run_portfolio

TODAY = dt.date(2026, 11, 20)
N_CONTRACTS = 120


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[seed.Summary]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                summary = seed.load(seed=seed.DEFAULT_SEED, today=TODAY, n_contracts=N_CONTRACTS)
                run_portfolio(Scope())  # the risk ranking reads a stored run, as in `besa demo`
                yield summary
                raise _Rollback
        except _Rollback:
            pass
