"""Background jobs on the web: start an import or an export, watch its progress, read its
report, download its result. Thin: the work runs in the worker (``besa.jobs.runner``).

Imports change the registry for everyone: administrators and coordinators only (others get
403 with a page that says so). Exports cover what the user sees. A person sees its own jobs
only; anyone else's answers 404.
"""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from besa.jobs.kinds import job_dir
from besa.jobs.models import Job, JobKind
from besa.registry.models import Role, User
from besa.web.params import typed

#: Import kinds a person may start from the web, with the file they expect.
IMPORT_KINDS = (JobKind.IMPORT_OCDS, JobKind.IMPORT_COMPRANET, JobKind.IMPORT_SAT69B)

#: The figures a job reports, in words.
COUNT_LABELS = {
    "releases": gettext_lazy("entregas (releases) leídas"),
    "processes": gettext_lazy("procesos de contratación"),
    "written": gettext_lazy("procesos escritos"),
    "unchanged": gettext_lazy("procesos sin cambios"),
    "registered": gettext_lazy("contratos registrados"),
    "entries": gettext_lazy("asientos agregados a bitácoras"),
    "skipped": gettext_lazy("elementos omitidos"),
    "repaired": gettext_lazy("elementos reparados"),
    "kept": gettext_lazy("elementos conservados con observaciones"),
    "rows": gettext_lazy("filas leídas"),
    "already": gettext_lazy("ya estaban registrados"),
    "below_threshold": gettext_lazy("por debajo del umbral de registro"),
    "changed_rfcs": gettext_lazy("RFC con cambios en la lista"),
    "exported": gettext_lazy("contratos exportados"),
}

_MAY_IMPORT = frozenset({Role.ADMIN, Role.COORDINATOR})


def _may_import(user: Any) -> bool:
    return bool(user.is_superuser or getattr(user, "role", None) in _MAY_IMPORT)


def _person(request: HttpRequest) -> User:
    """The signed-in person (every view here is ``login_required``)."""
    assert isinstance(request.user, User)
    return request.user


def _own_job(request: HttpRequest, job_id: str) -> Job:
    return get_object_or_404(Job, pk=job_id, started_by=_person(request))


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """The user's jobs, newest first; the page refreshes itself while one is unfinished."""
    jobs = Job.objects.filter(started_by=_person(request))
    page = Paginator(jobs, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "may_import": _may_import(request.user),
        "refresh": any(not job.finished for job in page),
    }
    return render(request, "besa/jobs/list.html", context)


@login_required
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _own_job(request, job_id)
    report = job.report or {}
    counts = [
        (COUNT_LABELS.get(name, name), value)
        for name, value in (report.get("counts") or {}).items()
    ]
    context = {"job": job, "report": report, "counts": counts, "refresh": not job.finished}
    return render(request, "besa/jobs/detail.html", context)


@login_required
def job_result(request: HttpRequest, job_id: str) -> FileResponse:
    job = _own_job(request, job_id)
    if not job.result_file:
        raise Http404
    path = job_dir(job) / job.result_file
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_file)


@login_required
def start_import(request: HttpRequest) -> HttpResponse:
    """GET: the form; POST: keep the uploaded file in the job's folder and queue the job."""
    if not _may_import(request.user):
        return render(request, "besa/jobs/import.html", {"forbidden": True}, status=403)
    kinds = [(k.value, k.label) for k in IMPORT_KINDS]
    if request.method != "POST":
        return render(request, "besa/jobs/import.html", {"kinds": kinds})
    kind = request.POST.get("kind", "")
    upload = request.FILES.get("file")
    errors = {}
    if kind not in {k.value for k in IMPORT_KINDS}:
        errors["kind"] = _("Elija qué quiere importar.")
    if upload is None:
        errors["file"] = _("Elija el archivo que quiere importar.")
    if errors:
        context = {"kinds": kinds, "errors": errors, "chosen": kind}
        return render(request, "besa/jobs/import.html", context, status=422)
    assert upload is not None
    file_name = os.path.basename(upload.name or "archivo")[:200]
    job = Job(
        kind=kind,
        started_by=_person(request),
        parameters={
            "file": "entrada" + _suffix(file_name),
            "file_name": file_name,
            "publisher": request.POST.get("publisher", "").strip()[:100],
        },
    )
    folder = job_dir(job)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / job.parameters["file"]).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    job.save()
    return redirect("job", job_id=job.pk)


def _suffix(name: str) -> str:
    """The importers tell gzip and JSON Lines by the name's ending: keep it."""
    lowered = name.lower()
    for ending in (".jsonl.gz", ".json.gz", ".jsonl", ".json", ".gz", ".csv"):
        if lowered.endswith(ending):
            return ending
    return ""


@login_required
@require_POST
def start_export(request: HttpRequest) -> HttpResponse:
    """Queue an export of the contract list as the user sees it (its search kept)."""
    fmt = "xlsx" if request.POST.get("format") == "xlsx" else "csv"
    job = Job.objects.create(
        kind=JobKind.EXPORT_CONTRACTS,
        started_by=_person(request),
        parameters={
            "q": typed(request.POST, "q")[:200],
            "format": fmt,
            "language": get_language() or "es",
        },
    )
    return redirect("job", job_id=job.pk)
