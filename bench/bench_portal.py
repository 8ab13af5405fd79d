"""Benchmark: the citizens' portal's search, contract page and verifiable record.

    BESA_DATABASE_URL=sqlite:///var/demo/besa.sqlite3 BESA_ALLOWED_HOSTS=testserver \\
        BESA_SECRET_KEY=bench-only-secret-never-use-in-production-0123456789 \\
        .venv/bin/python -m bench.bench_portal --repeat 30

Answers real requests through Django's test client (URL routing, the view, the queries, the
template; no network) on whatever database ``BESA_DATABASE_URL`` names (the demo: 2,000
contracts), and reports p50 and p95 wall-clock milliseconds per kind of request. The searches
use values read from the data (an organisation's RFC, part of its name, the largest
institution, an amount and date range), so every one of them finds something.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench._setup import django_setup, machine


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1)}


#: CPU milliseconds of every timed request (this process: the view, the template and, with
#: SQLite, the queries), less sensitive than wall time to other jobs on a shared machine.
CPU: list[float] = []


def _time(call: Callable[[], Any], repeat: int) -> list[float]:
    call()  # warm-up: template compilation, the checkpoint tree cache
    samples = []
    for _ in range(repeat):
        began, cpu = time.perf_counter(), time.process_time()
        call()
        samples.append((time.perf_counter() - began) * 1000)
        CPU.append((time.process_time() - cpu) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    django_setup()
    from django.db.models import Count
    from django.test import Client

    from besa.portal.search import public_contracts, public_suppliers
    from besa.registry.models import Contract

    client = Client()
    contracts = public_contracts()
    supplier = (
        public_suppliers()
        .annotate(n=Count("contracts"))
        .filter(n__gt=0)
        .order_by("-n", "rfc")
        .first()
    )
    assert supplier is not None, "no organisation supplies a public contract"
    institution = (
        contracts.values("buying_unit__institution__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert institution is not None
    dates = sorted(contracts.values_list("signing_date", flat=True))
    amounts = sorted(contracts.values_list("amount", flat=True))
    searches: dict[str, dict[str, str]] = {
        "no filter": {},
        "supplier RFC": {"proveedor": supplier.rfc},
        "supplier name": {"proveedor": supplier.name.split()[0][:6]},
        "institution": {"institucion": institution["buying_unit__institution__code"]},
        "amount range": {
            "importe_min": str(amounts[len(amounts) // 4]),
            "importe_max": str(amounts[len(amounts) // 2]),
        },
        "date range": {
            "desde": dates[len(dates) // 3].isoformat(),
            "hasta": dates[2 * len(dates) // 3].isoformat(),
        },
        "status": {"estado": "in_execution"},
        "combined": {
            "institucion": institution["buying_unit__institution__code"],
            "procedimiento": "adjudicacion_directa",
            "desde": dates[0].isoformat(),
        },
        "page 20": {"pagina": "20"},
    }
    results: dict[str, Any] = {
        "machine": machine(),
        "contracts": contracts.count(),
        "entries": sum(contracts.values_list("state__last_sequence", flat=True)),
        "repeat": args.repeat,
    }
    every: list[float] = []
    for name, params in searches.items():

        def call(params: dict[str, str] = params) -> None:
            response = client.get("/publico/", params)
            assert response.status_code == 200, (params, response.status_code)

        samples = _time(call, args.repeat)
        every += samples
        results[f"search: {name}"] = _percentiles(samples)
    results["search: all kinds"] = _percentiles(every)
    results["search: all kinds, CPU time"] = _percentiles(CPU)
    ocids = list(contracts.order_by("ocid").values_list("ocid", flat=True))
    step = max(1, len(ocids) // args.repeat)
    sample = list(Contract.objects.filter(ocid__in=ocids[::step][: args.repeat]))
    for label, suffix in (("contract page", ""), ("verifiable record", "registro.json")):
        samples = []
        for contract in sample:
            began = time.perf_counter()
            response = client.get(f"/publico/contratos/{contract.pk}/{suffix}")
            assert response.status_code == 200
            samples.append((time.perf_counter() - began) * 1000)
        results[label] = _percentiles(samples)
    print(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
