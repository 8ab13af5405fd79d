"""The results document, shaped and serialised like ``ocdscardinal indicators`` output.

Groups appear only when non-empty, in the order OCID, Buyer, ProcuringEntity, Tenderer; within
a group identifiers are sorted and indicator codes follow :data:`INDICATORS`, so the document
does not depend on the order of the input lines (Cardinal's own order depends on its threads).
``Meta`` is always present unless suppressed; ``Maps`` only on request. Floats are written as
Rust's ``serde_json`` writes them (``1.0``, shortest round-trip) and NaN as ``null``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import polars as pl

from besa.cardinal.settings import INDICATORS

GROUPS = ("OCID", "Buyer", "ProcuringEntity", "Tenderer")
MAP_CODES = ("R024", "R028", "R030", "R035", "R058")
_ORDER = {code: index for index, code in enumerate(INDICATORS)}


#: Identifiers serialised at a time when the document is streamed (:meth:`Results.write`):
#: enough that orjson's per-call cost is nothing, few enough that memory stays flat.
SLICE_ROWS = 20_000
Sink = Callable[[bytes], Any]

#: The columns of a flags frame and of a links frame.
FLAGS = {"id": pl.String, "code": pl.String, "value": pl.Float64}
LINKS = {"code": pl.String, "ocid": pl.String, "tenderer": pl.String}


class Results:
    """Flags being collected as frames ``(id, code, value)`` per group, plus Meta and Maps links.

    Where the same identifier and code are flagged twice, the value added later wins (a later
    line with the same ``ocid``, as in Cardinal).
    """

    def __init__(self) -> None:
        self.frames: dict[str, list[pl.DataFrame]] = {group: [] for group in GROUPS}
        self.link_frames: list[pl.DataFrame] = []
        self.meta: dict[str, Any] = {}

    def add(self, group: str, flags: pl.DataFrame) -> None:
        """Record flags (columns id, code, value) in ``group``."""
        self.frames[group].append(flags.select(*(pl.col(c).cast(t) for c, t in FLAGS.items())))

    def link(self, links: pl.DataFrame) -> None:
        """Record Maps links (columns code, ocid, tenderer): a tenderer flagged in a process."""
        self.link_frames.append(links.select(*(pl.col(c).cast(t) for c, t in LINKS.items())))

    def groups(self) -> dict[str, dict[str, dict[str, float]]]:
        """``group → identifier → code → value``, identifiers sorted, codes in catalogue order."""
        return {group: _nested(_ordered(frames)) for group, frames in self.frames.items()}

    def write(
        self, sink: Sink, *, meta: bool = True, maps: dict[str, Any] | None = None
    ) -> dict[str, int]:
        """Stream the output object to ``sink`` as compact JSON; returns identifiers per group.

        The bytes are those of ``dumps(self.document(meta=meta, maps=maps))``, but no group is
        ever held as Python objects: each is serialised :data:`SLICE_ROWS` flags at a time
        (163,000 flagged processes as dicts took about 120 MiB). The frames are released as
        their group is written.
        """
        counts: dict[str, int] = {}
        separator = b"{"
        for group in GROUPS:
            flags = _ordered(self.frames[group])
            self.frames[group] = []
            if not flags.height:
                continue
            sink(separator + orjson.dumps(group) + b":{")
            separator = b","
            counts[group] = _write_nested(flags, sink)
            sink(b"}")
        if meta:
            sink(separator + b'"Meta":' + orjson.dumps(self._ordered_meta()))
            separator = b","
        if maps is not None:
            sink(separator + b'"Maps":' + orjson.dumps(maps))
            separator = b","
        sink(b"{}" if separator == b"{" else b"}")
        return counts

    def _ordered_meta(self) -> dict[str, Any]:
        return {code: self.meta[code] for code in sorted(self.meta, key=_ORDER.__getitem__)}

    def document(
        self,
        *,
        meta: bool = True,
        maps: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The output object: non-empty groups, then ``Meta`` (unless suppressed), ``Maps``."""
        out: dict[str, Any] = {group: flags for group, flags in self.groups().items() if flags}
        if meta:
            out["Meta"] = self._ordered_meta()
        if maps is not None:
            out["Maps"] = maps
        return out

    def maps(
        self,
        ocid_tenderer: dict[str, list[str]],
        ocid_buyer: dict[str, str],
        ocid_entity: dict[str, str],
    ) -> dict[str, Any]:
        """The ``Maps`` object: ocid → organisations, with sorted keys."""
        result: dict[str, Any] = {
            "ocid_tenderer": dict(sorted(ocid_tenderer.items())),
            "ocid_buyer_r038": dict(sorted(ocid_buyer.items())),
            "ocid_procuringentity_r038": dict(sorted(ocid_entity.items())),
        }
        links = (
            pl.concat(self.link_frames) if self.link_frames else pl.DataFrame(schema=LINKS)
        ).unique()
        for code in MAP_CODES:
            grouped = (
                links.filter(pl.col("code") == code)
                .group_by("ocid")
                .agg(pl.col("tenderer").sort())
                .sort("ocid")
            )
            ocids, tenderers = grouped.get_column("ocid"), grouped.get_column("tenderer")
            result[f"ocid_tenderer_{code.lower()}"] = dict(
                zip(ocids.to_list(), tenderers.to_list(), strict=True)
            )
        return result


