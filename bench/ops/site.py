"""A throw-away BESA deployment on this machine, for the crash and load harnesses.

``Site`` owns one database (a SQLite file, or a PostgreSQL database whose name starts with
``besa_ops_``), a var directory (documents, published checkpoints, the e-mail outbox) and the
``besa serve`` and ``besa worker`` processes, started as a deployment would start them:
production settings (DEBUG off), the ``file`` e-mail backend writing one file per message,
127.0.0.1 only. A prepared site is a template: ``clone`` copies its database (``CREATE
DATABASE … TEMPLATE`` on PostgreSQL, a file copy on SQLite) and its var directory, so every
round starts from the same state in a second.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

PG = "postgresql://postgres@127.0.0.1:5432/"
#: A secret long enough for the production rule (at least 50 characters).
SECRET = "ops-harness-secret-" + "x" * 40
BESA = [sys.executable, "-m", "besa"]
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qtAc", sql],
        check=True,
        capture_output=True,
    )


@dataclass
class Site:
    """One deployment: ``engine`` is ``sqlite`` or ``postgresql``; ``name`` is the database
    name (PostgreSQL) and the directory under ``base``."""

    engine: str
    name: str
    base: Path
    serve_threads: int = 8
    worker_every: dict[str, float] = field(default_factory=dict)
    port: int = 0
    server: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        if self.engine == "postgresql" and not self.name.startswith("besa_ops_"):
            raise ValueError("harness databases are named besa_ops_…")
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()

    @property
    def dir(self) -> Path:
        return self.base / self.name

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        if self.engine == "sqlite":
            return f"sqlite:///{self.dir / 'besa.sqlite3'}"
        return PG + self.name

    @property
    def outbox(self) -> Path:
        return self.dir / "outbox"

    @property
    def checkpoint_log(self) -> Path:
        return self.dir / "checkpoints"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BESA_")}
        env.update(
            {
                "BESA_DATABASE_URL": self.database_url,
                "BESA_SECRET_KEY": SECRET,
                "BESA_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "BESA_EMAIL_BACKEND": "file",
                "BESA_EMAIL_FILE_PATH": str(self.outbox),
                "BESA_VAR_DIR": str(self.dir / "var"),
                "BESA_CHECKPOINT_KEY": str(self.dir / "checkpoint-ed25519.pem"),
                "BESA_CHECKPOINT_LOG": str(self.checkpoint_log),
                "BESA_SAT_CFDI_CHECK": "off",
                "BESA_SECURE_COOKIES": "0",
                # A killed worker's claims lapse in seconds, not minutes, so a round settles
                # quickly; the property tested (another worker takes them) is the same.
                "BESA_NOTIFICATION_LEASE_SECONDS": "5",
                "BESA_SWEEP_LEASE_SECONDS": "5",
                "DJANGO_SETTINGS_MODULE": "besa.settings",
                "PYTHONPATH": os.pathsep.join(
                    [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
                ),
            }
        )
        return env

    # --- database ------------------------------------------------------------------------

    def create(self) -> None:
        """An empty database (dropping one left by an interrupted run)."""
        if self.engine == "postgresql":
            _psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            _psql(f"CREATE DATABASE {self.name}")

    def clone(self, name: str) -> Site:
        """A copy of this (stopped) site under ``name``, database and files."""
        other = Site(
            self.engine,
            name,
            self.base,
            serve_threads=self.serve_threads,
            worker_every=dict(self.worker_every),
        )
        other.drop()
        other.dir.mkdir(parents=True, exist_ok=True)
        for item in self.dir.iterdir():
            if item.name.startswith("besa.sqlite3") and self.engine == "postgresql":
                continue
            target = other.dir / item.name
            if item.is_dir():
                shutil.copytree(item, target)
            else:
                shutil.copy2(item, target)
        if self.engine == "postgresql":
            _psql(f"CREATE DATABASE {name} TEMPLATE {self.name}")
        return other

    def drop(self) -> None:
        self.stop()
        if self.engine == "postgresql":
            _psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        shutil.rmtree(self.dir, ignore_errors=True)

    # --- commands and processes ------------------------------------------------------------

    def besa(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``besa ARGS`` in this site's environment; with ``check``, a failure raises
        ``RuntimeError`` carrying the command's stderr."""
        done = subprocess.run([*BESA, *args], env=self.env(), capture_output=True, text=True)
        if check and done.returncode != 0:
            raise RuntimeError(f"besa {' '.join(args)}: exit {done.returncode}: {done.stderr}")
        return done

    def python(self, module: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", module, *args],
            env=self.env(),
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )

    def start_server(self, wait: float = 120.0) -> None:
        with (self.dir / "serve.log").open("ab") as log:
            self.server = subprocess.Popen(
                [*BESA, "serve", "--port", str(self.port), "--threads", str(self.serve_threads)],
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError(f"besa serve exited: see {self.dir / 'serve.log'}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(self.url + "/api/openapi.json", timeout=5),
            ):
                return
            time.sleep(0.2)
        raise RuntimeError("besa serve did not answer in time")

    def start_worker(self) -> None:
        every = [f"--every={k}={v}" for k, v in self.worker_every.items()]
        with (self.dir / "worker.log").open("ab") as log:
            self.worker = subprocess.Popen(
                [*BESA, "worker", *every], env=self.env(), stdout=log, stderr=subprocess.STDOUT
            )

    def kill(self, which: str) -> None:
        """SIGKILL the server or the worker (no chance to finish anything)."""
        process = self.server if which == "serve" else self.worker
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()

    def stop(self) -> None:
        """Stop both processes gracefully (SIGTERM), as an operator would."""
        for process in (self.server, self.worker):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.server = self.worker = None
