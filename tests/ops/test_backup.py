"""``besa backup`` and ``besa restore`` on a real deployment: a backup taken while a client
appends over HTTP restores to a database that verifies, with its documents and published
checkpoints; a backup of a quiet deployment restores to one whose exports equal the source's.

Runs on the engine of ``BESA_DATABASE_URL`` (SQLite by default; PostgreSQL in CI's second
pass), on its own databases (``besa_ops_bk_*``), never on the test database.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from bench.ops import outcome
from bench.ops.client import Client, Stats
from bench.ops.site import Site

ENGINE = (
    "postgresql" if os.environ.get("BESA_DATABASE_URL", "").startswith("postgres") else "sqlite"
)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory):
    """One seeded deployment for the module (seeding takes seconds); the first test appends
    to it, the others only read it."""
    site = Site(ENGINE, f"besa_ops_bk_src_{os.getpid()}", tmp_path_factory.mktemp("source"))
    site.create()
    site.python("bench.ops.seed", "--contracts", "4", "--swept", "0",
                "--out", str(site.dir / "plan.json"))  # fmt: skip
    yield site
    site.drop()


def _empty(tmp_path: Path, name: str, source: Site) -> Site:
    """A new deployment with an empty database. The signing key is not in a backup (it is
    kept apart, docs/operations.md): the operator brings it, as this copy does."""
    site = Site(ENGINE, f"besa_ops_bk_{name}_{os.getpid()}", tmp_path)
    site.create()
    shutil.copy2(source.dir / "checkpoint-ed25519.pem", site.dir / "checkpoint-ed25519.pem")
    return site


def test_a_backup_taken_while_a_client_appends_restores_to_a_database_that_verifies(
    source: Site, tmp_path: Path
) -> None:
    plan = json.loads((source.dir / "plan.json").read_text())
    source.start_server()
    stats = Stats()
    third, backed_up = threading.Event(), threading.Event()
    entries = [(c["ocid"], e) for c in plan["contracts"] for e in c["entries"]]

    def client() -> None:
        # The first third before the backup, the second while it is taken, the last third
        # once it is done (so the backup cannot hold everything).
        appender = Client(source.port, plan["token"], stats)
        try:
            for n, (ocid, entry) in enumerate(entries):
                if n == len(entries) // 3:
                    third.set()
                if n == 2 * len(entries) // 3:
                    backed_up.wait(300)
                if not appender.append(ocid, entry, retry_for=0):
                    return
        finally:
            appender.close()
            third.set()

    thread = threading.Thread(target=client)
    thread.start()
    assert third.wait(300)
    taken = source.besa("backup", "--out", str(tmp_path / "during"))
    backed_up.set()
    thread.join()
    source.stop()
    assert not stats.errors
    assert "backup written" in taken.stdout

    restored = _empty(tmp_path, "during", source)
    try:
        done = restored.besa("restore", str(tmp_path / "during"))
        assert "restored" in done.stdout
        verify = restored.besa("verify", check=False)
        assert verify.returncode == 0, verify.stderr
        # The snapshot holds a prefix of what the client appended while it was taken, and
        # every entry in it is the source's entry, hash for hash.
        ours = {(u, h) for _, u, h, _ in outcome.read(restored).entries}
        theirs = {(u, h) for _, u, h, _ in outcome.read(source).entries}
        assert ours < theirs
        assert len(ours) > len(plan["contracts"])  # more than the registrations
        manifest = json.loads((tmp_path / "during" / "manifest.json").read_text())
        assert manifest["entries"] == len(ours)
        documents = sorted(
            p.name for p in (restored.dir / "var" / "documents").rglob("*") if p.is_file()
        )
        assert documents == sorted(d["sha256"] for d in plan["documents"])
        assert sorted(p.name for p in restored.checkpoint_log.iterdir()) == sorted(
            p.name for p in (tmp_path / "during" / "checkpoints").iterdir()
        )
    finally:
        restored.drop()


@pytest.fixture(scope="module")
def quiet_backup(source: Site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup of the source once nothing appends any more (after the first test)."""
    out = tmp_path_factory.mktemp("quiet") / "backup"
    source.besa("checkpoint")
    source.besa("backup", "--out", str(out))
    return out


def test_a_restored_quiet_deployment_exports_what_the_source_exports(
    source: Site, quiet_backup: Path, tmp_path: Path
) -> None:
    restored = _empty(tmp_path, "quiet", source)
    try:
        restored.besa("restore", str(quiet_backup))
        assert restored.besa("verify", check=False).returncode == 0
        for site in (source, restored):
            site.besa("dump", "--out", str(site.dir / "dump"))
        (theirs_dir,) = (source.dir / "dump").iterdir()
        (ours_dir,) = (restored.dir / "dump").iterdir()
        compared = []
        for theirs in sorted(theirs_dir.iterdir()):
            ours = ours_dir / theirs.name
            if theirs.suffix == ".csv" or theirs.name == "checkpoints.json":
                assert ours.read_bytes() == theirs.read_bytes(), theirs.name
            elif theirs.name in ("releases.json", "records.json"):
                assert _package(ours) == _package(theirs), theirs.name
            else:
                continue  # the manifest and the workbook carry the time they were written
            compared.append(theirs.name)
        assert "checkpoints.json" in compared and any(".csv" in n for n in compared)
        assert {"releases.json", "records.json"} <= set(compared), compared
    finally:
        restored.drop()


def _package(path: Path) -> dict[str, object]:
    """An OCDS package without its package-level ``publishedDate`` (when it was written)."""
    package = json.loads(path.read_bytes())
    package.pop("publishedDate", None)
    return dict(package)


def test_restore_refuses_a_database_that_is_not_empty(source: Site, quiet_backup: Path) -> None:
    refused = source.besa("restore", str(quiet_backup), check=False)
    assert refused.returncode == 2
    assert "is not empty" in refused.stderr


def test_restore_refuses_an_altered_backup(
    source: Site, quiet_backup: Path, tmp_path: Path
) -> None:
    altered = tmp_path / "altered"
    shutil.copytree(quiet_backup, altered)
    document = next(p for p in (altered / "documents").rglob("*") if p.is_file())
    document.write_bytes(b"not the evidence")
    target = _empty(tmp_path, "altered", source)
    try:
        refused = target.besa("restore", str(altered), check=False)
        assert refused.returncode == 2
        assert document.name in refused.stderr and "altered" in refused.stderr
    finally:
        target.drop()
