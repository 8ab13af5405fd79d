"""The daily bulk dump: dated directory, manifest hashes and counts that match the files,
the day's cut-off, atomic replacement, and the worker job."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from tests.opendata.portfolio import Portfolio, at

from besa.logbook.models import Entry
from besa.opendata.dump import dump, dump_job_for


def manifest_of(folder: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((folder / "manifest.json").read_bytes())


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


def test_the_dump_writes_every_public_file_with_a_manifest_whose_hashes_and_counts_match(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    call_command("dump", "--out", str(tmp_path), "--date", "2025-07-31")

    folder = tmp_path / "2025-07-31"
    manifest = manifest_of(folder)
    names = {f["name"] for f in manifest["files"]}
    assert names == {
        "releases.json",
        "records.json",
        "contracts.csv",
        "entries.csv",
        "payments.csv",
        "checkpoints.json",
        "besa.xlsx",
    }
    assert sorted(p.name for p in folder.iterdir()) == sorted(names | {"manifest.json"})
    for item in manifest["files"]:
        data = (folder / item["name"]).read_bytes()
        assert item["sha256"] == hashlib.sha256(data).hexdigest(), item["name"]
        assert item["bytes"] == len(data)
    counts = {f["name"]: f["count"] for f in manifest["files"]}
    assert counts["contracts.csv"] == len(csv_rows(folder / "contracts.csv")) == 5
    assert counts["entries.csv"] == len(csv_rows(folder / "entries.csv")) == Entry.objects.count()
    assert counts["payments.csv"] == 1
    releases = json.loads((folder / "releases.json").read_bytes())["releases"]
    assert counts["releases.json"] == len(releases) == Entry.objects.count()
    assert counts["records.json"] == 5
    signed = json.loads((folder / "checkpoints.json").read_bytes())
    assert counts["checkpoints.json"] == len(signed["checkpoints"]) == 0  # none made yet
    book = openpyxl.load_workbook(folder / "besa.xlsx")
    sheets = {name: book[name].max_row - 1 for name in book.sheetnames}
    assert sheets == {"contracts": 5, "entries": Entry.objects.count(), "payments": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["2025-07-31"]  # no temporary left behind


def test_a_dump_holds_only_what_was_recorded_by_the_end_of_its_day(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    # The payment was recorded on 2025-07-20 at noon in Mexico City; the invoice on 07-01.
    manifest = dump(tmp_path, dt.date(2025, 7, 19), at("2025-08-01"))

    counts = {f["name"]: f["count"] for f in manifest["files"]}
    assert counts["payments.csv"] == 0
    entries = csv_rows(tmp_path / "2025-07-19" / "entries.csv")
    assert str(portfolio.payment.uuid) not in {e["entry_id"] for e in entries}
    assert {e["kind"] for e in entries} == {"registration", "invoice"}
    assert manifest["recorded_before"] == "2025-07-20T00:00:00-06:00"


def test_dumping_the_same_day_again_replaces_the_previous_dump_whole(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    first = dump(tmp_path, dt.date(2025, 7, 19), at("2025-08-01"))
    second = dump(tmp_path, dt.date(2025, 7, 19), at("2025-08-02"))

    assert manifest_of(tmp_path / "2025-07-19") == second != first
    assert [p.name for p in tmp_path.iterdir()] == ["2025-07-19"]


def test_a_dump_of_a_future_day_or_to_an_unwritable_place_is_refused(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="date"):
        call_command("dump", "--out", str(tmp_path), "--date", "2999-01-01")
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(CommandError, match="out"):
        call_command("dump", "--out", str(blocker / "sub"), "--date", "2025-07-19")
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_the_worker_job_dumps_yesterday_once(portfolio: Portfolio, tmp_path: Path) -> None:
    job = dump_job_for(tmp_path)

    assert job(at("2025-08-01", 3)) == 1
    assert job(at("2025-08-01", 4)) == 0  # already there: nothing to do
    assert [p.name for p in tmp_path.iterdir()] == ["2025-07-31"]
