"""The public entries can be verified by anyone and reveal no one: every hash in
``entries.csv`` is recomputed with the standard library alone, while hashing guessed user
names (or a natural person's RFC) against the published rows recovers nothing."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

from tests.opendata.portfolio import Portfolio
from tests.opendata.test_exports import export

from besa.logbook.models import Entry
from besa.registry.models import User


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:  # the BOM spreadsheets want
        return list(csv.DictReader(handle))


def _canonical(document: Any) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _hashed(row: dict[str, str], user: Any) -> dict[str, Any]:
    """The entry as hashed into the chain, rebuilt from one published row."""
    return {
        "id": row["entry_id"],
        "ocid": row["ocid"],
        "sequence": int(row["sequence"]),
        "kind": row["kind"],
        "occurred_at": row["occurred_at"],
        "recorded_at": row["recorded_at"],
        "actor": {"institution": row["actor_institution"], "role": row["actor_role"], "user": user},
        "payload": json.loads(row["payload"]),
        "documents": json.loads(row["documents"]),
    }


def _sha(prev_hash: str, document: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(document)).hexdigest()


def verify_entries_csv(rows: list[dict[str, str]]) -> list[str]:
    """A citizen's verifier, standard library only: the hashes and links of every row; returns
    the problems found (none when the published history is intact)."""
    problems, previous = [], {}
    for row in rows:
        user = {"$commitment": row["actor_user_commitment"]}
        if _sha(row["prev_hash"], _hashed(row, user)) != row["hash"]:
            problems.append(f"{row['ocid']} #{row['sequence']}: hash")
        expected = previous.get(row["ocid"], "0" * 64)
        if row["prev_hash"] != expected:
            problems.append(f"{row['ocid']} #{row['sequence']}: link")
        previous[row["ocid"]] = row["hash"]
    return problems


def test_anyone_recomputes_every_published_hash_with_the_standard_library(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    rows = _rows(export(tmp_path, "csv", "--view", "entries"))
    assert len(rows) == Entry.objects.count() > 0
    assert verify_entries_csv(rows) == []


def test_one_changed_byte_of_a_published_row_is_named_by_the_verifier(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    rows = _rows(export(tmp_path, "csv", "--view", "entries"))
    target = next(r for r in rows if r["kind"] == "payment")
    target["payload"] = target["payload"].replace('"amount":"', '"amount":"1', 1)
    assert verify_entries_csv(rows) == [f"{target['ocid']} #{target['sequence']}: hash"]


def test_hashing_candidate_user_names_recovers_the_author_of_no_published_entry(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    path = export(tmp_path, "csv", "--view", "entries")
    rows = _rows(path)
    # The attacker's candidates include every real login (the worst case: a leaked list).
    candidates = [*User.objects.values_list("username", flat=True), "admin", "operador"]
    recovered = [
        (row["entry_id"], name)
        for row in rows
        for name in candidates
        for user in (name, {"$commitment": hashlib.sha256(name.encode()).hexdigest()})
        if _sha(row["prev_hash"], _hashed(row, user)) == row["hash"]
    ]
    assert recovered == []
    # No column but the role (whose values are role names such as "admin") holds a login.
    shown = {value for row in rows for key, value in row.items() if key != "actor_role"}
    assert not shown & set(candidates)
    assert not any(f'"{name}"' in row["payload"] for row in rows for name in candidates)


def test_a_natural_persons_rfc_and_name_are_committed_to_not_published(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    supplier = portfolio.world.supplier
    assert len(supplier.rfc) == 13  # a persona física
    path = export(tmp_path, "csv", "--view", "entries")
    rows = _rows(path)
    text = path.read_text(encoding="utf-8")
    assert supplier.rfc not in text and supplier.name not in text
    registration = next(r for r in rows if r["kind"] == "registration")
    shares = json.loads(registration["payload"])["suppliers"]
    assert all(set(s["rfc"]) == {"$commitment"} for s in shares)
    assert all(set(s["name"]) == {"$commitment"} for s in shares)
    assert verify_entries_csv(rows) == []
