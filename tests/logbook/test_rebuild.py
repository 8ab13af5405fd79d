"""besa rebuild reproduces the live projections exactly, from the logbook alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from besa.demo import seed
from besa.logbook.models import ContractState
from besa.logbook.rebuild import rebuild


def _projections() -> list[tuple[object, ...]]:
    return sorted(
        ContractState.objects.values_list(
            "ocid", "status", "last_sequence", "last_hash", "snapshot"
        )
    )


@pytest.mark.django_db
def test_rebuilding_a_demo_reproduces_every_projection_exactly() -> None:
    seed.load(seed=11, today=dt.date(2026, 11, 1), n_contracts=150)
    live = _projections()
    ContractState.objects.update(snapshot={}, status="stale")  # wreck every projection
    report = rebuild()
    assert len(report.changed) == len(live) == 150
    assert _projections() == live
    call_command("rebuild", "--check")  # and a second pass finds nothing to change
