"""Benchmark: ``besa verify`` rate (entries/s) on a large logbook.

    BESA_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/besa_verify \\
        .venv/bin/python -m bench.bench_verify --entries 1000000

Loads national-scale synthetic contracts with whole histories (``bench/loader.py``) until the
logbook holds at least ``--entries`` entries, then times one full ``verify()``.
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

    began = time.perf_counter()
    report = verify()
    verify_seconds = time.perf_counter() - began
    result = {
        "machine": machine(),
        "database": connection.vendor,
        "entries": report.entries,
        "contracts": report.contracts,
        "intact": report.intact,
        "verify_seconds": round(verify_seconds, 1),
        "verify_entries_per_s": round(report.entries / verify_seconds),
        "bulk_load_entries_per_s": round(loaded / load_seconds) if loaded else None,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
