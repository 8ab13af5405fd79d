"""A temporary on-disk table of releases keyed by ocid, so that the releases of one process,
scattered through a file (or several), come back together without holding the file in memory.

SQLite (the standard library's) in a private temporary directory, deleted on ``close``; it
never touches the application database. A process killed outright (SIGKILL) cannot delete
its directory, so each new spill first deletes those left by processes that no longer exist
(the directory name carries the owner's pid).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from besa.interop.ocds.normalise import Normalised

_PREFIX = "besa-ocds-"


def _remove_orphans() -> None:
    """Delete spill directories whose owning process is gone (killed before ``close``)."""
    for path in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*-*"):
        pid = path.name[len(_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except PermissionError:
            continue  # alive, another user's


@dataclass(frozen=True)
class Spilled:
    """A release read back: where it came from, and whether it is a compiled release."""

    file: str
    line: int | None
    path: str
    compiled: bool
    release: dict[str, Any]


class Spill:
    """Add releases in any order; ``processes()`` yields them grouped by ocid, in ocid order
    and, within an ocid, in the order they were added."""

    def __init__(self) -> None:
        _remove_orphans()
        self._dir = tempfile.TemporaryDirectory(prefix=f"{_PREFIX}{os.getpid()}-")
        self._db = sqlite3.connect(Path(self._dir.name) / "spill.sqlite3")
        self._db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
            "CREATE TABLE item (seq INTEGER PRIMARY KEY, ocid TEXT, file TEXT, line INTEGER,"
            " path TEXT, compiled INTEGER, body BLOB);"
        )
        self._pending: list[tuple[Any, ...]] = []
        self.count = 0

    def add(self, file: str, item: Normalised) -> None:
        self._pending.append(
            (item.ocid, file, item.line, item.path, int(item.compiled), orjson.dumps(item.release))
        )
        self.count += 1
        if len(self._pending) >= 2000:
            self._flush()

    def _flush(self) -> None:
        self._db.executemany(
            "INSERT INTO item (ocid, file, line, path, compiled, body) VALUES (?,?,?,?,?,?)",
            self._pending,
        )
        self._pending.clear()

    def ocids(self) -> int:
        """How many distinct ocids were added."""
        self._flush()
        self._db.execute("CREATE INDEX IF NOT EXISTS item_ocid ON item (ocid, seq)")
        return int(self._db.execute("SELECT COUNT(DISTINCT ocid) FROM item").fetchone()[0])

    def processes(self) -> Iterator[tuple[str, list[Spilled]]]:
        self.ocids()  # flushes and indexes
        cursor = self._db.execute(
            "SELECT ocid, file, line, path, compiled, body FROM item ORDER BY ocid, seq"
        )
        current: str | None = None
        group: list[Spilled] = []
        for ocid, file, line, path, compiled, body in cursor:
            if ocid != current:
                if current is not None:
                    yield current, group
                current, group = ocid, []
            group.append(Spilled(file, line, path, bool(compiled), orjson.loads(body)))
        if current is not None:
            yield current, group

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()
