"""Cardinal 0.0.8's quirks, kept on purpose (``indicators-cardinal.md`` §3–4)."""

from __future__ import annotations

from tests.cardinal.helpers import award, bid, process, run


def test_r030_compares_dates_as_strings_not_instants() -> None:
    # 01:00+02:00 is 23:00Z the day before, yet as text it sorts after "…T00:00:00Z".
    data = [
        process(
            "P",
            tender={"tenderPeriod": {"endDate": "2020-01-01T00:00:00Z"}},
            bids={"details": [bid("valid", "W", date="2020-01-01T01:00:00+02:00")]},
            awards=[award("active", "W")],
        )
    ]
    assert run(data, "[R030]") == {"OCID": {"P": {"R030": 1.0}}, "Tenderer": {"W": {"R030": 1.0}}}


def test_r030_has_no_final_awards_gate_but_needs_an_active_supplier() -> None:
    late = {
        "details": [
            bid("valid", "W", date="2020-02-01T00:00:00Z"),
            bid("valid", "L", date="2020-02-01T00:00:00Z"),
        ]
    }
    tender = {"tenderPeriod": {"endDate": "2020-01-01T00:00:00Z"}}
    data = [
        process(
            "pending too",
            tender=tender,
            bids=late,
            awards=[award("active", "W"), award("pending", "X")],
        ),
        process("no active", tender=tender, bids=late, awards=[award("pending", "W")]),
    ]
    assert run(data, "[R030]") == {
        "OCID": {"pending too": {"R030": 1.0}},
        "Tenderer": {"W": {"R030": 1.0}},
    }


def test_r036_breaks_a_tie_by_array_order() -> None:
    first_disqualified = [bid("disqualified", "A", amount=1), bid("valid", "B", amount=1)]
    first_valid = [bid("valid", "B", amount=1), bid("disqualified", "A", amount=1)]
    data = [
        process(
            "disqualified first",
            bids={"details": first_disqualified},
            awards=[award("active", "B")],
        ),
        process("valid first", bids={"details": first_valid}, awards=[award("active", "B")]),
    ]
    assert run(data, "[R036]") == {"OCID": {"disqualified first": {"R036": 1.0}}}


def test_r028_compares_a_price_only_with_the_last_set_stored_under_it() -> None:
    # A at 5, then B at 5 (flag A and B), then A+Z at 5 vs last {B} (flag), Z+A at 5 vs {A,Z}: same.
    details = [
        bid("valid", "A", amount=5),
        bid("valid", "B", amount=5.0),
        bid("valid", "A", "Z", amount=5),
        bid("valid", "Z", "A", amount=5),
    ]
    result = run([process("P", bids={"details": details})], "[R028]")
    assert result == {
        "OCID": {"P": {"R028": 1.0}},
        "Tenderer": {t: {"R028": 1.0} for t in ("A", "B", "Z")},
    }


def test_r028_needs_the_same_amount_and_currency() -> None:
    details = [
        bid("valid", "A", amount=1.0),
        bid("valid", "B", amount=1.1),
        bid("valid", "C", amount=1.0, currency="MXN"),
        bid("invited", "D", amount=1.0),
    ]
    assert run([process("P", bids={"details": details})], "[R028]") == {}


def test_the_winner_bidding_twice_is_measured_by_its_lowest_bid() -> None:
    details = [
        bid("valid", "W", amount=100),
        bid("valid", "W", amount=90),
        bid("valid", "L", amount=99),
    ]
    data = [process("P", bids={"details": details}, awards=[award("active", "W")])]
    assert run(data, "[R058]\nthreshold = 0.09")["OCID"] == {"P": {"R058": (99 - 90) / 90}}


def test_amounts_must_be_json_numbers_and_bids_need_a_string_status() -> None:
    details = [
        bid("valid", "W", amount="1"),
        bid("valid", "L", amount=2),
        {"status": None, "tenderers": [{"id": "X"}], "value": {"amount": 1, "currency": "USD"}},
    ]
    data = [process("P", bids={"details": details}, awards=[award("active", "W")])]
    assert run(data, "[R024]\nthreshold = 5\n[R028]\n[R058]\nthreshold = 0.1") == {}


def test_a_cancelled_tender_or_a_non_string_ocid_is_not_read() -> None:
    tender = {"numberOfTenderers": 1, "procurementMethod": "open"}
    data = [
        process("cancelled", tender={**tender, "status": "cancelled"}),
        {"ocid": 7, "tender": tender},
        process("read", tender=tender),
    ]
    assert run(data, "[R018]") == {"OCID": {"read": {"R018": 1.0}}}


def test_r048_has_no_positive_fence_guard() -> None:
    def awarded(ocid: str, supplier: str) -> dict[str, object]:
        return process(
            ocid, awards=[award("active", supplier, items=[{"classification": {"id": "10"}}])]
        )

    # Every variety is 1, so the fence is 1 and every kept supplier is flagged (R038 would not).
    data = [awarded("1", "S"), awarded("2", "T")]
    assert run(data, "[R048]\nminimum_contracting_processes = 1")["Tenderer"] == {
        "S": {"R048": 1.0},
        "T": {"R048": 1.0},
    }


def test_wrongly_shaped_containers_are_dropped_not_the_whole_line() -> None:
    tender = {"numberOfTenderers": 1, "procurementMethod": "open"}
    data = [
        process(
            "P",
            tender=tender,
            bids={"details": [{"status": "valid", "tenderers": {"id": "A"}}]},
            awards="none",
        )
    ]
    assert run(data, "[R018]\n[R035]") == {"OCID": {"P": {"R018": 1.0}}}


def test_a_later_line_with_the_same_ocid_replaces_its_ratio_in_the_population() -> None:
    # Cardinal keys the R024/R058 ratios by ocid: "P" counts once, with its last ratio (0.5).
    def priced(ocid: str, winner: float, runner_up: float) -> dict[str, object]:
        details = [bid("valid", "W", amount=winner), bid("valid", "L", amount=runner_up)]
        return process(ocid, bids={"details": details}, awards=[award("active", "W")])

    data = [priced("P", 100, 110), priced("Q", 100, 120), priced("P", 100, 150)]
    result = run(data, "currency = USD\n[R058]\nthreshold = 0.3\n", meta=True)
    assert result["OCID"] == {"P": {"R058": 0.5}}
    quartiles = run(data, "currency = USD\n[R058]\n", meta=True)["Meta"]["R058"]
    # Two ratios (0.2 and 0.5), not three: R-8 quartiles of [0.2, 0.5].
    assert (quartiles["q1"], quartiles["q3"]) == (0.2, 0.5)
