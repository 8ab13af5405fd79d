"""The load scenario in its short form (``bench.ops.load``; the full 64-client minute is a
benchmark): concurrent clients mixing reads, appends, alert actions and open-data downloads
on 127.0.0.1, with no failed request and every acknowledged append in a verified logbook."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from bench.ops import load

ENGINE = (
    "postgresql" if os.environ.get("BESA_DATABASE_URL", "").startswith("postgres") else "sqlite"
)


def test_concurrent_clients_get_no_error_and_every_acknowledged_append_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = load.main(
        ["--engine", ENGINE, "--clients", "8", "--seconds", "10", "--swept", "2",
         "--workdir", str(tmp_path / "load"), "--name", f"besa_ops_lt{os.getpid()}"]
    )  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert result["problems"] == []
    assert status == 0 and result["ok"] and result["errors"] == 0
    assert result["appends_acknowledged"] > 0
    assert set(result["latency"]) >= {"all", "read", "append", "opendata"}
    assert result["verify"].startswith("intact")
