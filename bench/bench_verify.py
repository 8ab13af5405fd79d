"""Benchmark: ``besa verify`` rate (entries/s) on a large logbook.

    BESA_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/besa_verify \\
        .venv/bin/python -m bench.bench_verify --entries 1000000

Loads national-scale synthetic contracts with whole histories (``bench/loader.py``) until the
logbook holds at least ``--entries`` entries, then times one full ``verify()`` (wall and this
process's CPU time: the machine is shared, and CPU time is what "on one core" means) and its
stages. Then checks that the fast path reads what the ORM reads: every row of the streaming
scan (``verify.entry_rows``) against ``Entry.as_chain_dict`` of the same entry, and the
registry-row check's parts against whole snapshots (``--no-compare`` skips this).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time

from bench._setup import django_setup, machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-compare", action="store_true")
    parser.add_argument(
        "--rebuild", action="store_true", help="also time `besa rebuild --check` (no writes)"
    )
    args = parser.parse_args()
    django_setup()

    from django.db import connection

    from bench import loader, national
    from besa.logbook.models import Entry
    from besa.logbook.verify import verify
    from besa.registry.models import Contract

    today = dt.date(2026, 11, 1)
    unit_ids, supplier_ids = loader.setup_catalogue(args.seed)
    have = Entry.objects.count()
    began = time.perf_counter()
    loaded = 0
    while have < args.entries:
        first = Contract.objects.count()
        planned = national.contracts(2000, args.seed, today, first=first)
        for _, entries in loader.load(planned, unit_ids, supplier_ids, whole_history=True):
            have += entries
            loaded += entries
        print(f"  {have} entries", flush=True)
    load_seconds = time.perf_counter() - began

    began, cpu = time.perf_counter(), time.process_time()
    report = verify()
    verify_seconds, verify_cpu = time.perf_counter() - began, time.process_time() - cpu
    stages = {}
    for name, stage in [("scan", _scan), ("chains", _chains), ("registry", _registry)]:
        began, cpu = time.perf_counter(), time.process_time()
        stage()
        stages[name] = (time.perf_counter() - began, time.process_time() - cpu)
    result = {
        "machine": machine(),
        "database": connection.vendor,
        "entries": report.entries,
        "contracts": report.contracts,
        "intact": report.intact,
        "verify_seconds": round(verify_seconds, 1),
        "verify_entries_per_s": round(report.entries / verify_seconds),
        "verify_cpu_seconds": round(verify_cpu, 2),
        "verify_entries_per_cpu_s": round(report.entries / verify_cpu),
        "stages_wall_cpu_seconds": {k: [round(w, 2), round(c, 2)] for k, (w, c) in stages.items()},
        "bulk_load_entries_per_s": round(loaded / load_seconds) if loaded else None,
    }
    if args.rebuild:
        from besa.logbook.rebuild import rebuild

        began, cpu = time.perf_counter(), time.process_time()
        checked = rebuild(write=False)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        result["rebuild_check"] = {
            "entries": checked.entries,
            "differing": len(checked.changed) + len(checked.registry_rows),
            "wall_seconds": round(seconds, 1),
            "cpu_seconds": round(cpu, 1),
            "entries_per_cpu_s": round(checked.entries / cpu),
        }
    if not args.no_compare:
        from django.db import transaction

        with transaction.atomic():  # the ORM's server-side cursor lives beside the scan's
            result["compared"] = _compare()
    print(json.dumps(result, indent=2))


def _scan() -> None:
    from besa.logbook.verify import entry_rows

    for _ in entry_rows():
        pass


def _chains() -> None:
    from besa.logbook.verify import Report, _check_chains

    _check_chains(Report(), 5000)


def _registry() -> None:
    from besa.logbook.projection import contract_row_breaks

    for _ in contract_row_breaks():
        pass


def _compare() -> dict[str, int]:
    """The fast paths against the ORM's: raises ``AssertionError`` at the first difference."""
    from besa.logbook import projection
    from besa.logbook.models import ContractState, Entry
    from besa.logbook.verify import ROW_FIELDS, entry_rows

    entries = Entry.objects.order_by("contract_id", "sequence").iterator(chunk_size=2000)
    rows = 0
    for row, entry in zip(entry_rows(), entries, strict=True):
        got = dict(zip(ROW_FIELDS, row, strict=True))
        expected = entry.as_chain_dict()
        got["id"] = got.pop("uuid")
        assert (got.pop("contract_id"), got.pop("salt")) == (entry.contract_id, entry.salt)
        assert got == expected, (got, expected)
        rows += 1
    contracts = 0
    heads = ContractState.objects.filter(last_sequence__gt=0).order_by("ocid")
    parts = heads.values_list("snapshot__contract", "snapshot__suppliers", "snapshot__buyer")
    for head, (terms, suppliers, buyer) in zip(heads.iterator(chunk_size=200), parts, strict=True):
        if head.snapshot.get("contract") is None:
            continue
        part = {"contract": terms, "suppliers": suppliers, "buyer": buyer}
        assert projection.contract_row(part) == projection.contract_row(head.snapshot), head.ocid
        contracts += 1
    return {"entries": rows, "registry_rows": contracts}


if __name__ == "__main__":
    main()
