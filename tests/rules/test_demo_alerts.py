"""The demo's seeded defects raise the alerts they promise (``histories.ALERTS``), and its clean
contracts raise none: checked for the whole catalogue on the demo's own planned histories,
folded as the seed appends them (registered at ``registered_at``, noon of the signing day
unless late, each entry recorded after it happened), with the list entries the seed writes for
the list defects as the screening context. Other alerts may follow from a defect's facts
(``histories.ALERTS``' docstring)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import pytest

from besa.demo import histories, seed
from besa.jurisdiction import load
from besa.logbook import kinds, state
from besa.rules import Context, evaluate

TODAY = dt.date(2026, 11, 20)
FEDERAL = load("mx-federal")


def folded(planned: seed.PlannedContract) -> dict[str, Any]:
    zone = FEDERAL.zone
    signed = dt.date.fromisoformat(planned.registration["contract"]["signing_date"])
    recorded = planned.registered_at
    occurred = dt.datetime.combine(signed, dt.time(10), tzinfo=zone)
    items = [("registration", planned.registration, occurred, recorded)]
    for entry in planned.entries:
        recorded = max(
            entry.occurred_at + dt.timedelta(hours=2), recorded + dt.timedelta(seconds=1)
        )
        items.append((entry.kind, entry.payload, entry.occurred_at, recorded))
    folding = state.Fold(state.initial_state(planned.ocid))
    for sequence, (kind, payload, occurred_at, recorded_at) in enumerate(items, 1):
        current = folding.state if sequence > 1 else None
        folding.add(
            {
                "id": f"{planned.ocid}/{sequence}",
                "ocid": planned.ocid,
                "sequence": sequence,
                "kind": kind,
                "occurred_at": occurred_at.isoformat(),
                "recorded_at": recorded_at.isoformat(),
                "payload": kinds.validate_payload(kind, payload, current),
            }
        )
    return folding.state


def raised(snapshot: Mapping[str, Any], planned: seed.PlannedContract) -> set[str]:
    regime = FEDERAL.regime(snapshot["contract"]["regime"])
    context = Context(TODAY, FEDERAL, regime, screening=planned.screening)
    findings, next_check = evaluate(snapshot, context)
    assert next_check is None or next_check > TODAY
    for finding in findings:
        json.dumps(dict(finding.evidence))  # plain JSON: no dates, no Decimals
    return {finding.rule for finding in findings}


@pytest.fixture(scope="module")
def demo() -> list[tuple[frozenset[str], set[str]]]:
    plans = seed.plans_for(today=TODAY, n_contracts=240)
    return [(planned.defects, raised(folded(planned), planned)) for planned in plans]


def test_clean_demo_contracts_raise_no_alert(demo: list[tuple[frozenset[str], set[str]]]) -> None:
    clean = [codes for defects, codes in demo if not defects]

    assert len(clean) > 100
    assert [codes for codes in clean if codes] == []


def test_every_defect_raises_its_alerts(demo: list[tuple[frozenset[str], set[str]]]) -> None:
    missing = []
    for defects, codes in demo:
        expected = {code for d in defects for code in histories.ALERTS[d]}
        if expected - codes:
            missing.append((sorted(defects), sorted(expected - codes)))
    seen = {d for defects, _ in demo for d in defects}

    assert missing == []
    assert seen == set(histories.DEFECTS)  # every defect was tried
