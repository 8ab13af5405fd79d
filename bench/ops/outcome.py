"""What a harness run left behind, read straight from the database and the e-mail outbox
(plain SQL, no Django: the harness checks the system from outside), and the checks on it."""

from __future__ import annotations

import collections
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.ops.site import Site

_HEADER = re.compile(rb"^X-BESA-Notification: *([0-9a-f-]{36})\s*$", re.MULTILINE)


@dataclass
class Outcome:
    entries: list[tuple[str, str, str, str]]  # idempotency key, uuid, hash, ocid
    alerts: collections.Counter[tuple[str, ...]]
    notifications: list[tuple[str, ...]]  # id, status, ocid, rule, subject, event, channel, address
    outbox: collections.Counter[str]  # notification id -> e-mails sent


def rows(site: Site, sql: str) -> list[tuple[Any, ...]]:
    if site.engine == "sqlite":
        with sqlite3.connect(site.dir / "besa.sqlite3") as db:
            return list(db.execute(sql))
    import psycopg

    with psycopg.connect(site.database_url) as db:
        return [tuple(r) for r in db.execute(sql).fetchall()]


def read(site: Site) -> Outcome:
    entries = rows(site, "SELECT idempotency_key, uuid, hash, ocid FROM logbook_entry")
    alerts = collections.Counter(
        (str(o), str(r), str(s), str(st))
        for o, r, s, st in rows(site, "SELECT ocid, rule, subject, state FROM alerts_alert")
    )
    notifications = [
        (str(row[0]).replace("-", ""), *(str(v) for v in row[1:]))
        for row in rows(
            site,
            "SELECT n.id, n.status, a.ocid, a.rule, a.subject, n.event, n.channel, n.address "
            "FROM alerts_notification n JOIN alerts_alert a ON a.id = n.alert_id",
        )
    ]
    outbox: collections.Counter[str] = collections.Counter()
    if site.outbox.is_dir():
        for file in site.outbox.iterdir():
            for match in _HEADER.finditer(file.read_bytes()):
                outbox[match.group(1).decode().replace("-", "")] += 1
    return Outcome(
        [(str(k or ""), str(u).replace("-", ""), str(h), str(o)) for k, u, h, o in entries],
        alerts,
        notifications,
        outbox,
    )


def check_appends(outcome: Outcome, acknowledged: dict[str, dict[str, Any]]) -> list[str]:
    """Every acknowledged append present, exactly once, as acknowledged; no key twice."""
    problems = []
    by_key: dict[str, list[tuple[str, str, str, str]]] = collections.defaultdict(list)
    for row in outcome.entries:
        if row[0]:
            by_key[row[0].rsplit(":", 1)[-1]].append(row)
    for key, ack in acknowledged.items():
        rows = by_key.get(key, [])
        if len(rows) != 1:
            problems.append(f"acknowledged append {key}: {len(rows)} entries")
        elif rows[0][1] != ack["id"].replace("-", "") or rows[0][2] != ack["hash"]:
            problems.append(f"acknowledged append {key}: stored entry differs from the answer")
    for key, rows in by_key.items():
        if len(rows) > 1:
            problems.append(f"idempotency key {key}: {len(rows)} entries")
    return problems


def notification_profile(outcome: Outcome) -> collections.Counter[tuple[str, ...]]:
    """Notifications without their ids and times: what, about what, to whom."""
    return collections.Counter(n[2:] for n in outcome.notifications)


def check_notifications(outcome: Outcome) -> tuple[list[str], int]:
    """Every notification sent (status) and in the outbox at least once; no e-mail without
    its notification. Returns the problems and the number of duplicate e-mails."""
    problems = []
    ids = {n[0] for n in outcome.notifications}
    for n in outcome.notifications:
        if n[1] != "sent":
            problems.append(f"notification {n[0]} ({n[3]} {n[5]}) is {n[1]}")
        if n[6] == "email" and outcome.outbox[n[0]] < 1:
            problems.append(f"notification {n[0]} ({n[3]} {n[5]}) never reached the outbox")
    strangers = set(outcome.outbox) - ids
    if strangers:
        problems.append(f"{len(strangers)} e-mails name no notification")
    duplicates = sum(count - 1 for count in outcome.outbox.values() if count > 1)
    return problems, duplicates


def compare(reference: Outcome, outcome: Outcome) -> list[str]:
    """Alerts and notifications of a run against those of the uninterrupted reference."""
    problems = []
    if outcome.alerts != reference.alerts:
        extra = outcome.alerts - reference.alerts
        missing = reference.alerts - outcome.alerts
        problems.append(f"alerts differ: {len(missing)} missing {list(missing)[:3]}, "
                        f"{len(extra)} extra {list(extra)[:3]}")  # fmt: skip
    ours, theirs = notification_profile(outcome), notification_profile(reference)
    if ours != theirs:
        problems.append(
            f"notifications differ: {sum((theirs - ours).values())} missing "
            f"{list(theirs - ours)[:3]}, {sum((ours - theirs).values())} extra "
            f"{list(ours - theirs)[:3]}"
        )
    return problems


def write_outbox_count(path: Path) -> int:
    return sum(1 for _ in path.iterdir()) if path.is_dir() else 0
