"""Claiming and running jobs in the worker (``besa worker``; registered as ``jobs``).

A worker claims a job with a conditional UPDATE that sets a lease (``lease_until``), and
extends the lease every time the job reports progress. A worker that dies mid-job (SIGKILL,
power loss) leaves a ``running`` job whose lease lapses; the next claim by any worker takes
it again and runs it anew (``attempts`` counts the runs): imports are idempotent, so running
one again completes it. A job taken more than ``BESA_JOB_MAX_ATTEMPTS`` times is marked
failed with that reason instead of being run again (something in it kills the worker).

Settings (Django setting or environment variable): ``BESA_JOB_LEASE_SECONDS`` (default 120:
longer than any pause between two progress reports), ``BESA_JOB_MAX_ATTEMPTS`` (default 3).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from besa import configured
from besa.exceptions import BesaError, InvalidInput
from besa.jobs.kinds import KINDS
from besa.jobs.models import Job, JobState

log = logging.getLogger("besa.jobs")

#: Progress is written at most this often (seconds): a database write per release would
#: slow an import down for nobody's benefit.
_THROTTLE = 0.5


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=configured.whole_number("BESA_JOB_LEASE_SECONDS", 120))


def max_attempts() -> int:
    return configured.whole_number("BESA_JOB_MAX_ATTEMPTS", 3)


def _claimable(now: dt.datetime) -> Q:
    return Q(state=JobState.QUEUED) | Q(state=JobState.RUNNING, lease_until__lt=now)


def claim(now: dt.datetime) -> Job | None:
    """Take the oldest waiting (or abandoned) job for this worker, or None."""
    for pk, attempts in (
        Job.objects.filter(_claimable(now))
        .order_by("created_at")
        .values_list("pk", "attempts")[:10]
    ):
        taken = Job.objects.filter(_claimable(now), pk=pk, attempts=attempts).update(
            state=JobState.RUNNING,
            attempts=attempts + 1,
            lease_until=now + lease(),
            started_at=Coalesce("started_at", now),
        )
        if taken:
            return Job.objects.select_related("started_by").get(pk=pk)
    return None


def run_jobs(now: dt.datetime) -> int:
    """The worker's periodic job: claim and run one job; 1 if there was one. One per turn so
    that the other periodic jobs (sweeps, notifications) run between long jobs."""
    job = claim(now)
    if job is None:
        return 0
    run(job)
    return 1


class _Reporter:
    """The progress callback given to a job: writes progress and extends the lease."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        now_mono = time.monotonic()
        if now_mono - self.last < _THROTTLE and (total is None or done < total):
            return
        self.last = now_mono
        fields: dict[str, Any] = {
            "phase": phase[:40],
            "progress_done": done,
            "lease_until": timezone.now() + lease(),
        }
        if total is not None:
            fields["progress_total"] = total
        Job.objects.filter(pk=self.job.pk, state=JobState.RUNNING).update(**fields)


def run(job: Job) -> None:
    """Run a claimed job to its end: ``done`` with its figures, or ``failed`` with why."""
    if job.attempts > max_attempts():
        _finish(
            job,
            JobState.FAILED,
            counts={},
            failure="interrupted",
            detail=str(job.attempts - 1),
        )
        return
    try:
        counts, result = KINDS[job.kind](job, _Reporter(job))
    except InvalidInput as exc:
        _finish(job, JobState.FAILED, counts={}, failure="invalid", detail=exc.message)
    except BesaError as exc:
        _finish(job, JobState.FAILED, counts={}, failure="invalid", detail=str(exc))
    except Exception as exc:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobState.FAILED, counts={}, failure="internal", detail=type(exc).__name__)
    else:
        _finish(job, JobState.DONE, counts=counts, result=result)


def _finish(
    job: Job,
    state: str,
    *,
    counts: dict[str, int],
    failure: str = "",
    detail: str = "",
    result: str = "",
) -> None:
    report = {"counts": counts, "resumed": job.attempts > 1, "failure": failure, "detail": detail}
    Job.objects.filter(pk=job.pk).update(
        state=state,
        report=report,
        result_file=result,
        lease_until=None,
        finished_at=timezone.now(),
    )
