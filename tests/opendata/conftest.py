from __future__ import annotations

import pytest
import time_machine
from tests.opendata.portfolio import Portfolio, at, build
from tests.world import build_world


@pytest.fixture
def portfolio(db: None) -> Portfolio:
    """The portfolio, registered on 2025-06-10 (so that dumps "as of" a 2025 day hold it)."""
    with time_machine.travel(at("2025-06-10", 9), tick=False):
        return build(build_world())
