"""A database migrated from zero is append-only without any help, and a database restored
from an older copy is caught by ``besa verify``: each test drives the ``besa`` command on a
database of its own, as an administrator would, and touches no trigger itself."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
BESA = [sys.executable, "-m", "besa"]

#: Registers a small world (registration entries) and signs a checkpoint over it.
POPULATE = """
import django
django.setup()
from tests.world import build_world
from besa.logbook.checkpoints import make_checkpoint
build_world()
make_checkpoint()
"""

#: Appends to an existing contract and signs a new checkpoint.
APPEND_MORE = """
import django
django.setup()
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.checkpoints import make_checkpoint
from besa.registry.models import Contract
from tests.logbook.test_append import SUFFICIENCY
contract = Contract.objects.order_by("ocid").first()
append(contract, "budget_sufficiency", SUFFICIENCY, actor=Actor.system("test"))
make_checkpoint()
"""


def _env(tmp_path: Path, url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BESA_", "DJANGO_", "PYTEST"))
    }
    env.update(
        BESA_SECRET_KEY="test-only-secret-never-use-in-production-0123456789",
        BESA_ALLOWED_HOSTS="testserver",
        BESA_DATABASE_URL=url,
        BESA_VAR_DIR=str(tmp_path / "var"),
        BESA_CHECKPOINT_LOG=str(tmp_path / "published"),
        DJANGO_SETTINGS_MODULE="besa.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)


def _ok(args: list[str], env: dict[str, str]) -> None:
    done = _run(args, env)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'besa.sqlite3'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database beside the test database (only when the suite runs
    on PostgreSQL)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the suite runs on SQLite: CI's PostgreSQL pass runs this")
    import psycopg

    name = f"besa_fresh_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"],
        dbname="postgres", autocommit=True,
    )  # fmt: skip
    admin.execute(f"CREATE DATABASE {name}")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    try:
        yield f"postgresql://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


REWRITES = [
    "UPDATE logbook_entry SET kind = kind",
    "DELETE FROM logbook_entry",
    "UPDATE logbook_checkpoint SET merkle_root = merkle_root",
    "DELETE FROM logbook_checkpoint",
]


def test_a_sqlite_database_migrated_from_zero_refuses_to_rewrite_entries_and_checkpoints(
    tmp_path: Path, sqlite_url: str
) -> None:
    env = _env(tmp_path, sqlite_url)
    _ok([*BESA, "migrate", "--verbosity", "0"], env)
    _ok([sys.executable, "-c", POPULATE], env)
    db = sqlite3.connect(tmp_path / "besa.sqlite3")
    assert db.execute("SELECT count(*) FROM logbook_entry").fetchone()[0] > 0
    assert db.execute("SELECT count(*) FROM logbook_checkpoint").fetchone()[0] == 1
    for statement in REWRITES:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute(statement)
    db.close()
    _ok([*BESA, "check"], env)


def test_a_postgresql_database_migrated_from_zero_refuses_to_rewrite_or_truncate(
    tmp_path: Path, postgres_url: str
) -> None:
    import psycopg

    env = _env(tmp_path, postgres_url)
    _ok([*BESA, "migrate", "--verbosity", "0"], env)
    _ok([sys.executable, "-c", POPULATE], env)
    rewrites = [*REWRITES, "TRUNCATE logbook_entry CASCADE", "TRUNCATE logbook_checkpoint"]
    with psycopg.connect(postgres_url, autocommit=True) as db:
        for statement in rewrites:
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                db.execute(statement)
    _ok([*BESA, "check"], env)


def test_lost_triggers_stop_the_commands_until_besa_migrate_reinstalls_them(
    tmp_path: Path, sqlite_url: str
) -> None:
    env = _env(tmp_path, sqlite_url)
    _ok([*BESA, "migrate", "--verbosity", "0"], env)
    db = sqlite3.connect(tmp_path / "besa.sqlite3")
    db.execute("DROP TRIGGER logbook_entry_no_update")
    db.commit()
    refused = _run([*BESA, "check"], env)
    assert refused.returncode != 0
    assert "besa.E001" in refused.stderr and "logbook_entry_no_update" in refused.stderr
    verified = _run([*BESA, "verify"], env)
    assert verified.returncode == 1 and "not append-only" in verified.stderr
    _ok([*BESA, "migrate", "--verbosity", "0"], env)
    _ok([*BESA, "check"], env)
    trigger_names = {
        r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
    }
    assert "logbook_entry_no_update" in trigger_names


def test_a_database_file_replaced_by_a_copy_taken_before_the_newest_checkpoint_fails_verify(
    tmp_path: Path, sqlite_url: str
) -> None:
    env = _env(tmp_path, sqlite_url)
    _ok([*BESA, "migrate", "--verbosity", "0"], env)
    _ok([sys.executable, "-c", POPULATE], env)
    database = tmp_path / "besa.sqlite3"
    shutil.copy(database, tmp_path / "older.sqlite3")  # the backup an insider keeps
    _ok([sys.executable, "-c", APPEND_MORE], env)
    assert "intact" in _run([*BESA, "verify"], env).stdout

    shutil.copy(tmp_path / "older.sqlite3", database)  # …and restores later
    verified = _run([*BESA, "verify"], env)
    assert verified.returncode == 1
    assert "checkpoint 2: is published" in verified.stderr
    assert "missing from the database" in verified.stderr
    # A second copy of the published checkpoints (a citizen's mirror) says the same.
    mirror = tmp_path / "mirror"
    shutil.copytree(tmp_path / "published", mirror)
    against = _run([*BESA, "verify", "--against", str(mirror)], env)
    assert against.returncode == 1 and "checkpoint 2: is published" in against.stderr
