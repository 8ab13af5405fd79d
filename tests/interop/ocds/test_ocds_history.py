"""Issue 12, "the data tell the truth": a contract's OCDS history is replayed (amendments with
their real changes), delivery milestones without a value become deliverables of unknown
amount, a concluded contract is closed, and the rules judge each imported contract once."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import orjson
import pytest
import time_machine

from besa.alerts.models import Alert, AlertEvent, AlertState, Notification
from besa.interop.importer import import_ocds
from besa.logbook.models import Entry
from besa.registry.models import Contract

OCID = "ocds-tst001-hist-1"
RFC = "SHC820101AB1"
SUPPLIER = "EKU9003173C9"
PARTIES = [
    {"id": "B", "name": "Secretaría de Pruebas", "roles": ["buyer"],
     "identifier": {"scheme": "MX-RFC", "id": RFC}},
    {"id": "S", "name": "Proveedora SA de CV", "roles": ["supplier"],
     "identifier": {"scheme": "MX-RFC", "id": SUPPLIER}},
]  # fmt: skip


def _release(n: int, date: str, contract: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "ocid": OCID, "id": f"{OCID}-{n}", "date": f"{date}T10:00:00-06:00",
        "tag": ["contract"], "initiationType": "tender", "parties": PARTIES,
        "buyer": {"id": "B", "name": PARTIES[0]["name"]},
        "tender": {"id": "LA-1", "procurementMethod": "open", "mainProcurementCategory": "goods"},
        "awards": [{"id": "1", "date": "2024-01-20T00:00:00-06:00", "status": "active",
                    "suppliers": [{"id": "S", "name": PARTIES[1]["name"]}]}],
        "contracts": [{"id": "C-1", "awardID": "1", **contract}],
        **extra,
    }  # fmt: skip


def _signed(amount: float) -> dict[str, Any]:
    return {
        "title": "Suministro de medicamentos",
        "dateSigned": "2024-02-01T00:00:00-06:00",
        "period": {
            "startDate": "2024-02-02T00:00:00-06:00",
            "endDate": "2024-12-31T00:00:00-06:00",
        },
        "value": {"amount": amount, "currency": "MXN"},
    }


def _import(tmp_path: Path, releases: list[dict[str, Any]], name: str = "p.json") -> list[Any]:
    path = tmp_path / name
    path.write_bytes(orjson.dumps({"releases": releases}))
    report = io.BytesIO()
    import_ocds([path], report=report)
    return [orjson.loads(line) for line in report.getvalue().splitlines()]


def _amendments(ocid: str = OCID) -> list[dict[str, Any]]:
    return [
        e.payload for e in Entry.objects.filter(ocid=ocid, kind="amendment").order_by("sequence")
    ]


def _amended(first: float, second: float, third: float) -> list[dict[str, Any]]:
    """Signed at ``first``, amended to ``second`` then ``third`` by two later releases, the
    first of them described by an OCDS amendment naming its release."""
    described = {"id": "CM-1", "date": "2024-04-01T00:00:00-06:00",
                 "rationale": "Ampliación de cantidades", "releaseID": f"{OCID}-2",
                 "amendsReleaseID": f"{OCID}-1"}  # fmt: skip
    return [
        _release(1, "2024-02-01", _signed(first)),
        _release(2, "2024-04-01", {"value": {"amount": second, "currency": "MXN"},
                                   "amendments": [described]}, tag=["contractAmendment"]),
        _release(3, "2024-06-01", {"value": {"amount": third, "currency": "MXN"},
                                   "period": {"endDate": "2025-01-31T00:00:00-06:00"}},
                 tag=["contractAmendment"]),
    ]  # fmt: skip


# --- history ----------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC), tick=False)
def test_a_contract_amended_twice_is_registered_as_signed_with_amendments_carrying_the_real_changes(
    db: None, tmp_path: Path
) -> None:
    _import(tmp_path, _amended(80_000_000, 90_000_000, 104_000_000))
    contract = Contract.objects.get(ocid=OCID)
    assert contract.amount == 80_000_000
    assert contract.state.snapshot["original_end_date"] == "2024-12-31"
    described, derived = _amendments()
    assert described["amendment_id"] == "CM-1"
    assert (described["types"], described["amount_change"]) == (["amount"], "10000000.00")
    assert described["justification"] == "Ampliación de cantidades"
    assert derived["types"] == ["amount", "term"]
    assert (derived["amount_change"], derived["new_end_date"]) == ("14000000.00", "2025-01-31")
    assert derived["signing_date"] == "2024-06-01"
    assert contract.state.snapshot["current_amount"] == "104000000.00"


@pytest.mark.parametrize(
    ("second", "third", "fires"),
    [(90_000_000, 96_000_000, False), (90_000_000, 96_000_800, True)],
    ids=["exactly 20 %", "20.001 %"],
)
@time_machine.travel(dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC), tick=False)
def test_imported_amendments_raise_a19_above_twenty_percent_and_not_at_exactly_twenty(
    db: None, tmp_path: Path, second: int, third: int, fires: bool
) -> None:
    _import(tmp_path, _amended(80_000_000, second, third))
    a19 = Alert.objects.filter(ocid=OCID, rule="A19", subject="contract")
    assert a19.exists() is fires
    if fires:
        alert = a19.get()
        assert alert.evidence["breaches"] == ["amount_over_limit"]
        assert alert.found_at_import and alert.breach_since == dt.date(2024, 6, 1)


@time_machine.travel(dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC), tick=False)
def test_a_compiled_release_alone_is_imported_as_it_stands_and_the_report_says_history_is_unknown(
    db: None, tmp_path: Path
) -> None:
    compiled = _release(9, "2024-06-01", _signed(104_000_000), tag=["compiled"])
    path = tmp_path / "record.json"
    path.write_bytes(orjson.dumps({"records": [{"ocid": OCID, "compiledRelease": compiled}]}))
    report = io.BytesIO()
    import_ocds([path], report=report)
    issues = [orjson.loads(line) for line in report.getvalue().splitlines()]
    assert Contract.objects.get(ocid=OCID).amount == 104_000_000
    assert any("history unknown" in i["reason"] for i in issues)
    assert _amendments() == []


# --- delivery milestones without a value ------------------------------------------------------


def _milestone(n: int, due: str, met: str | None) -> dict[str, Any]:
    milestone: dict[str, Any] = {
        "id": f"M{n}", "title": f"Entrega {n}", "type": "delivery",
        "dueDate": f"{due}T00:00:00-06:00", "status": "met" if met else "scheduled",
    }  # fmt: skip
    if met:
        milestone["dateMet"] = f"{met}T00:00:00-06:00"
    return milestone


def _delivered(milestones: list[dict[str, Any]], payments: list[str]) -> list[dict[str, Any]]:
    implementation = {
        "milestones": milestones,
        "transactions": [
            {"id": f"T{i}", "date": f"{on}T00:00:00-06:00",
             "value": {"amount": 1_000_000, "currency": "MXN"}}
            for i, on in enumerate(payments)
        ],
    }  # fmt: skip
    return [
        _release(1, "2024-02-01", _signed(40_000_000)),
        _release(2, "2024-06-20", {"implementation": implementation}, tag=["implementation"]),
    ]


@time_machine.travel(dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC), tick=False)
def test_a_late_delivery_milestone_without_a_value_raises_a07_and_with_no_penalty_a09(
    db: None, tmp_path: Path
) -> None:
    _import(tmp_path, _delivered([_milestone(1, "2024-03-01", "2024-03-11")], []))
    a07 = Alert.objects.get(ocid=OCID, rule="A07", subject="deliverable:M1")
    a09 = Alert.objects.get(ocid=OCID, rule="A09", subject="deliverable:M1")
    assert a07.evidence["days_late"] == 10 and a07.breach_since == dt.date(2024, 3, 2)
    assert a09.evidence["problem"] == "missing" and a09.evidence["amount_unknown"] is True
    assert a09.evidence["calculated_amount"] is None
    snapshot = Contract.objects.get(ocid=OCID).state.snapshot
    assert snapshot["deliverables"]["M1"]["amount"] is None
    assert {"rule": "A09", "subject": "deliverable:M1"}.items() <= snapshot["data_gaps"][0].items()


@time_machine.travel(dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC), tick=False)
def test_on_time_milestones_raise_nothing_and_payments_after_their_acceptance_raise_no_a13(
    db: None, tmp_path: Path
) -> None:
    milestones = [
        _milestone(1, "2024-03-01", "2024-03-01"),
        _milestone(2, "2024-05-01", "2024-04-28"),
    ]
    issues = _import(tmp_path, _delivered(milestones, ["2024-03-15", "2024-05-15"]))
    rules = set(Alert.objects.filter(ocid=OCID).values_list("rule", flat=True))
    assert not rules & {"A07", "A09", "A13"}, rules
    gaps = Contract.objects.get(ocid=OCID).state.snapshot["data_gaps"]
    assert {(g["rule"], g["subject"]) for g in gaps} >= {
        ("A13", "deliverable:M1"),
        ("A13", "deliverable:M2"),
    }
    assert any("unknown amount" in i["reason"] for i in issues)


@time_machine.travel(dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC), tick=False)
def test_a_payment_before_any_accepted_delivery_still_raises_a13(db: None, tmp_path: Path) -> None:
    _import(tmp_path, _delivered([_milestone(1, "2024-05-01", "2024-04-28")], ["2024-03-15"]))
    a13 = Alert.objects.get(ocid=OCID, rule="A13")
    assert a13.evidence["breaches"] == ["paid_beyond_accepted"]


# --- the end of a contract --------------------------------------------------------------------


@time_machine.travel(dt.datetime(2025, 9, 1, 12, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("concluded", [True, False], ids=["concluded", "ran out open"])
def test_a_concluded_contract_raises_no_a20_and_one_that_ran_out_open_does(
    db: None, tmp_path: Path, concluded: bool
) -> None:
    ended = {"implementation": {"status": "concluded", "endDate": "2024-12-20T00:00:00-06:00",
                                "finalValue": {"amount": 9_000_000, "currency": "MXN"}},
             "status": "terminated"}  # fmt: skip
    releases = [_release(1, "2024-02-01", _signed(40_000_000))]
    if concluded:
        releases.append(_release(2, "2024-12-21", ended, tag=["contractTermination"]))
    _import(tmp_path, releases)
    assert Alert.objects.filter(ocid=OCID, rule="A20").exists() is not concluded
    if concluded:
        closure = Entry.objects.get(ocid=OCID, kind="closure").payload
        assert closure["date"] == "2024-12-20" and closure["paid_amount"] == "9000000.00"
        assert closure["settlement_unknown"] is True
        assert Contract.objects.get(ocid=OCID).state.status == "closed"


# --- one evaluation per contract --------------------------------------------------------------


@time_machine.travel(dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC), tick=False)
def test_an_import_opens_no_alert_it_later_corrects_and_queues_no_notification_for_one(
    db: None, tmp_path: Path
) -> None:
    """Replayed one append at a time as of today, the registration would open A04 (no
    guarantee yet, its deadline long past) and each schedule A07 (due, nothing received),
    and the next facts (the guarantee, the on-time deliveries) would correct them."""
    guarantee = {"id": "G1", "type": "suretyBond", "obligations": "fulfillment",
                 "date": "2024-02-05T00:00:00-06:00",
                 "value": {"amount": 1_000_000, "currency": "MXN"}}  # fmt: skip
    milestones = [
        _milestone(1, "2024-03-01", "2024-03-01"),
        _milestone(2, "2024-05-01", "2024-05-01"),
    ]
    releases = _delivered(milestones, [])
    releases[0]["contracts"][0]["guarantees"] = [guarantee]
    _import(tmp_path, releases)
    assert Entry.objects.filter(ocid=OCID).count() == 6
    assert not Alert.objects.filter(state=AlertState.CORRECTED).exists()
    assert not AlertEvent.objects.filter(action="corrected").exists()
    assert not Alert.objects.filter(rule__in=["A04", "A07"]).exists()
    assert set(
        Notification.objects.filter(alert__isnull=False).values_list("alert_id", flat=True)
    ) <= set(Alert.objects.values_list("pk", flat=True))
    assert not Alert.objects.filter(found_at_import=False).exists()
