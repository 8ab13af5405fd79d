"""The columnar reader: Arrow's fast path where it is exact, the lenient path everywhere else."""

from __future__ import annotations

import json

import pytest
from tests.cardinal import reference
from tests.cardinal.helpers import award, bid, lines, process, run

from besa import cardinal
from besa.cardinal import engine, table
from besa.cardinal.plan import Plan

ALL = "".join(f"[{code}]\n" for code in cardinal.all_indicators().enabled)
CLEAN = [
    json.dumps(
        process(
            f"P{i}",
            tender={"numberOfTenderers": 1, "procurementMethod": "open"},
            bids={"details": [bid("valid", "A", amount=10), bid("disqualified", "B", amount=5)]},
            awards=[award("active", "A")],
        )
    )
    for i in range(3)
]
PLAN = Plan.from_settings(cardinal.parse_settings(ALL))


def _block(text: list[str]) -> bytes:
    return ("\n".join(text) + "\n").encode()


def test_well_typed_lines_take_the_fast_path() -> None:
    partial = engine.extract_block(_block(CLEAN), PLAN)
    assert (partial.fast_lines, partial.lenient_lines, partial.warnings) == (3, 0, [])


def test_the_synthetic_sample_is_read_entirely_by_the_fast_path() -> None:
    data = _block(lines("synth-2000.jsonl.gz"))
    assert engine.extract_block(data, PLAN).fast_lines == 2000


@pytest.mark.parametrize(
    ("odd", "why"),
    [
        ("null", "a top-level null (Arrow's reader crashes on one as a first document)"),
        ("", "a blank line"),
        ('{"ocid": "X"} {"ocid": "Y"}', "two documents on one line"),
        ('{"ocid": "X", "extra": NaN}', "NaN, which Arrow accepts and JSON does not"),
        ('{"ocid": "X", "extra": -Infinity}', "Infinity"),
        ('{"ocid": 7}', "an ocid that is a number"),
        ('{"ocid": "X", "tender": {"numberOfTenderers": 1.0}}', "1.0 where R018 wants 1"),
        ('{"ocid": "X", "bids": {"details": [{"value": {"amount": "5"}}]}}', "a string amount"),
        ('{"ocid": "X", "awards": {}}', "awards as an object"),
        ("{broken", "invalid JSON"),
    ],
)
def test_a_block_with_an_odd_line_is_read_leniently_and_gives_the_same_facts(
    odd: str, why: str
) -> None:
    for position in (0, 1, 3):  # first line, middle, last
        text = [*CLEAN]
        text.insert(position, odd)
        partial = engine.extract_block(_block(text), PLAN)
        assert partial.fast_lines == 0, why
        assert partial.lenient_lines >= 3, why
    assert run([*CLEAN, odd] if odd else CLEAN, ALL) == run(CLEAN, ALL)


def test_an_odd_line_in_a_big_block_sends_only_its_piece_to_the_lenient_path() -> None:
    text = [CLEAN[i % 3].replace(f'"P{i % 3}"', f'"P{i}"') for i in range(3 * table.PIECE_LINES)]
    text[table.PIECE_LINES + 9] = "{broken"
    partial = engine.extract_block(_block(text), PLAN)
    assert partial.lenient_lines == table.PIECE_LINES - 1
    assert partial.fast_lines == 2 * table.PIECE_LINES
    assert [number for number, _ in partial.warnings] == [table.PIECE_LINES + 10]
    result = cardinal.indicators(text, cardinal.parse_settings("[R018]"), meta=False)
    assert len(result["OCID"]) == len(text) - 1


def test_numeric_ids_stay_on_the_fast_path_and_count_as_missing() -> None:
    numeric = process(
        "N",
        buyer={"id": 12},
        bids={
            "details": [bid("valid", "A", amount=1), {"status": "valid", "tenderers": [{"id": 7}]}]
        },
        awards=[
            {
                "status": "active",
                "suppliers": [{"id": 3}],
                "items": [{"classification": {"id": 42}}],
            }
        ],
    )
    text = [*CLEAN, json.dumps(numeric)]
    partial = engine.extract_block(_block(text), PLAN)
    assert (partial.fast_lines, partial.lenient_lines) == (4, 0)
    settings = cardinal.parse_settings(ALL + "[R048]\nminimum_contracting_processes = 1\n")
    fast = cardinal.indicators(text, settings, maps=True)
    assert fast == reference.indicators(text, settings) | {
        "Meta": fast["Meta"],
        "Maps": fast["Maps"],
    }


