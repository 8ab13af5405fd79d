"""Backups of a whole deployment, and restoring one into an empty database.

A backup is a directory holding everything BESA cannot recompute::

    manifest.json          what the backup holds, with the SHA-256 of every file (written last)
    database.sqlite3       SQLite: a copy made with SQLite's online backup API, or
    database.pgdump        PostgreSQL: ``pg_dump --format=custom`` of one snapshot
    documents/ab/abcd…     every evidence document the database knows (``StoredDocument``)
    checkpoints/N.json     the published copy of the checkpoints (``BESA_CHECKPOINT_LOG``)

It is taken while the system runs: clients may go on appending. The published checkpoints
are copied *before* the database, so every checkpoint in the copy is also in the database
snapshot (a checkpoint is published only after it commits); the documents are the ones the
snapshot's rows name, read after it (files are content-addressed and never deleted, so they
are all still there). A restored copy therefore verifies: checkpoints the snapshot holds
beyond the copied ones are published on restore, as the worker would.

Not in a backup, on purpose: the checkpoint signing key (back it up apart, see
docs/operations.md), job files and the daily dump (recomputed), the settings.

Restoring needs an empty target of the same engine (``BESA_DATABASE_URL``): a backup never
overwrites a database. ``pg_dump``/``pg_restore`` must be PostgreSQL's client tools of the
server's major version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from besa.exceptions import BackupError, PublicationError

FORMAT = "besa-backup/1"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
DOCUMENTS = "documents"
CHECKPOINTS = "checkpoints"
_CHUNK = 1 << 20


@dataclass
class Summary:
    """What a backup holds, or what a restore wrote."""

    database: str
    entries: int = 0
    last_seq: int = 0
    checkpoints: int = 0
    published: int = 0
    documents: int = 0
    missing_documents: list[str] = field(default_factory=list)

    def describe(self) -> str:
        text = (
            f"{self.database}: {self.entries} entries (last seq {self.last_seq}), "
            f"{self.checkpoints} checkpoints, {self.published} published checkpoints, "
            f"{self.documents} documents"
        )
        if self.missing_documents:
            text += f"; {len(self.missing_documents)} documents missing from the storage"
        return text


# --- taking a backup -----------------------------------------------------------------------


def take(out: Path) -> Summary:
    """Write a backup of the configured deployment into the new directory ``out``.

    Safe while the web application and the worker run. Raises ``BackupError`` when ``out``
    exists and is not empty, or a step fails (then ``out`` holds no manifest: incomplete).
    A document whose file is missing from the storage is listed in the manifest and the
    summary, not fatal: its entry still verifies, only its download is gone.
    """
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"{out}: exists and is not an empty directory")
    out.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    summary = Summary(database=vendor)
    summary.published = _copy_published(out / CHECKPOINTS)
    if vendor == "sqlite":
        facts, shas = _sqlite_backup(out / SQLITE_FILE)
    elif vendor == "postgresql":
        facts, shas = _pg_backup(out / PG_FILE)
    else:  # pragma: no cover - settings accept only the two
        raise BackupError(f"unsupported database engine {vendor}")
    summary.entries, summary.last_seq, summary.checkpoints = facts
    summary.documents, summary.missing_documents = _copy_documents(shas, out / DOCUMENTS)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": vendor,
        "entries": summary.entries,
        "last_seq": summary.last_seq,
        "checkpoints": summary.checkpoints,
        "published_checkpoints": summary.published,
        "documents": summary.documents,
        "missing_documents": summary.missing_documents,
        "files": {
            str(path.relative_to(out)): _sha256_file(path)
            for path in sorted(out.rglob("*"))
            if path.is_file()
        },
    }
    tmp = out / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    tmp.rename(out / MANIFEST)  # the manifest appears only when the backup is complete
    return summary


def _copy_published(target: Path) -> int:
    from besa.logbook import publication

    try:
        published = publication.configured().read()
    except PublicationError as exc:
        raise BackupError(f"published checkpoints: {exc}") from exc
    target.mkdir()
    for item in published:
        number = int(item["number"])
        (target / f"{number:012d}.json").write_text(
            json.dumps(item, sort_keys=True, indent=1), encoding="utf-8"
        )
    return len(published)


_FACTS_SQL = (
    "SELECT (SELECT count(*) FROM logbook_entry), (SELECT coalesce(max(seq), 0) FROM "
    "logbook_entry), (SELECT count(*) FROM logbook_checkpoint)"
)
_DOCUMENTS_SQL = "SELECT sha256 FROM documents_storeddocument ORDER BY sha256"


def _sqlite_backup(target: Path) -> tuple[tuple[int, int, int], list[str]]:
    """SQLite's online backup API: one consistent copy while other connections write (WAL
    lets them go on; the copy is taken in one step, so it is never restarted)."""
    source_path = str(settings.DATABASES["default"]["NAME"])
    source = sqlite3.connect(source_path, timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        facts = copy.execute(_FACTS_SQL).fetchone()
        shas = [row[0] for row in copy.execute(_DOCUMENTS_SQL)]
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite backup of {source_path}: {exc}") from exc
    finally:
        copy.close()
        source.close()
    return (int(facts[0]), int(facts[1]), int(facts[2])), shas


def _pg_backup(target: Path) -> tuple[tuple[int, int, int], list[str]]:
    """``pg_dump`` of an exported snapshot, read by this transaction too, so the counts and
    the documents listed are exactly the dump's."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        cursor.execute(_FACTS_SQL)
        facts = cursor.fetchone()
        cursor.execute(_DOCUMENTS_SQL)
        shas = [row[0] for row in cursor.fetchall()]
        _pg_tool(
            "pg_dump",
            "--format=custom",
            f"--snapshot={snapshot}",
            f"--file={target}",
            "--dbname",
            _pg_dbname(),
        )
    return (int(facts[0]), int(facts[1]), int(facts[2])), shas


