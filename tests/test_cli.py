"""The `besa` command: migrate is idempotent and demo seeds once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


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


# --- configuration errors --------------------------------------------------------------------

PRODUCTION = {"BESA_SECRET_KEY": "s" * 50, "BESA_ALLOWED_HOSTS": "besa.example.gob.mx"}


def _besa_in(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BESA_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-m", "besa", *args],
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "BESA_SECRET_KEY"),
        ({"BESA_SECRET_KEY": "s" * 50}, "BESA_ALLOWED_HOSTS"),
        ({**PRODUCTION, "BESA_DATABASE_URL": "mysql://x/y"}, "BESA_DATABASE_URL"),
        ({**PRODUCTION, "BESA_JURISDICTION": "mx-atlantis"}, "BESA_JURISDICTION='mx-atlantis'"),
        ({**PRODUCTION, "BESA_DEBUG": "maybe"}, "BESA_DEBUG='maybe'"),
        ({**PRODUCTION, "BESA_EMAIL_PORT": "twenty-five"}, "BESA_EMAIL_PORT"),
        ({**PRODUCTION, "BESA_EMAIL_BACKEND": "pigeon"}, "BESA_EMAIL_BACKEND='pigeon'"),
        ({**PRODUCTION, "BESA_EMAIL_HOST_USER": "besa"}, "BESA_EMAIL_HOST_PASSWORD"),
        (
            {**PRODUCTION, "BESA_EMAIL_USE_TLS": "1", "BESA_EMAIL_USE_SSL": "1"},
            "BESA_EMAIL_USE_TLS and BESA_EMAIL_USE_SSL",
        ),
    ],
)
def test_a_missing_or_wrong_setting_stops_besa_with_one_line_naming_it(
    env: dict[str, str], named: str
) -> None:
    result = _besa_in({"BESA_EMAIL_BACKEND": "console", **env}, "check")

    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("besa: configuration error: ")
    assert named in line


@pytest.mark.parametrize("command", [("migrate",), ("serve", "--port", "0"), ("worker",)])
def test_every_command_stops_on_a_wrong_setting_before_doing_anything(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    db = tmp_path / "besa.sqlite3"
    env = {**PRODUCTION, "BESA_DATABASE_URL": f"sqlite:///{db}", "BESA_EMAIL_PORT": "-1"}

    result = _besa_in(env, *command)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "BESA_EMAIL_PORT='-1'" in result.stderr
    assert not db.exists()


@pytest.mark.parametrize("command", [("serve", "--port", "0"), ("worker",)])
def test_production_processes_that_send_email_refuse_an_unchosen_console_backend(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    env = {**PRODUCTION, "BESA_DATABASE_URL": f"sqlite:///{tmp_path / 'besa.sqlite3'}"}

    result = _besa_in(env, *command)

    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert "BESA_EMAIL_BACKEND is not set" in line


def test_one_off_commands_in_production_need_no_email_backend(tmp_path: Path) -> None:
    env = {**PRODUCTION, "BESA_DATABASE_URL": f"sqlite:///{tmp_path / 'besa.sqlite3'}"}

    result = _besa_in(env, "check", "--fail-level", "ERROR")

    assert result.returncode == 0, result.stderr


def test_the_web_application_refuses_an_unchosen_console_backend_in_production() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import besa.wsgi"],
        env={k: v for k, v in os.environ.items() if not k.startswith(("BESA_", "DJANGO_"))}
        | PRODUCTION,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "BESA_EMAIL_BACKEND is not set" in result.stderr
