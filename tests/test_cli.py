"""The `besa` command: migrate is idempotent and demo seeds once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def _besa(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BESA_", "DJANGO_"))}
    env |= {"BESA_DATABASE_URL": f"sqlite:///{db}", "BESA_DEBUG": "1"}
    return subprocess.run(
        [sys.executable, "-m", "besa", *args], env=env, capture_output=True, text=True, timeout=300
    )


def test_migrate_creates_the_schema_and_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "besa.sqlite3"
    first = _besa("migrate", db=db)
    assert first.returncode == 0, first.stderr
    second = _besa("migrate", db=db)
    assert second.returncode == 0 and "No migrations to apply" in second.stdout
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"registry_contract", "registry_supplier", "registry_buyingunit"} <= tables


def test_demo_seeds_an_empty_database_once(tmp_path: Path) -> None:
    db = tmp_path / "besa.sqlite3"
    first = _besa("demo", "--no-serve", "--contracts", "40", db=db)
    assert first.returncode == 0, first.stderr
    assert "40 contratos" in first.stdout
    second = _besa("demo", "--no-serve", "--contracts", "40", db=db)
    assert second.returncode == 0 and "contratos" not in second.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM registry_contract").fetchone() == (40,)
