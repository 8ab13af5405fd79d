"""Benchmark: open-data exports keep memory flat in the number of rows.

    BESA_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/besa_api \\
        .venv/bin/python -m bench.bench_opendata --entries 200000 --small 1000

Loads national-scale synthetic contracts with whole histories (``bench/loader.py``) until the
logbook holds ``--entries`` entries, then, each in a fresh process, exports the entries CSV
and the XLSX workbook of the first ``--small`` contracts and of all contracts, and reports
rows, seconds and the process's peak resident memory. Flat memory: the peak barely moves
while the rows grow by one or two orders of magnitude.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._setup import django_setup, machine


def measure(limit: int | None) -> dict[str, object]:
    """Export the entries CSV and the public workbook of the first ``limit`` contracts."""
    from besa.opendata import flat, writers
    from besa.registry.models import Contract

    ids = Contract.objects.filter(state__last_sequence__gt=0).order_by("ocid").values("pk")
    selected = Contract.objects.filter(pk__in=ids[:limit] if limit else ids)
    result: dict[str, object] = {"contracts": selected.count()}
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        view = flat.VIEWS["entries"]
        result["csv_rows"] = writers.write_csv(
            Path(folder) / "e.csv", view, view.rows(selected, None)
        )
        result["csv_seconds"] = round(time.perf_counter() - began, 1)
        began = time.perf_counter()
        counts = writers.write_xlsx(
            Path(folder) / "b.xlsx",
            [(flat.VIEWS[n], flat.VIEWS[n].rows(selected, None)) for n in flat.PUBLIC_VIEWS],
        )
        result["xlsx_rows"] = sum(counts.values())
        result["xlsx_seconds"] = round(time.perf_counter() - began, 1)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # child mode; 0: all
    args = parser.parse_args()
    django_setup()
    if args.measure is not None:
        print(json.dumps(measure(args.measure or None)))
        return

    from bench import loader, national
    from besa.logbook.models import Entry
    from besa.registry.models import Contract

    unit_ids, supplier_ids = loader.setup_catalogue(args.seed)
    have = Entry.objects.count()
    while have < args.entries:
        first = Contract.objects.count()
        planned = national.contracts(2000, args.seed, dt.date(2026, 11, 1), first=first)
        for _, entries in loader.load(planned, unit_ids, supplier_ids, whole_history=True):
            have += entries
        print(f"  {have} entries", flush=True)
    runs = []
    for limit in (args.small, 0):
        child = subprocess.run(
            [sys.executable, "-m", "bench.bench_opendata", "--measure", str(limit)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
    print(json.dumps({"machine": machine(), "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
