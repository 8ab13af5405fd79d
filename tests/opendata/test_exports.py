"""Exports: the selection by institution and signing period, CSV and XLSX read back equal
to the stored data, OCDS packages valid against the vendored schema."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from tests.alerts.conftest import schedule
from tests.opendata.portfolio import INVOICE, Portfolio

from besa.alerts.models import Alert
from besa.alerts.sweep import sweep
from besa.exceptions import InvalidInput
from besa.logbook.append import append
from besa.logbook.models import Entry
from besa.ocds.schema import validate_record_package, validate_release_package
from besa.opendata.selection import Selection, contracts
from besa.registry.models import Contract
from besa.registry.validation import WITHHELD


def export(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / f"out.{args[0]}"
    call_command("export", *args, "--out", str(out))
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheet programs need the BOM for accents
    return list(csv.DictReader(text[1:].splitlines()))


def ocids(*contracts: Contract) -> set[str]:
    return {c.ocid for c in contracts}


@pytest.mark.parametrize(
    ("institution", "since", "until", "expected"),
    [
        (None, None, None, ["A1", "A2", "B1", "B2", "old"]),
        ("INSTA", None, None, ["A1", "A2", "old"]),
        ("INSTA", "2025-01-01", "2025-12-31", ["A1", "A2"]),
        ("INSTA", None, "2024-12-31", ["old"]),
        (None, "2025-06-10", "2025-06-10", ["A1", "A2", "B1", "B2"]),  # bounds are inclusive
        ("INSTB", "2024-01-01", "2024-12-31", []),
    ],
)
def test_a_selection_holds_exactly_the_contracts_of_its_institution_signed_in_its_period(
    portfolio: Portfolio,
    institution: str | None,
    since: str | None,
    until: str | None,
    expected: list[str],
) -> None:
    named = {**portfolio.world.contracts, "old": portfolio.old}
    selection = Selection(
        institution=institution,
        since=dt.date.fromisoformat(since) if since else None,
        until=dt.date.fromisoformat(until) if until else None,
    )

    assert set(contracts(selection).values_list("ocid", flat=True)) == ocids(
        *(named[n] for n in expected)
    )


def test_the_ocds_release_package_of_an_institution_and_year_is_valid_and_has_their_releases(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    world = portfolio.world
    out = export(
        tmp_path,
        "ocds",
        "--releases",
        "--institution",
        "INSTA",
        "--since",
        "2025-01-01",
        "--until",
        "2025-12-31",
    )

    package = json.loads(out.read_bytes())
    assert validate_release_package(package) == []
    chosen = ocids(world.contracts["A1"], world.contracts["A2"])
    assert {r["ocid"] for r in package["releases"]} == chosen
    expected = Entry.objects.filter(ocid__in=chosen).values_list("uuid", flat=True)
    assert {r["id"] for r in package["releases"]} == {str(u) for u in expected}


def test_the_ocds_record_package_has_one_record_per_selected_contract(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    out = export(tmp_path, "ocds", "--records", "--until", "2024-12-31")

    package = json.loads(out.read_bytes())
    assert validate_record_package(package) == []
    assert [r["ocid"] for r in package["records"]] == [portfolio.old.ocid]


def test_the_contracts_csv_reads_back_equal_to_the_registry(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    rows = read_csv(export(tmp_path, "csv", "--view", "contracts", "--institution", "INSTA"))

    by_ocid = {row["ocid"]: row for row in rows}
    assert set(by_ocid) == ocids(*Contract.objects.filter(buying_unit__institution__code="INSTA"))
    old = by_ocid[portfolio.old.ocid]
    assert (old["number"], old["amount"], old["signing_date"]) == (
        "C-A1-2024",
        "16500000.50",
        "2024-03-01",
    )
    assert (old["institution_code"], old["buying_unit_code"]) == ("INSTA", "A1")
    assert old["supplier_rfcs"] == old["supplier_names"] == WITHHELD  # a persona física
    a1 = by_ocid[portfolio.world.contracts["A1"].ocid]
    assert (a1["last_sequence"], a1["last_hash"]) == ("3", portfolio.payment.hash)


def test_the_entries_csv_lists_every_entry_as_hashed_without_user_names(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    a1 = portfolio.world.contracts["A1"]
    path = export(
        tmp_path, "csv", "--view", "entries", "--institution", "INSTA", "--since", "2025-06-01"
    )
    rows = read_csv(path)

    stored = list(
        Entry.objects.filter(ocid__in=[r["ocid"] for r in rows]).order_by("ocid", "sequence")
    )
    assert [(r["ocid"], int(r["sequence"]), r["hash"]) for r in rows] == [
        (e.ocid, e.sequence, e.hash) for e in stored
    ]
    assert {r["ocid"] for r in rows} == ocids(a1, portfolio.world.contracts["A2"])
    paid = next(r for r in rows if r["entry_id"] == str(portfolio.payment.uuid))
    assert json.loads(paid["payload"]) == portfolio.payment.payload
    assert paid["actor_role"] == "operator"
    # Public data: the person behind an entry is named by role, never by user name.
    assert portfolio.world.operator.username not in path.read_text(encoding="utf-8")


def test_the_payments_csv_holds_the_recorded_payment(portfolio: Portfolio, tmp_path: Path) -> None:
    rows = read_csv(export(tmp_path, "csv", "--view", "payments"))

    assert len(rows) == 1
    row = rows[0]
    assert (row["ocid"], row["entry_id"]) == (portfolio.payment.ocid, str(portfolio.payment.uuid))
    assert (row["date"], row["amount"], row["currency"]) == ("2025-07-20", "1160000.00", "MXN")
    assert (row["invoice_uuids"], row["clc_folio"], row["is_advance"]) == (
        INVOICE,
        "CLC-001",
        "false",
    )


def test_the_workbook_reads_back_equal_to_the_csv_views(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    # Not read_only: that mode keeps the file open until closed explicitly.
    book = openpyxl.load_workbook(export(tmp_path, "xlsx", "--institution", "INSTA"))

    assert book.sheetnames == ["contracts", "entries", "payments"]  # alerts are not public
    contracts_rows = list(book["contracts"].iter_rows(values_only=True))
    header = list(contracts_rows[0])
    by_ocid = {row[0]: dict(zip(header, row, strict=True)) for row in contracts_rows[1:]}
    old = by_ocid[portfolio.old.ocid]
    # Numbers and dates are typed cells, not text.
    assert old["amount"] == pytest.approx(float(Decimal("16500000.50")))
    assert old["signing_date"] == dt.datetime(2024, 3, 1)
    assert old["is_open"] is False
    entry_rows = list(book["entries"].iter_rows(values_only=True))[1:]
    assert (
        len(entry_rows)
        == Entry.objects.filter(contract__buying_unit__institution__code="INSTA").count()
    )
    payment = list(book["payments"].iter_rows(values_only=True))[1:]
    assert [(p[0], p[4]) for p in payment] == [(portfolio.payment.ocid, 1160000.0)]


def test_bad_selections_are_rejected_naming_the_option_and_write_nothing(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    cases = [
        (["--institution", "NOPE"], "institution"),
        (["--since", "2025-13-01"], "--since"),
        (["--since", "2025-02-01", "--until", "2025-01-01"], "since"),
    ]
    for args, field in cases:
        with pytest.raises(CommandError, match=field):
            call_command("export", "csv", "--view", "contracts", *args, "--out", str(out))
    with pytest.raises(CommandError, match="--view"):
        call_command("export", "csv", "--view", "alerts", "--out", str(out))
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InvalidInput):
        Selection(since=dt.date(2025, 2, 1), until=dt.date(2025, 1, 1))


def test_the_alerts_view_exports_only_the_users_scope(portfolio: Portfolio, tmp_path: Path) -> None:
    from tests.opendata.portfolio import at

    from besa.alerts.queries import visible_alerts
    from besa.logbook.actor import Actor

    world = portfolio.world
    for unit in ("A2", "B1"):  # a deliverable due on 2025-08-15 and never delivered: A07
        append(
            world.contracts[unit],
            "deliverable_schedule",
            schedule("2025-08-15"),
            actor=Actor.of(world.admin),
            occurred_at=at("2025-06-12"),
            now=at("2025-06-12"),
        )
    sweep(at("2025-08-18", 9))

    rows = read_csv(
        export(tmp_path, "csv", "--view", "alerts", "--user", world.coordinator.username)
    )

    expected = visible_alerts(world.coordinator)
    assert expected.filter(ocid=world.contracts["B1"].ocid).count() == 0
    assert Alert.objects.filter(ocid=world.contracts["B1"].ocid, rule="A07").exists()
    assert sorted(r["alert_id"] for r in rows) == sorted(str(a.id) for a in expected)
    assert {r["institution_code"] for r in rows} == {"INSTA"}
    assert world.contracts["A2"].ocid in {r["ocid"] for r in rows if r["rule"] == "A07"}
