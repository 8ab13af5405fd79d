"""The crash harness in its short form (``bench.ops.crash``; the full run is a benchmark):
``besa serve`` and ``besa worker`` SIGKILLed while a client appends over HTTP and the worker
sweeps and notifies; every acknowledged append survives once, ``besa verify`` is intact, and
alerts and notifications converge to those of the uninterrupted reference run.

Runs on the engine of ``BESA_DATABASE_URL`` (SQLite by default; PostgreSQL in CI's second
pass) on databases of its own (``besa_ops_crash_*``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from bench.ops import crash

ENGINE = (
    "postgresql" if os.environ.get("BESA_DATABASE_URL", "").startswith("postgres") else "sqlite"
)


def test_killed_server_and_worker_lose_no_acknowledged_append_nor_notification(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = crash.main(
        [
            "--engine", ENGINE,
            "--rounds", "1",
            "--contracts", "2",
            "--swept", "2",
            "--clients", "2",
            "--max-kills", "1",
            "--workdir", str(tmp_path / "crash"),
            "--prefix", f"besa_ops_ct{os.getpid()}",
        ]
    )  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    (round_,) = result["rounds"]
    assert round_["problems"] == [] and result["reference"]["problems"] == []
    assert status == 0 and result["ok"]
    # The round was really interrupted, and really did the work.
    assert round_["kills"]["serve"] >= 1 and round_["kills"]["worker"] >= 1
    assert round_["acknowledged"] == result["appends_per_round"] > 0
    assert round_["notifications"] > 0 and round_["alerts"] > 0
