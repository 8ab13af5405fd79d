"""``besa worker --every JOB=SECONDS``: one job's interval changed in this worker; a job
nobody registered is refused by name."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from besa.cli import worker


def test_every_changes_a_registered_jobs_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[float] = []
    monkeypatch.setattr(worker, "install_signal_handlers", lambda stop: None)
    monkeypatch.setattr(worker, "loop", lambda stop: ran.append(worker._JOBS["notify"].every))
    before = worker._JOBS["notify"].every
    try:
        call_command("worker", "--every", "notify=1.5")
        assert ran == [1.5]
    finally:
        worker.set_interval("notify", before)


@pytest.mark.parametrize(
    ("argument", "message"),
    [("nudge=3", "no job named 'nudge'"), ("notify=0", "seconds > 0"), ("notify", "seconds")],
)
def test_every_refuses_an_unknown_job_or_a_bad_interval(argument: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("worker", "--every", argument)
