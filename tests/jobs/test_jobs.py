"""Background jobs through the real worker: started from the web, run by ``worker.loop`` (or
``besa worker`` in a subprocess), with progress, a report and a result; a worker killed
mid-job leaves a job that the next worker resumes, or marks failed with the reason."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import openpyxl
import orjson
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.utils import timezone
from tests.interop.lists.conftest import fixture_bytes
from tests.interop.ocds.synthetic import releases
from tests.world import World, build_world

from besa.cli import worker
from besa.jobs import runner
from besa.jobs.models import Job, JobState

ROOT = Path(__file__).parents[2]


def _ocds(processes: int) -> bytes:
    return gzip.compress(b"".join(orjson.dumps(r) + b"\n" for r in releases(processes)))


def _run_worker_until_finished(job_id: object, timeout: float = 120) -> list[tuple[str, int]]:
    """Run the real worker loop in a thread until the job is finished; return the
    (state, progress) pairs seen while polling."""
    stop = threading.Event()

    def work() -> None:
        try:
            worker.loop(stop, 0.05)
        finally:
            connections.close_all()  # this thread's own connection (PostgreSQL keeps it)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    seen = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            job = Job.objects.get(pk=job_id)
            seen.append((job.state, job.progress_done))
            if job.finished:
                break
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=120)
    assert not thread.is_alive()
    return seen


@pytest.fixture
def jobs_world(
    transactional_logbook: None, settings: pytest.FixtureRequest, tmp_path: Path
) -> World:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    return build_world()


def test_an_export_started_from_the_contract_list_runs_in_the_worker_and_downloads(
    client: Client, jobs_world: World
) -> None:
    client.force_login(jobs_world.coordinator)
    response = client.post("/trabajos/exportar/", {"q": "", "format": "csv"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/trabajos/{job.pk}/"
    assert job.state == JobState.QUEUED
    page = client.get(f"/trabajos/{job.pk}/").content.decode()
    assert "En espera" in page and 'http-equiv="refresh"' in page

    _run_worker_until_finished(job.pk)

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.report
    assert (job.progress_done, job.progress_total) == (2, 2)
    assert job.report["counts"] == {"exported": 2}
    page = client.get(f"/trabajos/{job.pk}/").content.decode()
    assert "Terminado" in page and "Contratos exportados" in page
    assert 'http-equiv="refresh"' not in page
    download = client.get(f"/trabajos/{job.pk}/resultado/")
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:2] == ["Número", "Título"]
    # The coordinator's scope: institution A's two contracts, not B's.
    assert sorted(r[0] for r in rows[1:]) == ["C-A1-1", "C-A2-2"]
    # Someone else's job is not found.
    client.force_login(jobs_world.operator)
    assert client.get(f"/trabajos/{job.pk}/").status_code == 404


def test_an_xlsx_export_keeps_the_search_and_the_language(
    client: Client, jobs_world: World
) -> None:
    client.force_login(jobs_world.admin)
    client.cookies["django_language"] = "en"
    client.post("/trabajos/exportar/", {"q": "C-B1", "format": "xlsx"})
    job = Job.objects.get()
    _run_worker_until_finished(job.pk)
    download = client.get(f"/trabajos/{job.pk}/resultado/")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Number", "Title")
    assert [r[0] for r in rows[1:]] == ["C-B1-3"]
    assert rows[1][5] == 20000000.0


def test_an_ocds_import_started_from_the_web_reports_progress_and_figures(
    client: Client, jobs_world: World
) -> None:
    client.force_login(jobs_world.admin)
    response = client.post(
        "/trabajos/importar/",
        {"kind": "import_ocds", "file": SimpleUploadedFile("compras.jsonl.gz", _ocds(60))},
    )
    job = Job.objects.get()
    assert response.status_code == 302
    seen = _run_worker_until_finished(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.report
    counts = job.report["counts"]
    assert counts["processes"] == 60 and counts["releases"] == 120 and counts["registered"] > 0
    assert job.progress_total == job.progress_done == 60
    assert job.result_file == "informe.jsonl" and job.attempts == 1
    assert seen[0][0] in (JobState.QUEUED, JobState.RUNNING)
    page = client.get(f"/trabajos/{job.pk}/").content.decode()
    assert "Contratos registrados" in page and "Importación OCDS" in page
    client.cookies["django_language"] = "en"
    page = client.get(f"/trabajos/{job.pk}/").content.decode()
    assert "Registered contracts" in page and "OCDS import" in page


def test_a_real_compranet_export_imported_from_the_web_and_again(
    client: Client, jobs_world: World
) -> None:
    data = fixture_bytes("sample_Contratos2015_150514075424.csv")
    rows = len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))) - 1
    client.force_login(jobs_world.admin)
    for _ in range(2):
        client.post(
            "/trabajos/importar/",
            {
                "kind": "import_compranet",
                "file": SimpleUploadedFile("Contratos2015.csv", data, "text/csv"),
            },
        )
    first, second = Job.objects.order_by("created_at")
    _run_worker_until_finished(second.pk)  # one job per turn: the first runs first
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == second.state == JobState.DONE, (first.report, second.report)
    assert first.finished_at <= second.started_at  # type: ignore[operator]
    assert first.report["counts"]["rows"] == second.report["counts"]["rows"] == rows
    assert first.report["counts"]["processes"] > 0
    assert second.report["counts"]["processes"] == 0  # the same file again changes nothing
    page = client.get(f"/trabajos/{first.pk}/").content.decode()
    assert "Filas leídas" in page and "Importación de contratos de CompraNet" in page


def test_a_bad_file_fails_with_its_reason_and_only_coordinators_import(
    client: Client, jobs_world: World
) -> None:
    client.force_login(jobs_world.operator)
    forbidden = client.get("/trabajos/importar/")
    assert forbidden.status_code == 403
    assert "Solo un administrador o un coordinador" in forbidden.content.decode()
    client.force_login(jobs_world.coordinator)
    missing = client.post("/trabajos/importar/", {"kind": "import_ocds"})
    assert missing.status_code == 422
    assert "Elija el archivo que quiere importar." in missing.content.decode()
    client.post(
        "/trabajos/importar/",
        {"kind": "import_ocds", "file": SimpleUploadedFile("roto.json", b'{"releases": [')},
    )
    job = Job.objects.get()
    _run_worker_until_finished(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.report["failure"] == "invalid"
    page = client.get(f"/trabajos/{job.pk}/").content.decode()
    assert "El archivo no se pudo importar; no se escribió nada." in page


def test_a_job_abandoned_too_often_is_marked_failed_with_the_reason(
    client: Client, jobs_world: World, settings: pytest.FixtureRequest
) -> None:
    # What a killed worker leaves (see the subprocess test below): running, lease lapsed.
    settings.BESA_JOB_MAX_ATTEMPTS = 2  # type: ignore[attr-defined]
    job = Job.objects.create(
        kind="export_contracts",
        started_by=jobs_world.admin,
        state=JobState.RUNNING,
        attempts=2,
        lease_until=timezone.now() - dt.timedelta(seconds=1),
    )
    _run_worker_until_finished(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == 3
    assert job.report["failure"] == "interrupted" and job.report["detail"] == "2"
    client.force_login(jobs_world.admin)
    page = client.get(f"/trabajos/{job.pk}/").content.decode()
    assert "El trabajo se interrumpió 2 veces sin terminar" in page
    # A job held by a live worker (lease in the future) is left alone.
    held = Job.objects.create(
        kind="export_contracts",
        started_by=jobs_world.admin,
        state=JobState.RUNNING,
        attempts=1,
        lease_until=timezone.now() + dt.timedelta(minutes=5),
    )
    assert runner.claim(timezone.now()) is None
    held.refresh_from_db()
    assert held.state == JobState.RUNNING and held.attempts == 1


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip


def test_a_worker_killed_mid_import_leaves_the_job_for_the_next_worker(tmp_path: Path) -> None:
    """``besa worker`` SIGKILLed in the middle of an OCDS import job (inside a batch), then
    ``besa worker --once``: the job is taken again, completes, and says it was resumed."""
    source = tmp_path / "compras.jsonl.gz"
    source.write_bytes(_ocds(120))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BESA_", "DJANGO_"))}
    env |= {
        "BESA_DATABASE_URL": f"sqlite:///{tmp_path / 'besa.sqlite3'}",
        "BESA_VAR_DIR": str(tmp_path / "var"),
        "BESA_DEBUG": "1",
        "BESA_JOB_LEASE_SECONDS": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "besa.settings",
    }
    assert _run(env, "besa", "migrate", "-v0").returncode == 0
    created = _run(env, "tests.jobs.jobscript", "create", str(source))
    assert created.returncode == 0, created.stderr[-2000:]
    job_id = created.stdout.strip()

    killed = _run(env | {"BESA_IMPORT_KILL_AT": "75"}, "besa", "worker")
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    left = orjson.loads(_run(env, "tests.jobs.jobscript", "show", job_id).stdout)
    assert left["state"] == "running" and left["attempts"] == 1
    assert left["progress_total"] == 120 and 0 < left["progress_done"] < 120

    time.sleep(1.5)  # the dead worker's lease lapses
    resumed = _run(env, "besa", "worker", "--once")
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "jobs: 1" in resumed.stdout
    done = orjson.loads(_run(env, "tests.jobs.jobscript", "show", job_id).stdout)
    assert done["state"] == "done" and done["attempts"] == 2, done
    assert done["report"]["resumed"] is True
    assert done["report"]["counts"]["processes"] == 120
    assert done["progress_done"] == done["progress_total"] == 120
