"""A small demo data set (loaded once per module, rolled back at its end) for the risk tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from tests.demo_world import rolled_back_demo

from besa.demo import seed

TODAY = dt.date(2026, 11, 20)
#: Enough contracts for every institution to have several, and for fences to mean something.
N_CONTRACTS = 240


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[seed.Summary]:
    with (
        django_db_blocker.unblock(),  # type: ignore[attr-defined]
        rolled_back_demo(TODAY, N_CONTRACTS) as summary,
    ):
        yield summary


@pytest.fixture
def in_demo(demo: seed.Summary, db: None) -> None:
    """The demo; each test's own writes are rolled back at its end (``db``: a savepoint
    inside the module's transaction)."""
