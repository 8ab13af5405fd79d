"""The demo data set as a module's fixture: loaded once inside a transaction that is rolled
back at the end of the module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from besa.demo import seed
from besa.logbook import triggers


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back_demo(
    today: dt.date, n_contracts: int = seed.N_CONTRACTS, then: Callable[[], object] | None = None
) -> Iterator[seed.Summary]:
    """``seed.load`` (then ``then()``, e.g. the risk run) in a transaction rolled back when
    the block ends. The append-only triggers are made sure of first, inside the transaction:
    a test on committed transactions on this worker drops them at its teardown
    (``tests.conftest._flushable_logbook``), and the demo's tests verify the logbook as
    production has it; recreated here, they vanish with the rollback."""
    try:
        with transaction.atomic():
            if triggers.missing(connection):
                triggers.create(connection)
            summary = seed.load(seed=seed.DEFAULT_SEED, today=today, n_contracts=n_contracts)
            if then is not None:
                then()
            yield summary
            raise _Rollback
    except _Rollback:
        pass
