"""The background worker: runs registered periodic jobs until told to stop.

A job is a callable ``job(now) -> int`` (how much work it did) registered with ``register``
and an interval. Jobs must be idempotent and safe to run from several workers at once; they
claim their own work (conditional UPDATEs), so the worker keeps no state of its own.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import close_old_connections
from django.utils import timezone

log = logging.getLogger("besa.worker")

Job = Callable[[datetime], int]


@dataclass
class _Scheduled:
    name: str
    every: float
    job: Job
    next_run: float = field(default=0.0)


_JOBS: dict[str, _Scheduled] = {}


def register(name: str, every_seconds: float) -> Callable[[Job], Job]:
    """Register ``job`` to run every ``every_seconds`` in each worker. May be called at import
    time from an app's ``ready()``; registering the same name twice replaces the first."""

    def decorator(job: Job) -> Job:
        _JOBS[name] = _Scheduled(name, every_seconds, job)
        return job

    return decorator


def set_interval(name: str, every_seconds: float) -> None:
    """Run the registered job ``name`` every ``every_seconds`` in this worker instead of its
    default (``besa worker --every sweep=10``). ``KeyError`` for a job nobody registered."""
    if name not in _JOBS:
        raise KeyError(name)
    if every_seconds <= 0:
        raise ValueError(f"{name}: the interval must be positive")
    _JOBS[name].every = every_seconds


def names() -> list[str]:
    """The registered jobs' names."""
    return list(_JOBS)


def run_once(now: datetime | None = None) -> dict[str, int]:
    """Run every registered job once, now; returns the work count per job. A failing job is
    logged and does not stop the others."""
    done: dict[str, int] = {}
    for scheduled in _JOBS.values():
        done[scheduled.name] = _run(scheduled, now or timezone.now())
    return done


def _run(scheduled: _Scheduled, now: datetime) -> int:
    close_old_connections()
    try:
        return scheduled.job(now)
    except Exception:
        log.exception("job %s failed; it will run again at its next interval", scheduled.name)
        return 0
    finally:
        close_old_connections()


def loop(stop: threading.Event, tick: float = 1.0) -> None:
    """Run due jobs until ``stop`` is set. Finishes the job in progress before returning."""
    log.info("worker started with jobs: %s", ", ".join(_JOBS) or "(none)")
    while not stop.is_set():
        now_mono = time.monotonic()
        for scheduled in _JOBS.values():
            if stop.is_set():
                break
            if scheduled.next_run <= now_mono:
                scheduled.next_run = now_mono + scheduled.every
                _run(scheduled, timezone.now())
        stop.wait(tick)
    log.info("worker stopped")


def install_signal_handlers(stop: threading.Event) -> None:
    """Make SIGTERM and SIGINT finish the current job and then stop (graceful shutdown)."""

    def handler(signum: int, frame: object) -> None:
        log.info("signal %s received, stopping after the current job", signum)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
