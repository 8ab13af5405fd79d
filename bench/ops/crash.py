"""Crash safety: SIGKILL ``besa serve`` and ``besa worker`` at random moments while clients
append over HTTP and the worker sweeps, notifies and checkpoints; then check what survived.

    python -m bench.ops.crash --engine postgresql --rounds 20            # the full run
    python -m bench.ops.crash --engine sqlite --rounds 2 --contracts 6   # a short form

A template site is seeded once (``bench.ops.seed``: contracts registered, an operator with an
API token who receives every alert's e-mail, contracts due for the sweep). A reference round
runs the whole workload on a copy without any kill. Each crash round runs it on a fresh copy
while a killer thread SIGKILLs the server, the worker or both every 0.5–3 s and restarts them;
clients retry unanswered appends with the same idempotency key until answered. After the
clients finish, the restarted processes run until nothing is due, are stopped, and a last
``besa checkpoint`` publishes what a killed worker left pending. Each round must then show:

- every acknowledged append present exactly once, equal to the answer; no key twice;
- ``besa verify`` intact (hashes, chains, checkpoints, their published copy);
- the alerts (contract, rule, subject, state) equal to the reference's;
- the notifications (what, about what, to whom) equal to the reference's, every one sent
  and in the outbox at least once, no e-mail without its notification (duplicates counted:
  delivery is at-least-once).

Prints one JSON document; exits 1 when any round breaks one of these.
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

from bench.ops import outcome
from bench.ops.client import Client, Stats
from bench.ops.site import Site

WORKER_EVERY = {"notify": 1.0, "sweep": 2.0, "checkpoint": 3.0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--contracts", type=int, default=24)
    parser.add_argument("--swept", type=int, default=8)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--max-kills", type=int, default=0, help="kill events per round at most (0: no limit)"
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/besa-ops-crash"))
    parser.add_argument("--keep", action="store_true", help="keep the databases and files")
    parser.add_argument("--prefix", default="besa_ops_crash", help="database names' prefix")
    args = parser.parse_args(argv)

    began = time.monotonic()
    rng = random.Random(args.seed)
    template = Site(args.engine, f"{args.prefix}_tpl", args.workdir, worker_every=WORKER_EVERY)
    template.drop()
    template = Site(args.engine, f"{args.prefix}_tpl", args.workdir, worker_every=WORKER_EVERY)
    template.create()
    template.python(
        "bench.ops.seed",
        "--contracts", str(args.contracts),
        "--swept", str(args.swept),
        "--out", str(template.dir / "plan.json"),
    )  # fmt: skip
    plan = json.loads((template.dir / "plan.json").read_text())
    seeded = time.monotonic() - began

    reference_site = template.clone(f"{args.prefix}_ref")
    reference, ref_report = _round(reference_site, plan, args.clients, None, args.max_kills)
    result: dict[str, Any] = {
        "engine": args.engine,
        "contracts": args.contracts,
        "swept_contracts": args.swept,
        "appends_per_round": sum(len(c["entries"]) for c in plan["contracts"]),
        "clients": args.clients,
        "seed_seconds": round(seeded, 1),
        "reference": ref_report,
        "rounds": [],
    }
    failed = bool(ref_report["problems"])
    if not args.keep:
        reference_site.drop()
    for number in range(1, args.rounds + 1):
        site = template.clone(f"{args.prefix}_{number}")
        _, report = _round(site, plan, args.clients, rng, args.max_kills, reference)
        report["round"] = number
        result["rounds"].append(report)
        failed |= bool(report["problems"])
        if not args.keep:
            site.drop()
    if not args.keep:
        template.drop()
        shutil.rmtree(args.workdir, ignore_errors=True)
    rounds = result["rounds"]
    result["summary"] = {
        "rounds": len(rounds),
        "kills_serve": sum(r["kills"]["serve"] for r in rounds),
        "kills_worker": sum(r["kills"]["worker"] for r in rounds),
        "append_retries": sum(r["retries"] for r in rounds),
        "replayed_appends_answered_200": sum(r["replayed"] for r in rounds),
        "duplicate_emails": sum(r["duplicate_emails"] for r in rounds),
        "rounds_with_problems": sum(1 for r in rounds if r["problems"]),
        "wall_seconds": round(time.monotonic() - began, 1),
    }
    result["ok"] = not failed
    print(json.dumps(result, indent=1))
    return 1 if failed else 0


def _round(
    site: Site,
    plan: dict[str, Any],
    n_clients: int,
    rng: random.Random | None,
    max_kills: int,
    reference: outcome.Outcome | None = None,
) -> tuple[outcome.Outcome, dict[str, Any]]:
    """One run of the whole workload on ``site``; kills when ``rng`` is given: the first
    kill, just after the first acknowledged append, takes both processes, the later ones the
    server, the worker or both at random."""
    began = time.monotonic()
    stats = Stats()
    site.start_server()
    site.start_worker()
    contracts = plan["contracts"]
    shares = [contracts[i::n_clients] for i in range(n_clients)]
    threads = [
        threading.Thread(target=_client, args=(site, plan["token"], share, stats))
        for share in shares
        if share
    ]
    for t in threads:
        t.start()
    kills = {"serve": 0, "worker": 0}
    events = 0
    while any(t.is_alive() for t in threads):
        if rng is None or (max_kills and events >= max_kills):
            time.sleep(0.2)
            continue
        if events == 0:
            # The first kill comes right after the first acknowledged append, so a round is
            # interrupted mid-work even when the machine is fast enough to finish it in the
            # 0.5-3 s the later kills wait.
            while not stats.acknowledged and any(t.is_alive() for t in threads):
                time.sleep(0.02)
            time.sleep(rng.uniform(0.0, 0.2))
        else:
            time.sleep(rng.uniform(0.5, 3.0))
        if not any(t.is_alive() for t in threads):
            break
        events += 1
        victims = (
            ["serve", "worker"]
            if events == 1
            else rng.choice((["serve"], ["worker"], ["serve", "worker"]))
        )
        for victim in victims:
            site.kill(victim)
            kills[victim] += 1
        time.sleep(rng.uniform(0.0, 1.0))
        if "worker" in victims:
            site.start_worker()
        if "serve" in victims:
            site.start_server()
    for t in threads:
        t.join()
    appended = time.monotonic() - began
    problems = list(stats.errors)
    settled = _settle(site)
    if not settled:
        problems.append("the worker did not settle within 180 s")
    site.stop()
    checkpoint = site.besa("checkpoint", check=False)
    if checkpoint.returncode != 0:
        problems.append(f"besa checkpoint failed: {checkpoint.stderr.strip()[-300:]}")
    verify = site.besa("verify", check=False)
    if verify.returncode != 0:
        problems.append(f"besa verify: {(verify.stderr or verify.stdout).strip()[:500]}")
    found = outcome.read(site)
    problems += outcome.check_appends(found, stats.acknowledged)
    expected = sum(len(c["entries"]) for c in contracts)
    if len(stats.acknowledged) != expected:
        problems.append(f"{len(stats.acknowledged)} of {expected} appends acknowledged")
    notified, duplicates = outcome.check_notifications(found)
    problems += notified
    if reference is not None:
        problems += outcome.compare(reference, found)
    report = {
        "kills": kills,
        "retries": stats.retries,
        "acknowledged": len(stats.acknowledged),
        "replayed": sum(1 for a in stats.acknowledged.values() if a["status"] == 200),
        "entries": len(found.entries),
        "alerts": sum(found.alerts.values()),
        "notifications": len(found.notifications),
        "emails": sum(found.outbox.values()),
        "duplicate_emails": duplicates,
        "verify": verify.stdout.strip(),
        "append_seconds": round(appended, 1),
        "round_seconds": round(time.monotonic() - began, 1),
        "problems": problems,
    }
    return found, report


def _client(site: Site, token: str, share: list[dict[str, Any]], stats: Stats) -> None:
    client = Client(site.port, token, stats)
    try:
        for contract in share:
            for entry in contract["entries"]:
                if not client.append(contract["ocid"], entry):
                    return  # refused: the rest of this client's plan would be refused too
    finally:
        client.close()


def _settle(site: Site, timeout: float = 180.0) -> bool:
    """Let the (restarted) worker finish: nothing pending, nothing due or claimed."""
    deadline = time.monotonic() + timeout
    quiet_since = None
    now = "now()" if site.engine == "postgresql" else "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    while time.monotonic() < deadline:
        pending = outcome.rows(
            site,
            "SELECT (SELECT count(*) FROM alerts_notification WHERE status = 'pending'), "
            "(SELECT count(*) FROM logbook_contractstate WHERE claim IS NOT NULL "
            f"OR next_check_at <= {now})",
        )[0]
        if pending == (0, 0):
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > WORKER_EVERY["sweep"]:
                return True
        else:
            quiet_since = None
        time.sleep(0.5)
    return False


if __name__ == "__main__":
    raise SystemExit(main())