def _copy_documents(shas: list[str], target: Path) -> tuple[int, list[str]]:
    from besa.documents import store

    storage = store.storage()
    copied, missing = 0, []
    for sha in shas:
        path = store.path_of(sha)
        if not storage.exists(path):
            missing.append(sha)
            continue
        destination = target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with storage.open(path, "rb") as source, destination.open("wb") as copy:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                copy.write(chunk)
        if digest.hexdigest() != sha:
            raise BackupError(f"document {sha}: the stored file does not have that SHA-256")
        copied += 1
    return copied, missing


# --- restoring -----------------------------------------------------------------------------


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest of the backup in ``source``, after checking every file it lists against
    its SHA-256. ``BackupError`` names a missing or altered file, or an incomplete backup."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"{source}: no {MANIFEST}: not a backup, or an incomplete one") from exc
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source / MANIFEST}: unreadable ({exc})") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source / MANIFEST}: unknown format {manifest.get('format')!r}")
    for name, sha in manifest["files"].items():
        path = source / name
        if not path.is_file():
            raise BackupError(f"{path}: listed in the manifest but missing")
        if _sha256_file(path) != sha:
            raise BackupError(f"{path}: altered since the backup (SHA-256 differs)")
    return dict(manifest)


def restore(source: Path) -> Summary:
    """Restore the backup in ``source`` into the configured, empty database, its documents
    into the configured storage and its checkpoints into the configured published copy.

    Refuses (``BackupError``, nothing written) a corrupt backup, a backup of the other
    engine, and a target database that already holds tables. Documents and published
    checkpoints already present are kept (they are content-addressed and append-only); a
    published checkpoint that differs from the backup's is an error, never overwritten.
    Finally publishes the database's checkpoints the copy lacks, as the worker would.
    """
    from besa.documents import store
    from besa.logbook import checkpoints, publication, signing
    from besa.logbook.models import Checkpoint, Entry

    manifest = read_manifest(source)
    # Before anything is written: without a trusted key nothing restored could be checked
    # (``ConfigurationError`` naming BESA_CHECKPOINT_KEY / BESA_CHECKPOINT_PUBLIC_KEY).
    signing.trusted_keys()
    vendor = connection.vendor
    if manifest["database"] != vendor:
        raise BackupError(
            f"{source}: a {manifest['database']} backup cannot be restored into {vendor} "
            f"(BESA_DATABASE_URL)"
        )
    _refuse_non_empty()
    if vendor == "sqlite":
        _sqlite_restore(source / SQLITE_FILE)
    else:
        connection.close()
        _pg_tool(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            _pg_dbname(),
            str(source / PG_FILE),
        )
    connection.close()  # the restored schema is new to this process
    summary = Summary(database=vendor)
    for path in sorted((source / DOCUMENTS).rglob("*")):
        if path.is_file():
            store.keep(path.name, path.read_bytes())
            summary.documents += 1
    log = publication.configured()
    for path in sorted((source / CHECKPOINTS).glob("*.json")):
        try:
            log.append(json.loads(path.read_text(encoding="utf-8")))
        except PublicationError as exc:
            raise BackupError(f"{path.name}: {exc}") from exc
        summary.published += 1
    summary.published += checkpoints.publish_pending()
    summary.entries = Entry.objects.count()
    summary.last_seq = Entry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    summary.checkpoints = Checkpoint.objects.count()
    summary.missing_documents = list(manifest.get("missing_documents", []))
    return summary


def _refuse_non_empty() -> None:
    tables = [t for t in connection.introspection.table_names() if not t.startswith("sqlite_")]
    if tables:
        where = settings.DATABASES["default"]["NAME"]
        raise BackupError(
            f"the target database {where} is not empty ({len(tables)} tables): restore into "
            "a new, empty database (createdb, or a new SQLite path in BESA_DATABASE_URL)"
        )


def _sqlite_restore(backup_file: Path) -> None:
    target = str(settings.DATABASES["default"]["NAME"])
    connection.close()
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(backup_file)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite restore into {target}: {exc}") from exc
    finally:
        copy.close()
        source.close()


# --- PostgreSQL client tools ---------------------------------------------------------------


def _pg_dbname() -> str:
    """The configured database as a libpq connection string (the password goes through the
    environment instead, so it never shows in a process list)."""
    db = settings.DATABASES["default"]
    parts = {
        "dbname": db.get("NAME"),
        "host": db.get("HOST"),
        "port": db.get("PORT"),
        "user": db.get("USER"),
    }
    return " ".join(f"{k}={_quoted(str(v))}" for k, v in parts.items() if v)


def _quoted(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _pg_tool(tool: str, *args: str) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} not found: install PostgreSQL's client tools")
    env = dict(os.environ)
    password = settings.DATABASES["default"].get("PASSWORD")
    if password:
        env["PGPASSWORD"] = str(password)
    result = subprocess.run(
        [executable, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{tool} failed: {detail[-1] if detail else result.returncode}")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def now_label() -> str:
    """A default directory name for a backup: ``besa-backup-YYYYmmddTHHMMSSZ``."""
    return "besa-backup-" + dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