def test_two_documents_on_one_line_are_an_invalid_line_not_two_processes() -> None:
    warnings: list[str] = []
    result = cardinal.indicators(
        [CLEAN[0], CLEAN[1].replace('"P1"', '"Q"') + " " + CLEAN[2]],
        cardinal.parse_settings("[R018]"),
        warn=warnings.append,
        meta=False,
    )
    assert list(result["OCID"]) == ["P0"]
    assert [w.split(" is ")[0] for w in warnings] == ["Line 2"]


def test_nan_in_a_field_no_indicator_reads_still_makes_the_line_invalid() -> None:
    warnings: list[str] = []
    text = [CLEAN[0], CLEAN[1][:-1] + ', "planning": {"budget": NaN}}']
    result = cardinal.indicators(text, cardinal.parse_settings("[R018]"), warn=warnings.append)
    assert list(result["OCID"]) == ["P0"]
    assert warnings and warnings[0].startswith("Line 2 is invalid JSON")


def test_a_line_that_is_not_utf8_is_an_invalid_line() -> None:
    data = _block(CLEAN[:2]) + b'{"ocid": "\xff", "tender": {"numberOfTenderers": 1}}\n'
    partial = engine.extract_block(data, PLAN)
    assert (partial.fast_lines, partial.lenient_lines) == (0, 2)
    warnings: list[str] = []
    result = cardinal.indicators(data, cardinal.parse_settings("[R018]"), warn=warnings.append)
    assert sorted(result["OCID"]) == ["P0", "P1"]
    assert [w.split(" is ")[0] for w in warnings] == ["Line 3"]


@pytest.mark.parametrize(
    "name", ["synth-2000.jsonl.gz", "mexico-releases.jsonl.gz", "mexico-compiled.jsonl.gz"]
)
def test_the_lenient_path_gives_the_same_result_as_the_fast_path(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = lines(name)
    settings = cardinal.parse_settings(ALL)
    fast = cardinal.indicators(data, settings, maps=True)
    monkeypatch.setattr(table, "_read_fast", lambda data, newlines: None)
    assert cardinal.indicators(data, settings, maps=True) == fast


def test_a_non_string_currency_is_no_price_for_r028() -> None:
    # Cardinal keys R028 by (amount, currency string): a bid without one is skipped.
    details = [
        bid("valid", "A", amount=5, currency=None),
        bid("valid", "B", amount=5, currency=None),
    ]
    assert run([process("P", bids={"details": details})], "[R028]") == {}
    details[1]["value"]["currency"] = 5
    assert run([process("P", bids={"details": details})], "[R028]") == {}


@pytest.mark.parametrize("window", [8, 16, 1 << 20])
def test_byte_checks_agree_with_the_pattern_they_replace(
    monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    """``plain`` decides as the former RE2 scan ``\\n[^{]|NaN|Infinity`` (plus a leading ``{``)
    and ``newlines`` counts as ``bytes.count``, also across the boundaries of small windows."""
    import random
    import re

    monkeypatch.setattr(table, "_WINDOW", window)
    rng = random.Random(17)
    former = re.compile(rb"\n[^{]|NaN|Infinity")
    cases = [b"", b"{", b'{"a":1}\n', b'{"a":1}\n\n', b'{"a":"Infinity"}', b'{"x":1}\nnull\n']
    cases += [
        bytes(rng.choice(b'{}\nNaInfity x"') for _ in range(rng.randint(0, 70)))
        for _ in range(4000)
    ]
    for data in cases:
        expected = data.startswith(b"{") and not former.search(data)
        assert table.plain(data) is expected, data
        assert table.newlines(data) == data.count(b"\n"), data
