"""A small demo world (the seed's generator, 120 contracts with their logbooks and alerts,
scored once for risk), loaded once per test module and rolled back at its end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from tests.demo_world import rolled_back_demo

from besa.demo import seed
from besa.risk.portfolio import Scope, run_portfolio

TODAY = dt.date(2026, 11, 20)
N_CONTRACTS = 120


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[seed.Summary]:
    # The risk ranking reads a stored run, as in `besa demo`.
    with (
        django_db_blocker.unblock(),  # type: ignore[attr-defined]
        rolled_back_demo(TODAY, N_CONTRACTS, then=lambda: run_portfolio(Scope())) as summary,
    ):
        yield summary
