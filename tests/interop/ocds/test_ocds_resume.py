"""An import killed with SIGKILL at a random process, then run again, ends in exactly the
state of an uninterrupted import (same rows, entries, alerts and OCDS export; only server
times and generated ids differ, as between any two runs).

Runs ``python -m besa`` in subprocesses against two fresh databases of the configured
backend: SQLite files, or two new PostgreSQL databases when ``BESA_DATABASE_URL`` names a
PostgreSQL server (created and dropped here).
"""

from __future__ import annotations

import gzip
import os
import random
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import orjson
import psycopg
import pytest
from tests.interop.ocds.synthetic import releases

ROOT = Path(__file__).parents[3]
PROCESSES = 150


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[tuple[str, str]]:
    configured = os.environ.get("BESA_DATABASE_URL", "")
    if not configured.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}"
        return
    config = dj_database_url.parse(configured)
    names = [f"besa_ocds_kill_{uuid.uuid4().hex[:8]}_{x}" for x in "ab"]
    admin = configured.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        base = configured.rsplit("/", 1)[0]
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert config["NAME"]  # the configured database itself is never touched


def _run(
    db: str, *args: str, kill_at: int = 0, tmp: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BESA_", "DJANGO_"))}
    env |= {
        "BESA_DATABASE_URL": db,
        "BESA_DEBUG": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "besa.settings",
    }
    if kill_at:
        env["BESA_IMPORT_KILL_AT"] = str(kill_at)
    if tmp is not None:
        env["TMPDIR"] = str(tmp)
    return subprocess.run(
        [sys.executable, "-m", *args], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip


def test_an_import_killed_at_a_random_point_and_rerun_equals_an_uninterrupted_one(
    tmp_path: Path, databases: tuple[str, str]
) -> None:
    source = tmp_path / "input.jsonl.gz"
    source.write_bytes(
        gzip.compress(b"".join(orjson.dumps(r) + b"\n" for r in releases(PROCESSES)))
    )
    whole, killed = databases
    kill_at = random.SystemRandom().randint(1, PROCESSES)
    for db in databases:
        assert _run(db, "besa", "migrate", "-v0").returncode == 0

    assert _run(whole, "besa", "import", "ocds", str(source)).returncode == 0
    spills = tmp_path / "spills"
    spills.mkdir()
    interrupted = _run(killed, "besa", "import", "ocds", str(source), kill_at=kill_at, tmp=spills)
    assert interrupted.returncode == -signal.SIGKILL, (kill_at, interrupted.stderr[-2000:])
    partial = orjson.loads(_run(killed, "tests.interop.ocds.snapshot").stdout)
    # Whole batches only: nothing of the batch that was being written when killed.
    assert partial["counts"]["ImportedProcess"] == (kill_at - 1) // 50 * 50, kill_at
    assert len(list(spills.iterdir())) == 1  # the killed run could not clean up
    resumed = _run(killed, "besa", "import", "ocds", str(source), tmp=spills)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert list(spills.iterdir()) == []  # the re-run removed the orphan and its own

    expected = _run(whole, "tests.interop.ocds.snapshot")
    got = _run(killed, "tests.interop.ocds.snapshot")
    assert expected.returncode == got.returncode == 0, expected.stderr[-2000:] + got.stderr[-2000:]
    expected_state, got_state = orjson.loads(expected.stdout), orjson.loads(got.stdout)
    assert expected_state["counts"]["Entry"] > PROCESSES  # the import did real work
    assert got_state == expected_state, f"killed at process {kill_at}"
