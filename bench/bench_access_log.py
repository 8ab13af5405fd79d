"""Benchmark: what the access log costs a contract page (one INSERT per read).

    BESA_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/besa_bench_accesslog \\
        .venv/bin/python -m bench.bench_access_log --repeat 200

Seeds a small demo when the database has no contracts (``--contracts``), then answers the
coordinator's contract page through Django's test client, alternately with the access log
written (as in production) and with ``besa.accesslog.record.read`` replaced by a no-op (the
baseline, same run, same contracts, interleaved so that other load on the machine hits both
alike). Reports p50/p95 wall milliseconds of each, the ratio of the medians, and how many
statements on the access log one page makes (expected: one INSERT).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from bench._setup import django_setup, machine


def _p(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--contracts", type=int, default=200)
    args = parser.parse_args()
    django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from besa.accesslog import record
    from besa.demo import seed
    from besa.registry.models import Contract, User

    if seed.is_empty():
        seed.load(n_contracts=args.contracts)
    user = User.objects.get(username="coordinador")
    pages = [
        f"/contratos/{pk}/"
        for pk in Contract.objects.visible_to(user).order_by("pk").values_list("pk", flat=True)[:20]
    ]
    client = Client()
    client.force_login(user)
    real = record.read

    def nothing(*_: Any, **__: Any) -> None:
        return None

    def one(page: str, logged: bool) -> float:
        record.read = real if logged else nothing  # type: ignore[assignment]
        began = time.perf_counter()
        response = client.get(page)
        elapsed = (time.perf_counter() - began) * 1000
        assert response.status_code == 200, page
        return elapsed

    for page in pages:  # warm-up: templates, caches
        one(page, True)
    with CaptureQueriesContext(connection) as logged_q:
        one(pages[0], True)
    inserts = [q["sql"] for q in logged_q.captured_queries if "accesslog_read" in q["sql"]]
    timings: dict[bool, list[float]] = {True: [], False: []}
    for n in range(args.repeat):
        page = pages[n % len(pages)]
        for logged in (n % 2 == 0, n % 2 == 1):
            timings[logged].append(one(page, logged))
    record.read = real  # type: ignore[assignment]
    with_log, without = _p(timings[True]), _p(timings[False])
    print(
        json.dumps(
            {
                "machine": machine(),
                "database": connection.vendor,
                "requests_each": args.repeat,
                "with_access_log": with_log,
                "without_access_log": without,
                "ratio_p50": round(with_log["p50_ms"] / without["p50_ms"], 3),
                "access_log_statements": len(inserts),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
