"""Eight threads appending at once give gap-free per-contract sequences and an intact chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from tests.logbook.test_append import SUFFICIENCY
from tests.world import build_world, make_contract

from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.checkpoints import make_checkpoint
from besa.logbook.models import Entry
from besa.logbook.verify import verify

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks across connections need PostgreSQL; runs in CI's PostgreSQL pass",
)

APPENDS_PER_THREAD = 15


@pytest.mark.usefixtures("transactional_logbook")
def test_eight_threads_on_one_and_on_different_contracts_keep_every_chain_intact() -> None:
    world = build_world()
    shared = world.contracts["A1"]
    own = [make_contract(world.admin, world.units["B1"], world.supplier) for _ in range(4)]
    targets = [shared] * 4 + own
    errors: list[BaseException] = []
    start = threading.Barrier(len(targets))

    def work(index: int) -> None:
        try:
            start.wait()
            for n in range(APPENDS_PER_THREAD):
                append(
                    targets[index],
                    "budget_sufficiency",
                    {**SUFFICIENCY, "oficio_number": f"T{index}/{n}"},
                    actor=Actor.system("test"),
                )
                if n == 7 and index == 0:
                    make_checkpoint()  # a checkpoint taken mid-stream must still verify
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(targets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    make_checkpoint()

    shared_seqs = list(
        Entry.objects.filter(contract=shared)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    assert shared_seqs == list(range(1, 2 + 4 * APPENDS_PER_THREAD))
    for contract in own:
        assert Entry.objects.filter(contract=contract).count() == 1 + APPENDS_PER_THREAD
    report = verify()
    assert report.intact, [b.describe() for b in report.breaks]
    assert report.checkpoints == 2
