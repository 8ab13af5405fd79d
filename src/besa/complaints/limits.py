"""Abuse protection for the public report form: database-backed counters in fixed windows.

Two limits guard filing, one guards status look-ups (settings of the same name, or
environment variables; whole numbers >= 1):

- ``BESA_COMPLAINTS_PER_ADDRESS_PER_HOUR`` (default 5): reports from one client address;
- ``BESA_COMPLAINTS_PER_CONTRACT_PER_DAY`` (default 30): reports about one contract, from
  anywhere (a flood spread over many addresses still stops);
- ``BESA_COMPLAINT_LOOKUPS_PER_ADDRESS_PER_HOUR`` (default 30): status look-ups.

Counters are rows (``SubmissionCounter``), taken with a conditional UPDATE inside the
caller's transaction, so every process and thread sees the same counts and two concurrent
submissions cannot both take the last place. The client address is the one the sign-in
lock-out uses (``besa.signin.addresses``): ``REMOTE_ADDR``, or behind a reverse proxy listed in
``BESA_TRUSTED_PROXIES`` the right-most untrusted address of ``X-Forwarded-For`` (anyone can
write that header, so it is never read from other connections). Without that setting behind a
proxy, every citizen shares the proxy's address and its limit; the per-contract limit holds
either way. The address is kept only as a keyed digest (HMAC with
the secret key), never next to a report.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from besa import configured
from besa.complaints.models import SubmissionCounter
from besa.exceptions import RateLimited

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    """At most ``count`` submissions per key in each window of ``window``."""

    scope: str
    count: int
    window: dt.timedelta


def per_address() -> Limit:
    return Limit(
        "address", configured.whole_number("BESA_COMPLAINTS_PER_ADDRESS_PER_HOUR", 5), HOUR
    )


def per_contract() -> Limit:
    return Limit(
        "contract", configured.whole_number("BESA_COMPLAINTS_PER_CONTRACT_PER_DAY", 30), DAY
    )


def lookups() -> Limit:
    return Limit(
        "lookup", configured.whole_number("BESA_COMPLAINT_LOOKUPS_PER_ADDRESS_PER_HOUR", 30), HOUR
    )


def address_key(address: str) -> str:
    """A keyed digest of a client address: counts it without keeping it."""
    mac = hmac.new(settings.SECRET_KEY.encode(), b"complaints:" + address.encode(), "sha256")
    return mac.hexdigest()[:40]


def window_of(now: dt.datetime, window: dt.timedelta) -> dt.datetime:
    """The start of the fixed window ``now`` falls in (windows start at the Unix epoch, UTC)."""
    seconds = int(window.total_seconds())
    stamp = int(now.timestamp())
    return dt.datetime.fromtimestamp(stamp - stamp % seconds, tz=dt.UTC)


def take(key: str, limit: Limit, now: dt.datetime) -> None:
    """Count one submission for ``key`` or raise ``RateLimited`` (with the moment the window
    ends) when ``limit`` is reached. Call inside the transaction that writes the submission:
    if it rolls back, the place is given back."""
    start = window_of(now, limit.window)
    for _attempt in range(2):
        rows = SubmissionCounter.objects.filter(key=key, window_start=start)
        if rows.filter(count__lt=limit.count).update(count=F("count") + 1):
            return
        if rows.exists():
            raise RateLimited(limit.scope, start + limit.window)
        try:
            with transaction.atomic():  # a savepoint: a concurrent insert must not end ours
                SubmissionCounter.objects.create(key=key, window_start=start, count=1)
            return
        except IntegrityError:
            continue  # another process opened the window first: count in its row
    raise RateLimited(limit.scope, start + limit.window)


def forget_before(moment: dt.datetime) -> int:
    """Delete the counters of windows that started before ``moment``; returns how many.
    Idempotent; called as reports arrive so the table never grows past two days of windows."""
    deleted, _ = SubmissionCounter.objects.filter(window_start__lt=moment).delete()
    return deleted
