"""The result depends on the data, not on the order of its lines nor on how the work is cut."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.cardinal.helpers import lines

from besa import cardinal

ALL = "currency = DOP\n" + "".join(f"[{code}]\n" for code in cardinal.all_indicators().enabled)
SYNTH = lines("synth-2000.jsonl.gz")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_output_is_unchanged_when_the_lines_are_shuffled(rng: random.Random) -> None:
    sample = SYNTH[:400]
    shuffled = list(sample)
    rng.shuffle(shuffled)
    config = cardinal.parse_settings(ALL)
    assert cardinal.indicators(shuffled, config, maps=True) == cardinal.indicators(
        sample, config, maps=True
    )


def test_parallel_workers_give_the_same_result_as_one(tmp_path: Path) -> None:
    path = tmp_path / "synth.jsonl"
    path.write_text("\n".join(SYNTH) + "\n")
    config = cardinal.parse_settings(ALL)
    one = cardinal.indicators(path, config, workers=1, maps=True)
    two = cardinal.indicators(path, config, workers=2, maps=True)
    assert one == two
    assert len(one["OCID"]) > 1000 and {"R024", "R025", "R038", "R058"} <= set(one["Meta"])


@pytest.mark.parametrize("every", [1, 3])
def test_compacting_the_organisation_facts_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, every: int
) -> None:
    """Per-organisation counts summed every few blocks (as on big files) give the same result,
    with a ``[R048]`` minimum low enough that its population is not empty."""
    from besa.cardinal import engine

    path = tmp_path / "synth.jsonl"
    path.write_text("\n".join(SYNTH) + "\n")
    config = cardinal.parse_settings(
        ALL.replace("[R048]\n", "[R048]\nminimum_contracting_processes = 2\n")
    )
    whole = cardinal.indicators(path, config, workers=1, maps=True)
    monkeypatch.setattr(engine, "_CHUNK_BYTES", 64 << 10)  # about 30 blocks
    monkeypatch.setattr(engine, "_COMPACT_EVERY", every)
    assert cardinal.indicators(path, config, workers=2, maps=True) == whole
    assert "R048" in {code for codes in whole["Tenderer"].values() for code in codes}


def test_the_synthetic_sample_exercises_the_indicators() -> None:
    result = cardinal.indicators(SYNTH, cardinal.parse_settings(ALL))
    groups = ("OCID", "Buyer", "ProcuringEntity", "Tenderer")
    flagged = {
        code for group in groups for codes in result.get(group, {}).values() for code in codes
    }
    assert {"R003", "R018", "R028", "R030", "R035", "R036", "R038", "R058"} <= flagged
    # Over a quarter of the synthetic ratios are 0, so Q1 = 0 and the R024/R025 guards hold.
    assert result["Meta"]["R024"]["q1"] == 0.0 and result["Meta"]["R025"]["q1"] == 0.0
    assert "R024" not in flagged and "R025" not in flagged


def test_line_numbers_of_invalid_lines_survive_the_cutting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from besa.cardinal import engine

    monkeypatch.setattr(engine, "_CHUNK_BYTES", 64)  # many blocks, many ranges
    good = '{"ocid":"%d","tender":{"numberOfTenderers":1,"procurementMethod":"open"}}'
    text = [good % i for i in range(40)]
    text[7], text[31] = "{broken", ""
    path = tmp_path / "lines.jsonl"
    path.write_text("\n".join(text) + "\n")
    config = cardinal.parse_settings("[R018]")
    for source, workers in ((path, 1), (path, 2), (path.read_bytes(), 1)):
        warnings: list[str] = []
        result = cardinal.indicators(source, config, workers=workers, warn=warnings.append)
        assert [w.split(" is ")[0] for w in warnings] == ["Line 8"]
        assert len(result["OCID"]) == 38
