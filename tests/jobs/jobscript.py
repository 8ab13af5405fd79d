"""Run in a subprocess by ``test_worker_crash``: ``create FILE`` queues an OCDS import job
started by a new administrator (printing its id); ``show ID`` prints the job as JSON."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import django

django.setup()

import orjson  # noqa: E402

from besa.jobs.kinds import job_dir  # noqa: E402
from besa.jobs.models import Job, JobKind  # noqa: E402
from besa.registry.models import Role, User  # noqa: E402


def main(command: str, argument: str) -> None:
    if command == "create":
        user = User.objects.create_user("importer", password="x", role=Role.ADMIN)
        job = Job(
            kind=JobKind.IMPORT_OCDS,
            started_by=user,
            parameters={"file": "entrada.jsonl.gz", "file_name": Path(argument).name},
        )
        job_dir(job).mkdir(parents=True)
        shutil.copy(argument, job_dir(job) / "entrada.jsonl.gz")
        job.save()
        print(job.pk)
    else:
        job = Job.objects.get(pk=argument)
        fields = ("state", "attempts", "phase", "progress_done", "progress_total", "report")
        print(orjson.dumps({f: getattr(job, f) for f in fields}).decode())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
