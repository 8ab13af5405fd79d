"""Storing Cardinal-compatible indicator output and scored imported processes, with fences."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from besa.exceptions import InvalidInput
from besa.risk import cri
from besa.risk.indicators import fence_for, store_indicators
from besa.risk.models import RiskResult, RiskRun, RunKind
from besa.risk.process import bidder_graph, process_flags, store_process, store_processes
from besa.risk.releases import read_releases

FIXTURES = Path(__file__).parents[1] / "fixtures" / "risk"

#: The example of indicators-cardinal.md §6.
CARDINAL = {
    "OCID": {"ocds-1": {"R003": 1.0, "R028": 1.0, "R024": 0.0123}},
    "Tenderer": {"T1": {"R024": 0.0, "R025": 0.2, "R038": 0.6}},
    "Buyer": {"B1": {"R038": 0.59}},
    "ProcuringEntity": {"PE1": {"R038": 0.59}},
    "Meta": {
        "R024": {"q1": 66.6667, "q3": 100.0, "lower_fence": 16.6667},
        "R038": {"Buyer_q1": 0.5, "Buyer_q3": 0.5, "Buyer_upper_fence": 0.5},
        "R048": {"q1": None, "q3": None, "upper_fence": None},
    },
    "Maps": {"ocid_tenderer": {"ocds-1": ["T1"]}},
}


def test_each_indicator_value_is_stored_with_the_fence_of_its_code_and_group(db):
    run = store_indicators(CARDINAL, source="out.json")
    assert run.kind == "indicators" and run.population_size == 1
    assert run.results.count() == 8
    r024 = run.results.get(subject_kind="contract", subject_id="ocds-1", code="R024")
    assert r024.value == 0.0123
    assert r024.fence == {"q1": 66.6667, "q3": 100.0, "lower_fence": 16.6667}
    buyer = run.results.get(subject_kind="buyer", code="R038")
    assert buyer.fence == {"q1": 0.5, "q3": 0.5, "upper_fence": 0.5}
    # R038 of a tenderer: Meta has only Buyer_ keys for it, no unprefixed ones.
    assert run.results.get(subject_kind="supplier", code="R038").fence is None
    assert run.results.get(code="R003").fence is None


def test_fence_lookup_prefers_the_groups_own_keys():
    meta = {"R038": {"Buyer_q1": 0.5, "Tenderer_q1": 0.1, "q1": 9}}
    assert fence_for(meta, "Tenderer", "R038") == {"q1": 0.1}
    assert fence_for(meta, "OCID", "R038") == {"q1": 9}


@pytest.mark.parametrize(
    ("output", "field"),
    [
        ([], "indicators"),
        ({"OCID": {"x": {"R003": "high"}}}, "OCID.x.R003"),
        ({"Supplier": {}}, "Supplier"),
        ({"OCID": {"x": 1}}, "OCID.x"),
    ],
)
def test_bad_indicator_output_names_the_culprit_and_writes_nothing(db, output, field):
    with pytest.raises(InvalidInput) as raised:
        store_indicators(output)
    assert raised.value.field == field
    assert not RiskRun.objects.exists() and not RiskResult.objects.exists()


def _inai(name: str) -> dict:
    return read_releases(FIXTURES / "inai" / f"{name}.json.gz")[0]


def test_process_flags_of_a_real_inai_open_tender():
    flags = {f.code: f for f in process_flags(_inai("PC-0010-PC-0010"))}
    # tenderPeriod 2016-11-18 → 2016-12-06: 18 days, the middle band; 7 tenderers; open.
    assert flags["SUBMP"].evidence["days"] == 18 and flags["SUBMP"].value == 0.5
    assert flags["SINGLEB"].value == 0.0 and flags["SINGLEB"].evidence["bids"] == 7
    assert flags["PROC"].value == 0.0 and flags["NOCFT"].value == 0.0
    components = [f.value for code, f in flags.items() if code != "CRI" and f.value is not None]
    assert flags["CRI"].value == round(sum(components) / len(components), 4)


def test_imported_processes_are_scored_and_their_bidder_graph_stored(db):
    releases = [
        release
        for folder in ("jalisco", "inai")
        for path in sorted((FIXTURES / folder).glob("*.json.gz"))
        for release in read_releases(path)
    ]
    run = store_processes(releases, source="samples")
    assert run.population_size == 20
    assert run.results.filter(subject_kind="contract", code="CRI").count() == 20
    graph = bidder_graph(run)
    assert "MET8908305M9" in graph and graph.has_edge("MET8908305M9", "ACT050330C61")
    single = store_process(_inai("PC-0018-PC-0018"))
    assert single.results.get(subject_kind="contract", code="SINGLEB").value == 1.0
    # A process scored as it arrives does not replace the batch in the rankings.
    assert single.kind == "process_live"
    assert RiskRun.objects.latest_for("process") == run
    # The first run is untouched by the second.
    assert run.results.filter(subject_kind="contract", code="CRI").count() == 20


def test_a_release_without_ocid_is_rejected_before_anything_is_written(db):
    with pytest.raises(InvalidInput) as raised:
        store_processes([{"ocid": "a"}, {"tender": {}}])
    assert raised.value.field == "release 2.ocid"
    assert not RiskRun.objects.exists()


def test_the_risk_command_scores_a_releases_file(db, capsys):
    call_command("risk", "--releases", str(FIXTURES / "inai" / "PC-0010-PC-0010.json.gz"))
    assert "1 processes scored" in capsys.readouterr().out
    assert RiskRun.objects.get().kind == "process"
    with pytest.raises(CommandError, match=r"missing\.json"):
        call_command("risk", "--releases", str(FIXTURES / "missing.json"))
    assert RiskRun.objects.count() == 1


def test_a_run_limited_to_a_period_never_stands_for_the_whole_portfolio(db):
    now = timezone.now()
    whole = RiskRun.objects.create(
        kind=RunKind.PORTFOLIO, as_of=now.date(), started_at=now, finished_at=now
    )
    RiskRun.objects.create(
        kind=RunKind.PORTFOLIO,
        as_of=now.date(),
        since=dt.date(2025, 1, 1),
        started_at=now,
        finished_at=now + dt.timedelta(minutes=1),
    )

    assert RiskRun.objects.latest_for(RunKind.PORTFOLIO) == whole


def test_a_process_run_stores_cardinals_per_process_flags_beside_the_components(db):
    def bid(status, tenderer, amount):
        return {
            "status": status,
            "tenderers": [{"id": tenderer}],
            "value": {"amount": amount, "currency": "MXN"},
        }

    flagged = {
        "ocid": "ocds-short",
        "tender": {
            "procurementMethod": "open",
            "numberOfTenderers": 1,
            "tenderPeriod": {
                "startDate": "2025-01-01T00:00:00Z",
                "endDate": "2025-01-05T00:00:00Z",
            },
        },
        # The lowest bid is disqualified, and two others are (R035: all but the winner).
        "bids": {
            "details": [
                bid("disqualified", "LOW", Decimal("90.5")),
                bid("valid", "WIN", Decimal("100")),
                bid("disqualified", "OTHER", 120),
            ]
        },
        "awards": [{"status": "active", "suppliers": [{"id": "WIN"}]}],
    }
    clean = {"ocid": "ocds-clean", "tender": {"procurementMethod": "open"}}
    run = store_processes([flagged, clean], source="test")
    codes = dict(
        run.results.filter(subject_id="ocds-short", code__startswith="R0").values_list(
            "code", "value"
        )
    )
    assert codes == {"R003": 1.0, "R018": 1.0, "R035": 1.0, "R036": 1.0}
    r035 = run.results.get(subject_id="ocds-short", code="R035")
    assert r035.evidence == {"indicator": "Cardinal R035", "other_disqualified_tenderers": 2}
    assert not run.results.filter(subject_id="ocds-clean", code__startswith="R0").exists()
    # The CRI is the mean of the CRI components only.
    cri_row = run.results.get(subject_id="ocds-short", code="CRI")
    components = [f for f in process_flags(flagged) if f.code != "CRI"]
    assert cri_row.value == cri.index(components).value
    # A live run (one import batch) stores the components only: the engine's fixed cost per
    # call would nearly double an import.
    live = store_process(flagged)
    assert live.results.filter(subject_id="ocds-short", code="CRI").exists()
    assert not live.results.filter(code__startswith="R0").exists()
