"""One indicators run: cut the input, extract facts in parallel, decide over the population.

Contract of :func:`run`:

* The input is OCDS compiled releases as JSON Lines: a path, ``bytes``, or an iterable of lines.
* Invalid JSON lines are skipped and reported through ``warn`` with their line number; blank
  lines are skipped silently; nothing else is written anywhere.
* With ``workers > 1`` a path is cut into byte ranges at line boundaries and decoded by a pool
  of forked processes; the merged facts do not depend on the cut, so neither does the result.
* When ``currency`` is not set and an indicator needs a main currency, it is the currency of the
  first submitted bid with an amount, in file order (Cardinal: "the first observed currency").
* Workers are forked: inside a threaded server, pass ``workers=1``.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from besa.cardinal import bid_ratio, disqualified, heterogeneous
from besa.cardinal.decode import decode_chunk, iter_lines_chunks, split
from besa.cardinal.evaluate import evaluate, readable
from besa.cardinal.output import Results
from besa.cardinal.plan import Partial, Plan
from besa.cardinal.settings import Settings

Source = str | os.PathLike[str] | bytes | Iterable[str] | Iterable[bytes]
Warn = Callable[[str], None]
_CHUNK_BYTES = 4 << 20
_NOT_SUBMITTED = frozenset({"invited", "withdrawn"})


def available_cores() -> int:
    """The cores this process may run on (``taskset`` and cgroup affinity respected)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover (not Linux)
        return max(1, os.cpu_count() or 1)


def _fold(blocks: Iterable[bytes], plan: Plan) -> Partial:
    """Decode and evaluate blocks of whole lines into one partial (line numbers from 1)."""
    # Decoding allocates millions of small acyclic containers: the cyclic garbage collector
    # would rescan them again and again (it doubled the decoding time). Reference counting
    # still frees them.
    enabled = gc.isenabled()
    gc.disable()
    try:
        partial = Partial()
        for data in blocks:
            releases, warnings = decode_chunk(data)
            partial.warnings.extend((partial.newlines + number, text) for number, text in warnings)
            partial.newlines += data.count(b"\n")
            evaluate(releases, plan, partial)
            del releases
        return partial
    finally:
        if enabled:
            gc.enable()


def _range_blocks(path: str, start: int, end: int) -> Iterator[bytes]:
    """The bytes ``[start, end)`` of a file (cut at line boundaries) in blocks of whole lines."""
    with open(path, "rb") as handle:
        handle.seek(start)
        carry = b""
        remaining = end - start
        while remaining > 0:
            block = handle.read(min(_CHUNK_BYTES, remaining))
            if not block:
                break
            remaining -= len(block)
            block = carry + block
            cut = block.rfind(b"\n") + 1
            carry = block[cut:]
            if cut:
                yield block[:cut]
        if carry:
            yield carry


def _read_range(task: tuple[str, int, int, Plan]) -> Partial:
    path, start, end, plan = task
    return _fold(_range_blocks(path, start, end), plan)


def check_file(path: str | os.PathLike[str]) -> None:
    """Raise ``OSError`` (with ``filename`` and ``strerror``) unless ``path`` is a readable file."""
    if Path(path).is_dir():
        raise IsADirectoryError(21, "Is a directory, not a file", os.fspath(path))
    with open(path, "rb"):
        pass


def blocks(source: Source) -> Iterator[bytes]:
    """The input in blocks of whole lines (about 4 MiB each), whatever its kind."""
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
        yield from _range_blocks(os.fspath(source), 0, os.path.getsize(source))
    else:
        yield from iter_lines_chunks(source)


def first_currency(source: Source, plan: Plan) -> str | None:
    """The currency of the first submitted bid with an amount in a readable process."""
    for data in blocks(source):
        for release in decode_chunk(data)[0]:
            if not readable(release, plan) or release.bids is None or not release.bids.details:
                continue
            for bid in release.bids.details:
                value = bid.value
                if (
                    type(bid.status) is str
                    and bid.status not in _NOT_SUBMITTED
                    and value is not None
                    and type(value.amount) in (int, float)
                    and type(value.currency) is str
                ):
                    return value.currency
    return None


def _partials(source: Source, plan: Plan, workers: int) -> Iterator[Partial]:
    if isinstance(source, (str, os.PathLike)) and workers > 1:
        path = os.fspath(source)
        size = Path(path).stat().st_size
        with open(path, "rb") as handle:

            def read_at(offset: int) -> bytes:
                handle.seek(offset)
                return handle.read(65536)

            # A few ranges per worker: enough to even out uneven cores, few partials to merge.
            ranges = split(size, read_at, workers * 3)
        tasks = [(path, start, end, plan) for start, end in ranges]
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            yield from pool.imap(_read_range, tasks)
        return
    yield _fold(blocks(source), plan)


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
    for partial in _partials(source, plan, workers or available_cores()):
        if warn is not None:
            for number, message in partial.warnings:
                warn(f"Line {line_offset + number} {message}")
        line_offset += partial.newlines
        partial.warnings = []
        merged.extend(partial)
    if warn is not None and merged.currency_mismatches:
        level = "INFO" if settings.get("output", "info_currency_mismatches") else "WARN"
        skipped = len(merged.currency_mismatches)
        warn(f"{level} {skipped} bids skipped: their currency is not {plan.currency}")
    return finalize(merged, settings, meta=meta, maps=maps)


def finalize(
    partial: Partial, settings: Settings, *, meta: bool = True, maps: bool = False
) -> dict[str, Any]:
    """Decide the population indicators over merged facts and build the output object."""
    results = Results(partial.ocid_flags, partial.tenderer_flags, partial.links)
    enabled = settings.enabled
    if {"R024", "R025", "R058"} & set(enabled):
        bid_ratio.finalize(partial, settings, results)
    if "R038" in enabled:
        disqualified.finalize(partial, settings, results)
    if "R048" in enabled:
        heterogeneous.finalize(partial, settings, results)
    links = (
        results.maps(partial.map_ocid_tenderer, partial.map_ocid_buyer, partial.map_ocid_entity)
        if maps
        else None
    )
    return results.document(meta=meta, maps=links)
