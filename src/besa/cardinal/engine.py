"""One indicators run: cut the input into blocks, extract facts in parallel, decide.

Contract of :func:`run`:

* The input is OCDS compiled releases as JSON Lines: a path, ``bytes``, or an iterable of lines.
* Invalid JSON lines are skipped and reported through ``warn`` with their line number; blank
  lines are skipped silently; nothing else is written anywhere.
* The input is read in blocks of whole lines; each block becomes a table
  (:mod:`besa.cardinal.table`) whose facts are extracted by vectorised rules
  (:mod:`besa.cardinal.facts`). With ``workers > 1`` blocks are processed by that many threads
  (Arrow's reader and Polars release the GIL); the facts are merged in file order, so the
  result does not depend on the cut. No process is forked: safe inside a threaded server.
* When ``currency`` is not set and an indicator needs a main currency, it is the currency of the
  first submitted bid with an amount, in file order (Cardinal: "the first observed currency").
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import polars as pl

from besa.cardinal import bid_ratio, disqualified, facts, heterogeneous, table
from besa.cardinal.decode import iter_lines_chunks
from besa.cardinal.output import Results, Sink
from besa.cardinal.plan import Partial, Plan, concat
from besa.cardinal.settings import Settings

Source = str | os.PathLike[str] | bytes | Iterable[str] | Iterable[bytes]
Warn = Callable[[str], None]
#: Big enough that Polars' fixed cost per call is small against the work (200,000 synthetic
#: releases on 2 cores: 3.8 s with 8 MiB blocks, 3.3 s with 16, 3.1 s with 24 or 32), small
#: enough to keep memory bounded: a block per worker in flight, plus one being read.
_CHUNK_BYTES = 24 << 20
#: Blocks between two reductions of the per-organisation facts (:meth:`Partial.compact`).
_COMPACT_EVERY = 8


def available_cores() -> int:
    """The cores this process may run on (``taskset`` and cgroup affinity respected)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover (not Linux)
        return max(1, os.cpu_count() or 1)


def extract_block(data: bytes, plan: Plan) -> Partial:
    """The facts of one block of whole lines (warnings numbered from the block's first line)."""
    newlines = table.newlines(data)
    frame, warnings, fast = table.read(data, newlines)
    partial = Partial(warnings=warnings, newlines=newlines)
    partial.fast_lines, partial.lenient_lines = fast, frame.height - fast
    facts.extract(frame, plan, partial)
    return partial


def _file_blocks(path: str) -> Iterator[bytes]:
    """A file in blocks of whole lines (a line longer than a block makes a longer block)."""
    with open(path, "rb") as handle:
        while block := handle.read(_CHUNK_BYTES):
            cut = block.rfind(b"\n") + 1
            if len(block) == _CHUNK_BYTES and 0 < cut < len(block):
                handle.seek(cut - len(block), os.SEEK_CUR)  # re-read the partial line
                block = block[:cut]
            elif len(block) == _CHUNK_BYTES and cut == 0:
                block += handle.readline()  # one line longer than a block
            yield block


def check_file(path: str | os.PathLike[str]) -> None:
    """Raise ``OSError`` (with ``filename`` and ``strerror``) unless ``path`` is a readable file."""
    if Path(path).is_dir():
        raise IsADirectoryError(21, "Is a directory, not a file", os.fspath(path))
    with open(path, "rb"):
        pass


def blocks(source: Source) -> Iterator[bytes]:
    """The input in blocks of whole lines (about ``_CHUNK_BYTES`` each), whatever its kind."""
    if isinstance(source, bytes):
        start = 0
        while start < len(source):
            cut = source.rfind(b"\n", start, start + _CHUNK_BYTES) + 1
            end = cut if cut > start else min(len(source), start + _CHUNK_BYTES)
            if end == start + _CHUNK_BYTES and cut <= start:
                # A line longer than a block: extend to its end.
                newline = source.find(b"\n", end)
                end = len(source) if newline < 0 else newline + 1
            yield source[start:end]
            start = end
    elif isinstance(source, (str, os.PathLike)):
        yield from _file_blocks(os.fspath(source))
    else:
        yield from iter_lines_chunks(source)


def first_currency(source: Source, plan: Plan) -> str | None:
    """The currency of the first submitted bid with an amount in a readable process."""
    for data in blocks(source):
        frame = table.read(data, data.count(b"\n"))[0]
        rows = facts.processes(frame, plan).get_column("row")
        priced = facts.submitted_bids(frame, rows).filter(
            pl.col("amount").is_not_null() & table.is_currency(pl.col("currency"))
        )
        if priced.height:
            return str(priced.sort("row", "pos").item(0, "currency"))
    return None


