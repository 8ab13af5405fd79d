"""``coverage`` against the reference implementation (the ``ocdscardinal`` 0.0.8 wheel exposes
``coverage(path) -> dict``): the same counts on real and synthetic data. (The key order of
Cardinal's object depends on how its threads merged partial counts; ours is first appearance.)"""

from __future__ import annotations

from pathlib import Path

import ocdscardinal
import pytest
from tests.cardinal.helpers import lines

from besa.cardinal import coverage


@pytest.mark.parametrize(
    "name", ["synth-2000.jsonl.gz", "mexico-releases.jsonl.gz", "mexico-compiled.jsonl.gz"]
)
def test_counts_and_order_equal_the_reference(name: str, tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(lines(name)) + "\n", encoding="utf-8")
    ours = coverage.count(path)
    reference = ocdscardinal.coverage(str(path))
    assert ours == reference
    assert len(ours) > 50


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 0, "a": null}',  # duplicated member: the last one counts
        '{"": 0}',  # an empty member name shares its parent's path
        '{"a[]": 0, "a": [0]}',  # a member name ending in [] can share a sibling's path
        '{"a": [[], [null, 0]], "b": {"c": ""}, "d": false}',
        "[1, [], {}]",
        '"text"',
        "null",
    ],
)
def test_edge_cases_equal_the_reference(text: str, tmp_path: Path) -> None:
    path = tmp_path / "edge.jsonl"
    path.write_text(text + "\n")
    assert coverage.count(path) == ocdscardinal.coverage(str(path))


def test_invalid_lines_are_reported_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"a": 1}\n{oops\n\n{"a": 2}\n')
    warnings: list[str] = []
    assert coverage.count(path, warn=warnings.append) == {"/a": 2, "/": 2, "": 2}
    assert len(warnings) == 1 and warnings[0].startswith("Line 2 ")
