"""Benchmark: ``besa import ocds`` on synthetic releases, with ``ocdskit compile`` as reference.

    .venv/bin/python -m bench.bench_import --releases 20000 100000 [--registered 0.02]

For each size, a seeded generator writes JSON Lines of releases (two per process: award and
contract, then implementation with payments, a guarantee and an amendment; the second half
of the file holds the implementation releases, so every ocid must be regrouped). A share
``--registered`` of the contracts is above the registration threshold (real federal data:
about 2 % of contracts are of 15 M MXN or more) and is registered with its entries and
rules; the rest is kept as imported processes. Each import runs in a fresh subprocess on a
fresh SQLite database (or the PostgreSQL database in BESA_DATABASE_URL, emptied first is NOT
done: use a fresh one), and its wall time and peak RSS (``wait4``) are reported; then
``ocdskit compile`` runs on the same file, also in a subprocess.

``--baseline SRC`` also imports each file with another checkout's code (``SRC``: its ``src``
directory, e.g. a worktree of ``main``) into its own SQLite database, alternating with this
code, reports both, and checks that the two databases hold the same rows in every table
(ignoring ids, timestamps and other values that differ between any two runs).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from bench._setup import machine
from besa.ocds.schema import release_schema

ROOT = Path(__file__).parents[1]


def generate(path: Path, releases: int, registered: float, seed: int = 5) -> None:
    """Write ``releases`` releases (``releases // 2`` processes) as JSON Lines."""
    rng = random.Random(seed)
    processes = releases // 2
    with path.open("wb") as out:
        amounts = []
        for i in range(processes):
            above = rng.random() < registered
            amount = (
                rng.randint(15_000_000, 90_000_000) if above else rng.randint(10_000, 9_000_000)
            )
            amounts.append(amount)
            rfc = f"SUP{i % 28 + 1:02d}0101AB{i % 10}"
            ocid = f"ocds-bench1-{i:08d}"
            out.write(orjson.dumps({
                "ocid": ocid, "id": f"{ocid}-1", "date": "2024-02-01T10:00:00-06:00",
                "tag": ["award", "contract"],
                "parties": [
                    {"id": "MX-RFC-SHC820101AB1", "name": f"Dependencia {i % 300}",
                     "roles": ["buyer"], "identifier": {"scheme": "MX-RFC", "id": "SHC820101AB1"}},
                    {"id": f"MX-RFC-{rfc}", "name": f"Proveedor {i % 5000}", "roles": ["supplier"],
                     "identifier": {"scheme": "MX-RFC", "id": rfc}},
                ],
                "buyer": {"id": "MX-RFC-SHC820101AB1", "name": f"Dependencia {i % 300}"},
                "tender": {"id": f"LA-{i}", "procurementMethod": rng.choice(["open", "direct"]),
                           "mainProcurementCategory": "goods", "title": f"Compra {i}",
                           "numberOfTenderers": rng.randint(1, 6)},
                "awards": [{"id": "1", "date": "2024-01-20T00:00:00-06:00",
                            "suppliers": [{"id": f"MX-RFC-{rfc}", "name": f"Proveedor {i % 5000}"}],
                            "value": {"amount": amount, "currency": "MXN"}}],
                "contracts": [{"id": f"C-{i}", "awardID": "1", "title": f"Contrato {i}",
                               "dateSigned": "2024-02-01T00:00:00-06:00",
                               "period": {"startDate": "2024-02-02T00:00:00-06:00",
                                          "endDate": "2024-12-31T00:00:00-06:00"},
                               "value": {"amount": amount, "currency": "MXN"}}],
            }) + b"\n")  # fmt: skip
        for i in range(processes):
            ocid = f"ocds-bench1-{i:08d}"
            amount = amounts[i]
            rfc = f"SUP{i % 28 + 1:02d}0101AB{i % 10}"
            out.write(orjson.dumps({
                "ocid": ocid, "id": f"{ocid}-2", "date": "2024-06-01T10:00:00-06:00",
                "tag": ["implementation"],
                "parties": [{"id": f"MX-RFC-{rfc}", "name": f"Proveedor {i % 5000}",
                             "roles": ["payee"]}],
                "contracts": [{
                    "id": f"C-{i}", "awardID": "1",
                    "guarantees": [{"id": "G1", "type": "suretyBond", "obligations": "fulfillment",
                                    "date": "2024-02-05T00:00:00-06:00",
                                    "value": {"amount": amount // 10, "currency": "MXN"}}],
                    "amendments": [{"id": "A1", "date": "2024-05-01T00:00:00-06:00",
                                    "rationale": "Ampliación de plazo"}],
                    "implementation": {"transactions": [
                        {"id": f"T{k}", "date": f"2024-0{3 + k}-15T00:00:00-06:00",
                         "value": {"amount": amount // 4, "currency": "MXN"}}
                        for k in range(3)
                    ]},
                }],
            }) + b"\n")  # fmt: skip


def measure(
    command: list[str], env: dict[str, str], stdin: Path | None = None
) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of ``command`` run to completion in a subprocess."""
    started = time.perf_counter()
    with open(stdin or os.devnull, "rb") as source, open(os.devnull, "wb") as sink:
        child = subprocess.Popen(command, env=env, cwd=ROOT, stdin=source, stdout=sink)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"{command[:4]} failed with {child.returncode}")
    return elapsed, usage.ru_maxrss // 1024


def _import(source: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Migrate, then import ``source``: wall seconds, CPU seconds and peak RSS of the import."""
    measure([sys.executable, "-m", "besa", "migrate", "-v0"], env)
    before = os.times()
    seconds, rss = measure([sys.executable, "-m", "besa", "import", "ocds", str(source)], env)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return seconds, cpu, rss


#: Columns that differ between any two runs of the same import.
_VOLATILE = {
    "id",
    "at",
    "uuid",
    "salt",
    "hash",
    "prev_hash",
    "last_hash",
    "claim",
    "run_id",
    "password",
}


_UUID = re.compile(r"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b")


#: An instant (a date alone is data; a time of day in these rows is when the run wrote them).
_INSTANT = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def _comparable(row: tuple[object, ...]) -> str:
    """The row as text, each UUID in it (drawn at random by each run: a registered contract's
    key, an entry's, in a subject or evidence…) as ``<uuid>`` and each instant as ``<time>``."""
    return _INSTANT.sub("<time>", _UUID.sub("<uuid>", repr(row)))


def _same_rows(one: Path, other: Path) -> str:
    """``"yes (N rows)"`` when every table both databases have holds the same rows in both
    (as multisets, without ``_VOLATILE`` columns and ``…_at``/``…_on`` times); else raises.
    Bookkeeping that follows the code, not the import (Django's tables, the permissions of
    each model), is left out; a table only ``one`` has must be empty (a newer code's app)."""
    a, b = sqlite3.connect(one), sqlite3.connect(other)
    listed = "SELECT name FROM sqlite_master WHERE type = 'table'"
    theirs = {name for (name,) in b.execute(listed)}
    tables = []
    for (name,) in a.execute(listed):
        if name.startswith(("sqlite_", "django_")) or name == "auth_permission":
            continue
        if name in theirs:
            tables.append(name)
        elif a.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]:
            raise SystemExit(f"{name}: rows only the new code writes")
    total = 0
    for table in tables:
        columns = [
            c[1]
            for c in a.execute(f'PRAGMA table_info("{table}")')
            if c[1] not in _VOLATILE and not c[1].endswith(("_at", "_until", "as_of"))
        ]
        select = f'SELECT {", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)} FROM "{table}"'
        rows_a = sorted(map(_comparable, a.execute(select)))
        rows_b = sorted(map(_comparable, b.execute(select)))
        if rows_a != rows_b:
            only_a = sorted(set(rows_a) - set(rows_b))[:2]
            only_b = sorted(set(rows_b) - set(rows_a))[:2]
            raise SystemExit(
                f"{table} {columns}: the imports differ ({len(rows_a)} vs {len(rows_b)} rows); "
                f"new only: {only_a}; baseline only: {only_b}"
            )
        total += len(rows_a)
    return f"yes ({total:,} rows in {len(tables)} tables)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--releases", type=int, nargs="+", default=[20000, 100000])
    parser.add_argument("--registered", type=float, default=0.02)
    parser.add_argument("--no-ocdskit", action="store_true")
    parser.add_argument("--baseline", type=Path, help="another checkout's src directory")
    args = parser.parse_args()
    print(machine())
    print(
        "| releases | file MB | import s | releases/s | import CPU s | releases/CPU-s "
        "| import peak RSS MiB "
        "| ocdskit compile s | ocdskit peak RSS MiB | ratio |"
    )
    for count in args.releases:
        with tempfile.TemporaryDirectory(prefix="besa-bench-import-") as tmp:
            source = Path(tmp) / "releases.jsonl"
            generate(source, count, args.registered)
            env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
            # Production settings (DEBUG off), as an operator would run an import.
            env = {k: v for k, v in env.items() if k != "BESA_DEBUG"}
            env |= {
                # 64 characters: besa refuses a secret shorter than 50
                "BESA_SECRET_KEY": os.urandom(32).hex(),
                "BESA_ALLOWED_HOSTS": "localhost",
                "BESA_EMAIL_BACKEND": "console",  # production refuses an unchosen backend
                "PYTHONPATH": str(ROOT / "src"),
            }
            env.setdefault("BESA_DATABASE_URL", f"sqlite:///{Path(tmp) / 'db.sqlite3'}")
            if env["BESA_DATABASE_URL"].startswith("sqlite"):
                env["BESA_DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'db.sqlite3'}"
            seconds, cpu, rss = _import(source, env)
            line = (f"| {count:,} | {source.stat().st_size / 1e6:.0f} | {seconds:.1f} "
                    f"| {count / seconds:,.0f} | {cpu:.1f} | {count / cpu:,.0f} "
                    f"| {rss} |")  # fmt: skip
            if args.baseline:
                base = env | {
                    "PYTHONPATH": str(args.baseline),
                    "BESA_DATABASE_URL": f"sqlite:///{Path(tmp) / 'base.sqlite3'}",
                }
                b_seconds, b_cpu, b_rss = _import(source, base)
                line += (f" baseline {b_seconds:.1f} s, {count / b_seconds:,.0f} /s, CPU "
                         f"{b_cpu:.1f} s, {count / b_cpu:,.0f} /CPU-s, {b_rss} MiB |")  # fmt: skip
                if env["BESA_DATABASE_URL"].startswith("sqlite"):
                    same = _same_rows(Path(tmp) / "db.sqlite3", Path(tmp) / "base.sqlite3")
                    line += f" same rows as baseline: {same} |"
            if not args.no_ocdskit:
                # The same patched schema BESA merges with, from disk: nothing is downloaded.
                schema = Path(tmp) / "release-schema.json"
                schema.write_bytes(orjson.dumps(release_schema()))
                ocdskit = Path(sys.executable).with_name("ocdskit")
                command = [str(ocdskit), "compile", "--schema", str(schema)]
                kit_s, kit_rss = measure(command, env, stdin=source)
                line += f" {kit_s:.1f} | {kit_rss} | {seconds / kit_s:.2f} |"
            print(line, flush=True)


if __name__ == "__main__":
    main()
