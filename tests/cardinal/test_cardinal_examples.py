"""The worked examples of Cardinal's documentation and Cardinal's own fixtures, float-exact.

Each documented demonstration (``docs/cli/indicators/R/*.md``, command and output) is run with
the same settings file. The documentation pages of R024, R030, R035 and R058 predate the
``Tenderer`` entries that Cardinal 0.0.8 also emits (its fixtures ``R035.expected`` and
``R058.expected`` show them), so those entries are asserted as 0.8 emits them.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.cardinal.helpers import FIXTURES, lines, run

from besa import cardinal

SETTINGS = (FIXTURES / "examples" / "settings.ini").read_text()

DOCUMENTED = [
    # (example, settings, documented output (no Meta))
    ("R003", "[R003]", {"OCID": {"F": {"R003": 1.0}}}),
    ("R018", "[R018]", {"OCID": {"F": {"R018": 1.0}}}),
    (
        "R024",
        "[R024]",
        {"OCID": {"F": {"R024": 1.0}}, "Tenderer": {"W": {"R024": 0.0}, "L": {"R024": 0.0}}},
    ),
    ("R025", "[R025]", {"Tenderer": {"F": {"R025": 0.16666666666666666}}}),
    (
        "R028",
        SETTINGS + "[R028]",
        {"OCID": {"F": {"R028": 1.0}}, "Tenderer": {"D": {"R028": 1.0}, "V": {"R028": 1.0}}},
    ),
    ("R030", "[R030]", {"OCID": {"F": {"R030": 1.0}}, "Tenderer": {"W": {"R030": 1.0}}}),
    ("R035", "[R035]", {"OCID": {"F": {"R035": 1.0}}, "Tenderer": {"V": {"R035": 0.0}}}),
    ("R036", SETTINGS, {"OCID": {"F": {"R036": 1.0}}}),
    ("R038", SETTINGS, {"Buyer": {"B": {"R038": 0.5}}}),
    ("R048", (FIXTURES / "examples" / "R048.ini").read_text(), {"Tenderer": {"F": {"R048": 2.0}}}),
    ("R058", SETTINGS, {"OCID": {"F": {"R058": 99.0}}, "Tenderer": {"W": {"R058": 0.0}}}),
]


@pytest.mark.parametrize(("code", "ini", "expected"), DOCUMENTED, ids=[d[0] for d in DOCUMENTED])
def test_each_documented_example_gives_the_documented_output(
    code: str, ini: str, expected: dict[str, Any]
) -> None:
    assert run(f"examples/{code}.jsonl", ini) == expected


def test_the_r024_example_meta_holds_the_r8_quartiles_and_the_lower_fence() -> None:
    # Ratios: F = (2-1)/1 = 1, four processes at (100-1)/1 = 99. R-8 with n = 5:
    # Q1: h = 16/3·0.25 + 1/3 = 5/3 → 1 + 2/3·98 = 66.3333…; Q3: h = 13/3 → 99;
    # lower fence = 66.3333 − 1.5·32.6667 = 17.3333.
    result = run("examples/R024.jsonl", "[R024]", meta=True)
    assert result["Meta"] == {"R024": {"q1": 66.3333, "q3": 99.0, "lower_fence": 17.3333}}


def test_the_r048_example_meta_has_an_upper_fence_of_one_and_five_sixths() -> None:
    result = run("examples/R048.jsonl", "[R048]\nminimum_contracting_processes = 1", meta=True)
    assert result["Meta"] == {"R048": {"q1": 1.0, "q3": 1.3333, "upper_fence": 1.8333}}


def test_the_r025_example_flags_the_top_tenderer_that_wins_one_bid_in_six() -> None:
    result = run("examples/R025.jsonl", "[R025]", meta=True)
    # Denominators [1,1,1,1,1,6]: 75th percentile = 1 + (1/12)·5; ratios [1/6,1,1,1,1,1].
    assert result["Meta"]["R025"]["upper_fence"] == 1.4167
    assert result["Tenderer"] == {"F": {"R025": 1 / 6}}


UPSTREAM = sorted(path.stem for path in (FIXTURES / "upstream").glob("*.jsonl"))


@pytest.mark.parametrize("name", UPSTREAM)
def test_cardinals_own_fixture_gives_its_expected_output(name: str) -> None:
    folder = FIXTURES / "upstream"
    ini = (folder / "settings.ini").read_text() + "\n" + (folder / f"{name}.ini").read_text()
    expected = json.loads((folder / f"{name}.expected").read_text())
    assert run(lines(f"upstream/{name}.jsonl"), ini) == expected


def test_all_eleven_indicators_have_an_upstream_fixture() -> None:
    assert {name.split("-")[0] for name in UPSTREAM} == set(cardinal.all_indicators().enabled)


def test_without_settings_nothing_is_computed_and_meta_is_empty() -> None:
    assert run("examples/R024.jsonl", "", meta=True) == {"Meta": {}}