def _ordered(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """One flags frame: the later of duplicate (id, code) kept, sorted by id then catalogue."""
    if not frames:
        return pl.DataFrame(schema=FLAGS)
    return (
        pl.concat(frames)
        .unique(["id", "code"], keep="last", maintain_order=True)
        .with_columns(pl.col("code").replace_strict(_ORDER, return_dtype=pl.Int64).alias("rank"))
        .sort("id", "rank")
    )


def _write_nested(flags: pl.DataFrame, sink: Sink) -> int:
    """Write the members ``"id":{code: value, …}`` of sorted flags, a slice of whole ids at a
    time; returns the number of identifiers."""
    identifiers = 0
    ids = flags.get_column("id")
    start = 0
    while start < flags.height:
        end = start + SLICE_ROWS
        if end < flags.height:
            # Whole identifiers only: cut before the first row of the one the slice ends in.
            last = ids[end]
            end = int(ids.search_sorted(last, "left"))
            if end <= start:  # one identifier longer than a slice (not with 11 indicators)
                end = int(ids.search_sorted(last, "right"))
        end = min(end, flags.height)
        nested = _nested(flags.slice(start, end - start))
        if identifiers:
            sink(b",")
        sink(orjson.dumps(nested)[1:-1])
        identifiers += len(nested)
        start = end
    return identifiers


def _nested(flags: pl.DataFrame) -> dict[str, dict[str, float]]:
    """``identifier → code → value`` of sorted flags."""
    nested: dict[str, dict[str, float]] = {}
    columns = (flags.get_column(name).to_list() for name in ("id", "code", "value"))
    for identifier, code, value in zip(*columns, strict=True):
        codes = nested.get(identifier)
        if codes is None:
            nested[identifier] = {code: value}
        else:
            codes[code] = value
    return nested


def dumps(document: dict[str, Any]) -> bytes:
    """Compact JSON, one line, like Cardinal (no trailing newline: the caller adds it)."""
    return orjson.dumps(document)


def counts(document: dict[str, Any]) -> list[str]:
    """``--count`` lines: ``<group>: <number of identifiers>`` for each group present."""
    return count_lines({group: len(document[group]) for group in GROUPS if group in document})


def count_lines(counts: dict[str, int]) -> list[str]:
    """``--count`` lines from identifiers per group (as :meth:`Results.write` returns them)."""
    return [f"{group}: {counts[group]}" for group in GROUPS if group in counts]
