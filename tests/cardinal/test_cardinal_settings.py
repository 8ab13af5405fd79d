"""Settings: Cardinal's INI sections, keys, defaults and errors, and their effect on results."""

from __future__ import annotations

import pytest
from tests.cardinal.helpers import award, bid, process, run

from besa.cardinal.settings import INDICATORS, all_indicators, parse
from besa.exceptions import InvalidInput


def test_a_section_enables_its_indicator_and_nothing_else() -> None:
    assert parse("[R024]\n[R058]\n").enabled == ("R024", "R058")
    assert all_indicators().enabled == INDICATORS


def test_comments_lists_and_nested_sections_are_read() -> None:
    settings = parse(
        "; a comment\n# another\ncurrency = MXN\n"
        "no_price_comparison_procurement_methods = Sorteo | Rifa\n"
        "[R003]\nthreshold = 10 ; inline\nprocurement_methods = open|selective\n"
        "[R003.procurement_method_details]\nLicitación Pública = 20\n"
    )
    assert settings.currency == "MXN"
    assert settings.no_price_comparison_procurement_methods == ("Sorteo", "Rifa")
    assert settings.get("R003", "threshold") == 10
    assert settings.get("R003", "procurement_methods") == ("open", "selective")
    assert settings.mapping("R003.procurement_method_details") == {"Licitación Pública": 20}


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("[R024]\nthreshhold = 0.05\n", "R024.threshhold"),
        ("[R999]\n", "R999"),
        ("colour = red\n", "colour"),
        ("[R003]\nthreshold = fifteen\n", "R003.threshold"),
        ("[R024]\nthreshold = low\n", "R024.threshold"),
        ("[output]\ninfo_currency_mismatches = maybe\n", "output.info_currency_mismatches"),
        ("[R048]\ndigits = -2\n", "R048.digits"),
        ("[R025]\npercentile = 101\n", "R025.percentile"),
        ("[R003.procurement_method_details]\nx = y\n", "R003.procurement_method_details.x"),
        ("[R003\n", "line 1"),
        ("[R003]\njust words\n", "line 2"),
    ],
)
def test_a_bad_setting_is_rejected_naming_its_key(text: str, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(text)
    assert caught.value.field == field


def _period(ocid: str, start: str, end: str, **tender: object) -> dict[str, object]:
    return process(ocid, tender={"tenderPeriod": {"startDate": start, "endDate": end}, **tender})


def test_r003_threshold_defaults_to_15_days_and_can_be_changed() -> None:
    data = [
        _period("15d", "2020-01-01T00:00:00Z", "2020-01-16T00:00:00Z"),
        _period("14d23h", "2020-01-01T00:00:00Z", "2020-01-15T23:59:59Z"),
        _period("9d", "2020-01-01T00:00:00Z", "2020-01-10T00:00:00Z"),
        _period("negative", "2020-01-10T00:00:00Z", "2020-01-01T00:00:00Z"),
    ]
    assert set(run(data, "[R003]")["OCID"]) == {"14d23h", "9d", "negative"}
    assert set(run(data, "[R003]\nthreshold = 10")["OCID"]) == {"9d", "negative"}


def test_r003_thresholds_per_procedure_and_method_filter() -> None:
    data = [
        _period(
            "emergency",
            "2020-01-01T00:00:00Z",
            "2020-01-08T00:00:00Z",
            procurementMethodDetails="Emergencia",
        ),
        _period(
            "other",
            "2020-01-01T00:00:00Z",
            "2020-01-08T00:00:00Z",
            procurementMethodDetails="Normal",
        ),
        _period("open", "2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z", procurementMethod="open"),
        _period("no method", "2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z"),
    ]
    per_detail = run(data, "[R003]\n[R003.procurement_method_details]\nEmergencia = 5\n")
    assert set(per_detail["OCID"]) == {"other", "open", "no method"}
    only_open = run(data, "[R003]\nprocurement_methods = open\n")
    assert set(only_open["OCID"]) == {"open"}


def test_r003_needs_strict_rfc3339_dates_with_an_offset() -> None:
    data = [
        _period("no offset", "2020-01-01T00:00:00", "2020-01-02T00:00:00"),
        _period("date only", "2020-01-01", "2020-01-02"),
        _period("offset", "2020-08-03T18:00:00-05:00", "2020-08-04T18:00:00-05:00"),
        _period("fraction", "2020-08-03T18:00:00.5Z", "2020-08-04T18:00:00.25Z"),
    ]
    assert set(run(data, "[R003]")["OCID"]) == {"offset", "fraction"}


def test_r018_counts_only_the_integer_one_in_listed_methods() -> None:
    data = [
        process("open", tender={"numberOfTenderers": 1, "procurementMethod": "open"}),
        process("float", tender={"numberOfTenderers": 1.0, "procurementMethod": "open"}),
        process("direct", tender={"numberOfTenderers": 1, "procurementMethod": "direct"}),
        process("missing method", tender={"numberOfTenderers": 1}),
    ]
    assert set(run(data, "[R018]")["OCID"]) == {"open"}
    assert set(run(data, "[R018]\nprocurement_methods = direct")["OCID"]) == {"direct"}


def _identical(ocid: str, details: str | None = None) -> dict[str, object]:
    tender = {"procurementMethodDetails": details} if details else {}
    return process(
        ocid,
        tender=tender,
        bids={"details": [bid("valid", "A", amount=5), bid("valid", "B", amount=5)]},
    )


def test_exclusions_remove_a_procedure_from_every_indicator() -> None:
    data = [_identical("kept", "Licitación"), _identical("excluded", "Sorteo")]
    result = run(data, "[R028]\n[exclusions]\nprocurement_method_details = Sorteo")
    assert set(result["OCID"]) == {"kept"}


def test_price_comparison_deny_list_and_allow_list() -> None:
    data = [
        _identical("lottery", "Sorteo"),
        _identical("auction", "Subasta"),
        _identical("unknown"),
    ]
    denied = run(data, "no_price_comparison_procurement_methods = Sorteo\n[R028]")
    assert set(denied["OCID"]) == {"auction", "unknown"}
    # With an allow-list, a process without procurementMethodDetails is not compared.
    allowed = run(data, "price_comparison_procurement_methods = Subasta\n[R028]")
    assert set(allowed["OCID"]) == {"auction"}


def _lowest_disqualified(ocid: str, currency: str) -> dict[str, object]:
    return process(
        ocid,
        bids={
            "details": [
                bid("disqualified", "A", amount=1, currency=currency),
                bid("valid", "B", amount=2, currency=currency),
            ]
        },
        awards=[award("active", "B")],
    )


def test_currency_setting_selects_the_bids_compared_and_defaults_to_the_first_observed() -> None:
    data = [_lowest_disqualified("usd", "USD"), _lowest_disqualified("mxn", "MXN")]
    assert set(run(data, "currency = MXN\n[R036]")["OCID"]) == {"mxn"}
    assert set(run(data, "[R036]")["OCID"]) == {"usd"}
    assert set(run(list(reversed(data)), "[R036]")["OCID"]) == {"mxn"}


def _ratio(ocid: str, winner: float, second: float) -> dict[str, object]:
    return process(
        ocid,
        bids={"details": [bid("valid", "W", amount=winner), bid("valid", "L", amount=second)]},
        awards=[award("active", "W")],
    )


def test_r024_and_r058_thresholds_replace_the_fences() -> None:
    data = [_ratio("close", 100, 101), _ratio("far", 100, 200), _ratio("mid", 100, 130)]
    low = run(data, "[R024]\nthreshold = 0.05", meta=True)
    assert low["OCID"] == {"close": {"R024": 0.01}} and low["Meta"] == {
        "R024": {"lower_fence": 0.05}
    }
    high = run(data, "[R058]\nthreshold = 0.5", meta=True)
    assert high["OCID"] == {"far": {"R058": 1.0}} and high["Meta"] == {"R058": {"upper_fence": 0.5}}


def test_r024_is_guarded_when_most_ratios_are_zero() -> None:
    data = [_ratio(str(i), 100, 100) for i in range(6)] + [_ratio("x", 100, 101)]
    result = run(data, "[R024]", meta=True)
    assert "OCID" not in result and result["Meta"]["R024"]["q1"] == 0.0


def test_r038_minimums_and_threshold() -> None:
    data = [
        process(
            "1",
            buyer={"id": "B1"},
            bids={"details": [bid("disqualified", "T1"), bid("valid", "T2")]},
        ),
        process(
            "2", buyer={"id": "B2"}, bids={"details": [bid("valid", "T1"), bid("valid", "T2")]}
        ),
        process("3", buyer={"id": "B3"}, bids={"details": [bid("disqualified", "T3")]}),
    ]
    result = run(
        data,
        "[R038]\nthreshold = 0.5\nminimum_submitted_bids = 1\nminimum_contracting_processes = 1",
    )
    assert result == {
        "Buyer": {"B1": {"R038": 0.5}, "B3": {"R038": 1.0}},
        "Tenderer": {"T1": {"R038": 0.5}, "T3": {"R038": 1.0}},
    }
    # The default minimum of 2 is compared with submitted bids (quirk): B3 (1 bid) drops out.
    assert set(run(data, "[R038]\nthreshold = 0.5")["Buyer"]) == {"B1"}


def test_r048_digits_threshold_and_minimum() -> None:
    def awarded(ocid: str, supplier: str, *codes: str) -> dict[str, object]:
        items = [{"classification": {"id": c}} for c in codes]
        return process(ocid, awards=[award("active", supplier, items=items)])

    data = [
        awarded("1", "S", "10110000", "10220000"),
        awarded("2", "S", "43000000"),
        awarded("3", "T", "10110000"),
    ]
    two = run(data, "[R048]\nthreshold = 2\nminimum_contracting_processes = 1")
    assert two["Tenderer"] == {"S": {"R048": 2.0}}
    four = run(data, "[R048]\nthreshold = 3\ndigits = 4\nminimum_contracting_processes = 2")
    assert four["Tenderer"] == {"S": {"R048": 3.0}}
    assert "Tenderer" not in run(data, "[R048]\nthreshold = 1")  # default minimum: 20 processes


def test_r035_threshold_counts_distinct_disqualified_tenderers() -> None:
    data = [
        process(
            "P",
            bids={
                "details": [bid("disqualified", "D"), bid("disqualified", "E"), bid("valid", "V")]
            },
            awards=[award("active", "V")],
        )
    ]
    assert run(data, "[R035]\nthreshold = 2")["OCID"] == {"P": {"R035": 2.0}}
    assert run(data, "[R035]\nthreshold = 3") == {}


def test_r025_percentile_sets_the_top_tenderer_fence() -> None:
    result = run("examples/R025.jsonl", "[R025]\npercentile = 100", meta=True)
    assert result["Meta"]["R025"]["upper_fence"] == 6.0
    assert result["Tenderer"] == {"F": {"R025": 1 / 6}}
