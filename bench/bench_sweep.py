"""Benchmark: one deadline sweep with ``--due`` due contracts among ``--contracts`` contracts.

    BESA_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/besa_sweep \\
        .venv/bin/python -m bench.bench_sweep --contracts 10000 --due 1000

The sweep must cost O(due contracts), not O(all): run it on a small and a large portfolio
with the same number due and compare the wall times. Contracts are topped up (registration
only) to ``--contracts``; then exactly ``--due`` of them get a deadline in the past, the
others none, and one ``sweep()`` is timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time

from bench._setup import django_setup, machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=10_000)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    django_setup()

    from django.db import connection
    from django.utils import timezone

    from bench import loader, national
    from besa.alerts.sweep import sweep
    from besa.logbook.models import ContractState
    from besa.registry.models import Contract

    today = dt.date(2026, 11, 1)
    unit_ids, supplier_ids = loader.setup_catalogue(args.seed)
    have = Contract.objects.count()
    while have < args.contracts:
        batch = min(5000, args.contracts - have)
        planned = national.contracts(batch, args.seed, today, first=have + 50_000_000)
        for written, _ in loader.load(
            planned, unit_ids, supplier_ids, whole_history=False, batch=1000
        ):
            have += written
        print(f"  {have} contracts", flush=True)

    now = timezone.now()
    ContractState.objects.update(next_check_at=None, claim=None, claimed_until=None)
    # Registration-only contracts, so that both portfolios sweep the same kind of work.
    registered = ContractState.objects.filter(last_sequence=1).order_by("ocid")
    due_ids = list(registered.values_list("pk", flat=True)[: args.due])
    ContractState.objects.filter(pk__in=due_ids).update(next_check_at=now - dt.timedelta(hours=1))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE logbook_contractstate")
    began = time.perf_counter()
    report = sweep(now)
    seconds = time.perf_counter() - began
    print(
        json.dumps(
            {
                "machine": machine(),
                "database": connection.vendor,
                "contracts": have,
                "due": args.due,
                "evaluated": report.contracts,
                "sweep_seconds": round(seconds, 2),
                "contracts_per_s": round(report.contracts / seconds),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
