"""The streamed output document (``besa indicators``) against the document built as objects.

``engine.write`` serialises the flags a slice of identifiers at a time; its bytes must be
exactly ``output.dumps(engine.run(…))``, whose contents the differential tests check against
the naive implementation. Small slices make every cut fall between (and next to) the codes
of one identifier.
"""

from __future__ import annotations

import orjson
import pytest
from tests.cardinal.helpers import lines
from tests.cardinal.test_cardinal_differential import VARIANTS

from besa import cardinal
from besa.cardinal import engine, output


def _streamed(data: bytes, settings: cardinal.Settings, **options: bool) -> tuple[bytes, dict]:
    chunks: list[bytes] = []
    counts = engine.write(data, settings, chunks.append, workers=1, **options)
    return b"".join(chunks), counts


@pytest.mark.parametrize("slice_rows", [1, 7, output.SLICE_ROWS])
@pytest.mark.parametrize("variant", ["defaults, DOP", "first observed currency", "thresholds"])
@pytest.mark.parametrize("meta,maps", [(True, False), (False, True)])
def test_streamed_document_is_the_built_document(
    monkeypatch: pytest.MonkeyPatch, slice_rows: int, variant: str, meta: bool, maps: bool
) -> None:
    monkeypatch.setattr(output, "SLICE_ROWS", slice_rows)
    data = "\n".join(lines("synth-2000.jsonl.gz")).encode()
    settings = cardinal.parse_settings(VARIANTS[variant])
    streamed, counts = _streamed(data, settings, meta=meta, maps=maps)
    built = engine.run(data, settings, workers=1, meta=meta, maps=maps)
    assert streamed == output.dumps(built)
    assert output.count_lines(counts) == output.counts(built)
    assert len(orjson.loads(streamed)["OCID"]) > 100


def test_streamed_document_of_real_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "SLICE_ROWS", 5)
    data = "\n".join(lines("mexico-compiled.jsonl.gz")).encode()
    settings = cardinal.all_indicators()
    streamed, _ = _streamed(data, settings)
    assert streamed == output.dumps(engine.run(data, settings, workers=1))


def test_nothing_enabled_streams_an_empty_or_meta_only_object() -> None:
    data = "\n".join(lines("synth-2000.jsonl.gz")).encode()
    nothing = cardinal.parse_settings("")
    assert _streamed(data, nothing, meta=False) == (b"{}", {})
    assert _streamed(data, nothing, meta=True)[0] == b'{"Meta":{}}'
