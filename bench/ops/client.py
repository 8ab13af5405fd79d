"""An API client for the harnesses: keep-alive HTTP on 127.0.0.1, appends that survive a
server killed mid-request, and per-request latencies.

``Client.append`` sends one planned entry with its idempotency key and, when the answer does
not come (connection refused or reset while the server restarts, a timeout, a 502/503),
sends the very same request again until the server answers: the key makes the retry safe,
so an append is *acknowledged* exactly when a 200 or 201 came back, and the entry it names
is then the only one for that key.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

#: Answers that mean "the server did not handle it; try again".
RETRYABLE = frozenset({502, 503, 504})


@dataclass
class Stats:
    """Shared by a harness's client threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    retries: int = 0
    acknowledged: dict[str, dict[str, Any]] = field(default_factory=dict)

    def record(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


class Client:
    """One client: one connection, reopened after a failure."""

    def __init__(self, port: int, token: str | None, stats: Stats, timeout: float = 120.0):
        self.port = port
        self.token = token
        self.stats = stats
        self.timeout = timeout
        self.connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def _request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=self.timeout
            )
        sent = dict(headers or {})
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        try:
            self.connection.request(method, path, body=data, headers=sent)
            response = self.connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return response.status, payload

    def get(self, kind: str, path: str, ok: tuple[int, ...] = (200,)) -> bytes | None:
        """A read; an unexpected status or a failure is an error (no retry: loads only)."""
        began = time.perf_counter()
        try:
            status, payload = self._request("GET", path)
        except (OSError, http.client.HTTPException) as exc:
            self.stats.error(f"GET {path}: {exc!r}")
            return None
        self.stats.record(kind, time.perf_counter() - began)
        if status not in ok:
            self.stats.error(f"GET {path}: HTTP {status} {payload[:200]!r}")
            return None
        return payload

    def post(self, kind: str, path: str, body: Any, ok: tuple[int, ...]) -> tuple[int, bytes]:
        began = time.perf_counter()
        try:
            status, payload = self._request("POST", path, body)
        except (OSError, http.client.HTTPException) as exc:
            self.stats.error(f"POST {path}: {exc!r}")
            return 0, b""
        self.stats.record(kind, time.perf_counter() - began)
        if status not in ok:
            self.stats.error(f"POST {path}: HTTP {status} {payload[:200]!r}")
        return status, payload

    def append(self, ocid: str, entry: dict[str, Any], *, retry_for: float = 600.0) -> bool:
        """Append ``entry`` (a plan item) until acknowledged; True when it was. Retries only
        what may not have been handled (no answer, 502/503/504); a refusal is an error."""
        body = {
            "kind": entry["kind"],
            "payload": entry["payload"],
            "occurred_at": entry["occurred_at"],
            "documents": entry["documents"],
        }
        headers = {"Idempotency-Key": entry["key"]}
        path = f"/api/contracts/{ocid}/entries"
        deadline = time.monotonic() + retry_for
        while True:
            began = time.perf_counter()
            try:
                status, payload = self._request("POST", path, body, headers)
            except (OSError, http.client.HTTPException):
                status, payload = 0, b""
            if status in (200, 201):
                self.stats.record("append", time.perf_counter() - began)
                stored = json.loads(payload)
                with self.stats.lock:
                    self.stats.acknowledged[entry["key"]] = {
                        "id": stored["id"],
                        "hash": stored["hash"],
                        "ocid": ocid,
                        "status": status,
                    }
                return True
            if status and status not in RETRYABLE:
                self.stats.error(f"append {entry['key']}: HTTP {status} {payload[:300]!r}")
                return False
            if time.monotonic() > deadline:
                self.stats.error(f"append {entry['key']}: no answer for {retry_for:.0f} s")
                return False
            with self.stats.lock:
                self.stats.retries += 1
            time.sleep(0.2)


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p95/p99 and max, in milliseconds (nearest rank)."""
    if not values:
        return {}
    ordered = sorted(values)

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered) + 0.5) - 1))] * 1000

    return {
        "n": len(ordered),
        "p50_ms": round(rank(0.50), 1),
        "p95_ms": round(rank(0.95), 1),
        "p99_ms": round(rank(0.99), 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }
