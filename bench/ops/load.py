"""Load on loopback: concurrent API clients mixing reads, appends, alert actions and open-data
downloads against ``besa serve`` and ``besa worker``, for a bounded time, on 127.0.0.1 only.

    python -m bench.ops.load --engine postgresql --clients 64 --seconds 60
    python -m bench.ops.load --engine sqlite --clients 64 --seconds 60

Each client owns two contracts of a freshly seeded site (``bench.ops.seed``) and loops, with
no think time, over a weighted mix: 40 % reads (contract list, a contract's state, its
entries), 30 % appends (its contracts' next planned entry, with an idempotency key),
15 % alert actions (list its contracts' open alerts and attend one), 15 % open-data downloads
(the CSV views and OCDS releases of one institution, the checkpoints). The worker runs
beside it with a checkpoint every 10 s. When time is up the clients finish their request in
flight; then every acknowledged append must be in the database exactly once, ``besa verify``
intact, and no request may have failed (transport error, timeout, 5xx, or an answer other
than the expected). Prints one JSON document with p50/p95/p99 per kind and the throughput;
exits 1 on any error.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from bench._setup import machine
from bench.ops import outcome
from bench.ops.client import Client, Stats, percentiles
from bench.ops.site import Site

MIX = (("read", 40), ("append", 30), ("alert", 15), ("opendata", 15))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--threads", type=int, default=8, help="besa serve --threads")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/besa-ops-load"))
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--swept", type=int, default=20, help="contracts due for the sweep")
    parser.add_argument("--name", default="besa_ops_load", help="the database's name")
    parser.add_argument(
        "--baseline-seconds",
        type=float,
        default=0.0,
        help="first run ONE client alone this long, same mix, same site: the baseline",
    )
    args = parser.parse_args(argv)

    site = Site(args.engine, args.name, args.workdir, serve_threads=args.threads,
                worker_every={"checkpoint": 10.0, "notify": 2.0, "sweep": 10.0})  # fmt: skip
    site.drop()
    site = Site(args.engine, args.name, args.workdir, serve_threads=args.threads,
                worker_every={"checkpoint": 10.0, "notify": 2.0, "sweep": 10.0})  # fmt: skip
    site.create()
    site.python(
        "bench.ops.seed",
        "--contracts", str(2 * args.clients + 2),
        "--swept", str(args.swept),
        "--out", str(site.dir / "plan.json"),
    )  # fmt: skip
    plan = json.loads((site.dir / "plan.json").read_text())
    site.start_server()
    site.start_worker()
    contracts = plan["contracts"]
    baseline = Stats()
    if args.baseline_seconds:
        # The last two contracts are the lone client's; the others' stay untouched for later.
        _run(site, plan, [contracts[-2:]], baseline, args.baseline_seconds, args.seed + 7)
    stats = Stats()
    shares = [contracts[2 * i : 2 * i + 2] for i in range(args.clients)]
    wall = _run(site, plan, shares, stats, args.seconds, args.seed)
    site.stop()
    verify = site.besa("verify", check=False)
    found = outcome.read(site)
    problems = list(stats.errors) + list(baseline.errors)
    problems += outcome.check_appends(found, stats.acknowledged | baseline.acknowledged)
    if verify.returncode != 0:
        problems.append(f"besa verify: {(verify.stderr or verify.stdout).strip()[:500]}")
    every = [v for values in stats.latencies.values() for v in values]
    result: dict[str, Any] = {
        "engine": args.engine,
        "machine": machine(),
        "clients": args.clients,
        "serve_threads": args.threads,
        "seconds": round(wall, 1),
        "requests": len(every),
        "throughput_per_s": round(len(every) / wall, 1),
        "appends_acknowledged": len(stats.acknowledged),
        "appends_per_s": round(len(stats.acknowledged) / wall, 1),
        "latency": {"all": percentiles(every)}
        | {kind: percentiles(v) for kind, v in sorted(stats.latencies.items())},
        "errors": len(stats.errors),
        "baseline_one_client": {
            "throughput_per_s": round(
                sum(len(v) for v in baseline.latencies.values()) / args.baseline_seconds, 1
            )
            if args.baseline_seconds
            else None,
            "latency": {"all": percentiles([v for x in baseline.latencies.values() for v in x])}
            | {kind: percentiles(v) for kind, v in sorted(baseline.latencies.items())},
            "errors": len(baseline.errors),
        },
        "verify": verify.stdout.strip(),
        "problems": problems[:20],
        "ok": not problems,
    }
    if not args.keep:
        site.drop()
        shutil.rmtree(args.workdir, ignore_errors=True)
    print(json.dumps(result, indent=1))
    return 0 if result["ok"] else 1


def _run(
    site: Site,
    plan: dict[str, Any],
    shares: list[list[dict[str, Any]]],
    stats: Stats,
    seconds: float,
    seed: int,
) -> float:
    """One client thread per share for ``seconds``; returns the wall time including the
    requests in flight when time was up."""
    stop = threading.Event()
    every = plan["contracts"]
    threads = []
    for i, share in enumerate(shares):
        rng = random.Random(seed * 1000 + i)
        arguments = (site.port, plan["token"], share, every, stats, stop, rng)
        threads.append(threading.Thread(target=_client, args=arguments))
    began = time.monotonic()
    for t in threads:
        t.start()
    stop.wait(seconds)
    stop.set()
    for t in threads:
        t.join()
    return time.monotonic() - began


def _client(
    port: int,
    token: str,
    mine: list[dict[str, Any]],
    every: list[dict[str, Any]],
    stats: Stats,
    stop: threading.Event,
    rng: random.Random,
) -> None:
    client = Client(port, token, stats, timeout=120.0)
    todo = [(c["ocid"], e) for c in mine for e in c["entries"]]  # in logbook order
    try:
        _loop(client, todo, mine, every, stop, rng)
    finally:
        client.close()


def _loop(
    client: Client,
    todo: list[tuple[str, dict[str, Any]]],
    mine: list[dict[str, Any]],
    every: list[dict[str, Any]],
    stop: threading.Event,
    rng: random.Random,
) -> None:
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    while not stop.is_set():
        kind = rng.choices(kinds, weights)[0]
        if kind == "append" and todo:
            ocid, entry = todo.pop(0)
            if not client.append(ocid, entry, retry_for=0):
                todo.clear()  # its contract's later entries depend on it
        elif kind == "alert":
            _alert_action(client, rng.choice(mine)["ocid"])
        elif kind == "opendata":
            institution = rng.choice(every)["institution"]
            path = rng.choice(
                (
                    f"/api/opendata/contracts.csv?institution={institution}",
                    f"/api/opendata/entries.csv?institution={institution}",
                    f"/api/opendata/ocds/releases.json?institution={institution}",
                    "/api/opendata/checkpoints.json",
                )
            )
            client.get("opendata", path)
        else:
            ocid = rng.choice(every)["ocid"]
            path = rng.choice(
                (
                    "/api/contracts?page=1",
                    f"/api/contracts/{ocid}",
                    f"/api/contracts/{ocid}/entries",
                )
            )
            client.get("read", path)


def _alert_action(client: Client, ocid: str) -> None:
    """List the contract's open alerts and attend the first (its owner acts on it)."""
    listed = client.get("alert", f"/api/alerts?ocid={ocid}&state=open")
    if listed is None:
        return
    items = json.loads(listed).get("items", [])
    if items:
        client.post(
            "alert", f"/api/alerts/{items[0]['id']}/actions", {"action": "attend"}, ok=(200,)
        )


if __name__ == "__main__":
    raise SystemExit(main())
