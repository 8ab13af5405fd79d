"""The bulk dump: every public file of the logbook as of the end of one day, with a manifest.

Layout: ``<out>/<YYYY-MM-DD>/`` holding ``releases.json`` and ``records.json`` (OCDS packages),
``contracts.csv``, ``entries.csv``, ``payments.csv``, ``checkpoints.json`` (the signed
checkpoints and their keys), ``besa.xlsx`` (one sheet per flat view) and ``manifest.json`` (per
file: bytes, SHA-256 and item/row count).

"As of the end of the day" means facts recorded before midnight that follows ``day`` in the
jurisdiction's time zone. The directory is written under a temporary name in ``<out>`` and
renamed into place only when complete, so a reader never sees half a dump; re-running for
the same day replaces the previous dump (the swap is two renames).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import orjson
from django.utils import timezone

from besa.exceptions import InvalidInput
from besa.jurisdiction import from_env
from besa.opendata import flat, packages, writers
from besa.opendata.checkpoints import published_checkpoints
from besa.opendata.selection import Selection, contracts

MANIFEST = "manifest.json"

#: Public flat views in the dump, in this order (never ``alerts``: not public).
DUMP_VIEWS = ("contracts", "entries", "payments")


def cutoff(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the jurisdiction's zone."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=from_env().zone)


def dump(out: Path, day: dt.date, now: dt.datetime | None = None) -> dict[str, Any]:
    """Write the dump of ``day`` under ``out/<day>/`` and return its manifest.

    Safe to call repeatedly (the last complete dump wins); ``InvalidInput`` naming ``out``
    when the directory cannot be written, and then nothing is left behind.
    """
    now = now or timezone.now()
    before = cutoff(day)
    if day > now.astimezone(from_env().zone).date():
        raise InvalidInput("date", f"posterior a hoy / in the future: {day}")
    try:
        out.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{day}.", suffix=".partial", dir=out))
    except OSError as exc:
        raise InvalidInput("out", str(exc)) from exc
    try:
        manifest = _write_all(tmp, day, before, now)
        _swap_into_place(tmp, out / day.isoformat())
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _write_all(tmp: Path, day: dt.date, before: dt.datetime, now: dt.datetime) -> dict[str, Any]:
    selected = contracts(Selection(recorded_before=before))
    files: list[dict[str, Any]] = []
    for name, records in (("releases.json", False), ("records.json", True)):
        with (tmp / name).open("wb") as handle:
            count = packages.write(
                handle, selected, records=records, recorded_before=before, published=now
            )
        files.append(_describe(tmp / name, "ocds", count))
    for view_name in DUMP_VIEWS:
        view = flat.VIEWS[view_name]
        path = tmp / f"{view_name}.csv"
        rows = writers.write_csv(path, view, view.rows(selected, before))
        files.append(_describe(path, "csv", rows))
    with (tmp / "checkpoints.json").open("wb") as handle:
        signed = published_checkpoints(up_to=before)
        handle.write(orjson.dumps(signed, option=orjson.OPT_INDENT_2))
    files.append(_describe(tmp / "checkpoints.json", "checkpoints", len(signed["checkpoints"])))
    book = tmp / "besa.xlsx"
    sheets = [(flat.VIEWS[v], flat.VIEWS[v].rows(selected, before)) for v in DUMP_VIEWS]
    counts = writers.write_xlsx(book, sheets)
    files.append(_describe(book, "xlsx", sum(counts.values()), sheets=counts))
    manifest = {
        "date": day.isoformat(),
        "recorded_before": before.isoformat(),
        "generated_at": now.isoformat(timespec="seconds"),
        "jurisdiction": from_env().code,
        "files": files,
    }
    (tmp / MANIFEST).write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
    return manifest


def _describe(path: Path, kind: str, count: int, **extra: Any) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {
        "name": path.name,
        "format": kind,
        "bytes": path.stat().st_size,
        "sha256": digest.hexdigest(),
        "count": count,
        **extra,
    }


def _swap_into_place(tmp: Path, final: Path) -> None:
    """Rename ``tmp`` to ``final``; an older ``final`` is moved aside first and removed after.
    A reader finds the old complete dump, the new one, or (between the two renames) none;
    never a mix."""
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; a published dump is readable
    if not final.exists():
        tmp.rename(final)
        return
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def dump_job_for(out: Path) -> Any:
    """A worker job that dumps yesterday (in the jurisdiction's zone) once: idempotent, it
    does nothing when that day's manifest exists."""

    def job(now: dt.datetime) -> int:
        day = now.astimezone(from_env().zone).date() - dt.timedelta(days=1)
        if (out / day.isoformat() / MANIFEST).exists():
            return 0
        dump(out, day, now)
        return 1

    return job
