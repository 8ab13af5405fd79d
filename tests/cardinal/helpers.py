"""Helpers for the Cardinal tests: fixture paths, one-call runs from INI text and JSON lines."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from besa import cardinal

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cardinal"


def lines(name: str) -> list[str]:
    """The lines of a fixture (``.gz`` files are decompressed)."""
    path = FIXTURES / name
    raw = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    return raw.decode("utf-8").splitlines()


def run(
    data: list[str] | list[dict[str, Any]] | str, ini: str = "", **options: Any
) -> dict[str, Any]:
    """Run the indicators over JSON lines (or documents, or a fixture name) with INI text."""
    if isinstance(data, str):
        data = lines(data)
    text = [d if isinstance(d, str) else json.dumps(d) for d in data]
    options.setdefault("meta", False)
    return cardinal.indicators(text, cardinal.parse_settings(ini), **options)


def process(ocid: str = "P", **fields: Any) -> dict[str, Any]:
    """A compiled release with the given top-level fields."""
    return {"ocid": ocid, **fields}


def bid(
    status: str, *tenderers: str, amount: Any = None, currency: str | None = "USD", **more: Any
) -> dict[str, Any]:
    """A bid; ``amount`` None leaves out the value."""
    out: dict[str, Any] = {"status": status, "tenderers": [{"id": t} for t in tenderers], **more}
    if amount is not None:
        out["value"] = {"amount": amount, "currency": currency}
    return out


def award(status: str, *suppliers: str, **more: Any) -> dict[str, Any]:
    return {"status": status, "suppliers": [{"id": s} for s in suppliers], **more}
