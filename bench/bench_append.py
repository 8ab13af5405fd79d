"""Benchmark: sustained ``append()`` rate with hashing, validation and projections, against a
plain INSERT of the same rows, measured in the same run (PostgreSQL); and append with the
alert rules evaluated in the same transaction against append without them.

    BESA_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/besa_bench \\
        .venv/bin/python -m bench.bench_append --contracts 300

Each append is its own transaction, as a request would be; so is each plain INSERT.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time

from bench._setup import django_setup, machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    django_setup()

    from django.db import connection

    from bench import loader, national
    from besa.logbook import append as append_module
    from besa.logbook.actor import Actor
    from besa.logbook.models import Entry
    from besa.logbook.verify import verify
    from besa.registry.models import Contract

    today = dt.date(2026, 11, 1)
    unit_ids, supplier_ids = loader.setup_catalogue(args.seed)
    first = Contract.objects.count() + 10_000_000  # a fresh slice of the synthetic nation
    planned = list(national.contracts(args.contracts, args.seed, today, first=first))
    for _ in loader.load(planned, unit_ids, supplier_ids, whole_history=False):
        pass
    by_ocid = {c.ocid: c for c in Contract.objects.filter(number__startswith="N-")}
    work = [(by_ocid[_ocid(p)], e) for p in planned for e in p.history]
    start_seq = Entry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    actor = Actor.system("bench")
    half = len(planned) // 2
    # The first half of the contracts is appended without the post-append hooks (the alert
    # rules), the second half with them: the same kind of work, measured in the same run.
    first_half = {_ocid(p) for p in planned[:half]}
    without = [(c, e) for c, e in work if c.ocid in first_half]
    with_rules = [(c, e) for c, e in work if c.ocid not in first_half]
    saved_hooks = list(append_module._HOOKS)
    append_module._HOOKS.clear()
    try:
        plain_seconds = _timed(without, actor)
    finally:
        append_module._HOOKS.extend(saved_hooks)
    rules_seconds = _timed(with_rules, actor)
    append_seconds = plain_seconds

    rows = list(
        Entry.objects.filter(seq__gt=start_seq, ocid__in=first_half)
        .order_by("seq")
        .values_list(
            "uuid",
            "contract_id",
            "ocid",
            "sequence",
            "kind",
            "occurred_at",
            "recorded_at",
            "actor",
            "payload",
            "documents",
            "prev_hash",
            "hash",
            "salt",
        )
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_plain_entry")
        cursor.execute(
            "CREATE TABLE bench_plain_entry (LIKE logbook_entry INCLUDING DEFAULTS "
            "INCLUDING IDENTITY INCLUDING INDEXES)"
        )
    sql = (
        "INSERT INTO bench_plain_entry (uuid, contract_id, ocid, sequence, kind, occurred_at, "
        "recorded_at, actor, payload, documents, prev_hash, hash, salt) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s::jsonb, %s, %s, %s)"
    )
    began = time.perf_counter()
    with connection.cursor() as cursor:
        for row in rows:
            values = list(row)
            for i in (7, 8, 9):
                values[i] = json.dumps(values[i])
            cursor.execute(sql, values)  # autocommit: one transaction per row, like append
    insert_seconds = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_plain_entry")

    report = verify()
    n = len(without)
    result = {
        "machine": machine(),
        "database": connection.vendor,
        "contracts": args.contracts,
        "appends": n,
        "append_per_s": round(n / append_seconds),
        "plain_insert_per_s": round(len(rows) / insert_seconds),
        "ratio": round((n / append_seconds) / (len(rows) / insert_seconds), 3),
        "append_with_rules_per_s": round(len(with_rules) / rules_seconds),
        "rules_cost_factor": round((rules_seconds / len(with_rules)) / (append_seconds / n), 3),
        "verify_intact": report.intact,
    }
    print(json.dumps(result, indent=2))


def _timed(work: list, actor: object) -> float:  # type: ignore[type-arg]
    """Append each entry as if recorded an hour after it happened (never after now), as in
    real operation: the rules then judge each fact at the time it was recorded."""
    import datetime as dt

    from django.utils import timezone

    from besa.logbook.append import append

    real_now = timezone.now()
    began = time.perf_counter()
    for contract, e in work:
        # Not before the last fact the entry states: the logbook refuses later-dated facts.
        recorded = min(e.earliest_recording(dt.timedelta(hours=1)), real_now)
        append(
            contract,
            e.kind,
            e.payload,
            actor=actor,
            occurred_at=e.occurred_at,
            documents=e.documents,
            now=recorded,
        )  # type: ignore[arg-type]
    return time.perf_counter() - began


def _ocid(p: object) -> str:
    from besa.jurisdiction import from_env

    return from_env().ocid(p.ocid_suffix)  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