def _partials(source: Source, plan: Plan, workers: int) -> Iterator[Partial]:
    """The facts of each block, in file order."""
    if workers <= 1:
        for data in blocks(source):
            yield extract_block(data, plan)
        return
    with ThreadPoolExecutor(workers, thread_name_prefix="cardinal") as pool:
        # A bounded window of blocks in flight keeps memory flat on big files: one per
        # worker (one more, read ahead, cost 60 MiB at the peak and no time: reading a block
        # is 1/20 of processing it).
        pending: deque[Future[Partial]] = deque()
        for data in blocks(source):
            pending.append(pool.submit(extract_block, data, plan))
            if len(pending) >= workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def run(
    source: Source,
    settings: Settings,
    *,
    workers: int | None = None,
    meta: bool = True,
    maps: bool = False,
    warn: Warn | None = None,
) -> dict[str, Any]:
    """Compute the enabled indicators over ``source``; returns Cardinal's output object."""
    results, links = decide(source, settings, workers=workers, maps=maps, warn=warn)
    return results.document(meta=meta, maps=links)


def write(
    source: Source,
    settings: Settings,
    sink: Sink,
    *,
    workers: int | None = None,
    meta: bool = True,
    maps: bool = False,
    warn: Warn | None = None,
) -> dict[str, int]:
    """Like :func:`run`, but the output object is streamed to ``sink`` as compact JSON (the
    bytes ``output.dumps(run(…))`` would give) without building it; returns the number of
    identifiers per group (``--count``)."""
    results, links = decide(source, settings, workers=workers, maps=maps, warn=warn)
    return results.write(sink, meta=meta, maps=links)


def decide(
    source: Source,
    settings: Settings,
    *,
    workers: int | None = None,
    maps: bool = False,
    warn: Warn | None = None,
) -> tuple[Results, dict[str, Any] | None]:
    """Extract the facts of ``source`` and decide every enabled indicator: (results, Maps)."""
    if isinstance(source, (str, os.PathLike)):
        check_file(source)
    if not isinstance(source, (str, os.PathLike, bytes)):
        source = b"".join(iter_lines_chunks(source))  # may be read twice (first currency)
    plan = Plan.from_settings(settings, want_maps=maps)
    if warn is not None and plan.price_allow and plan.price_deny:
        warn(
            "WARN price_comparison_procurement_methods is set, so "
            "no_price_comparison_procurement_methods is ignored"
        )
    if plan.currency is None and plan.enabled & {"R024", "R036", "R058"}:
        plan = Plan.from_settings(settings, currency=first_currency(source, plan), want_maps=maps)
    merged = Partial()
    line_offset = 0
    for count, partial in enumerate(_partials(source, plan, workers or available_cores()), 1):
        if warn is not None:
            for number, message in partial.warnings:
                warn(f"Line {line_offset + number} {message}")
        line_offset += partial.newlines
        partial.warnings = []
        merged.extend(partial)
        if count % _COMPACT_EVERY == 0:
            merged.compact()
    if warn is not None and merged.currency_mismatches:
        level = "INFO" if settings.get("output", "info_currency_mismatches") else "WARN"
        skipped = merged.currency_mismatches
        warn(f"{level} {skipped} bids skipped: their currency is not {plan.currency}")
    return finalize(merged, settings, maps=maps)


def finalize(
    partial: Partial, settings: Settings, *, maps: bool = False
) -> tuple[Results, dict[str, Any] | None]:
    """Decide the population indicators over merged facts: (results, the Maps object or None)."""
    results = Results()
    for frame in partial.ocid_flags:
        results.add("OCID", frame)
    for frame in partial.tenderer_flags:
        results.add("Tenderer", frame)
    for frame in partial.links:
        results.link(frame)
    enabled = settings.enabled
    if {"R024", "R025", "R058"} & set(enabled):
        bid_ratio.finalize(partial, settings, results)
    if "R038" in enabled:
        disqualified.finalize(partial, settings, results)
    if "R048" in enabled:
        heterogeneous.finalize(partial, settings, results)
    links = (
        results.maps(
            _mapping(partial.map_ocid_tenderer, "tenderer", pl.List(pl.String)),
            _mapping(partial.map_ocid_buyer, "buyer", pl.String),
            _mapping(partial.map_ocid_entity, "entity", pl.String),
        )
        if maps
        else None
    )
    return results, links


def _mapping(frames: list[pl.DataFrame], column: str, kind: Any) -> dict[str, Any]:
    """ocid → value, the later line winning (Maps)."""
    frame = concat(frames, {"ocid": pl.String, column: kind})
    ocids, values = frame.get_column("ocid").to_list(), frame.get_column(column).to_list()
    return dict(zip(ocids, values, strict=True))
