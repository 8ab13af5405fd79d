"""Evidence documents on the web: attach one to a contract, download one.

Thin: the policy, the storage and the scoping are in ``besa.documents``. A document is
served only through a contract the user may read (``Contract.objects.visible_to``) that has
it among its entries' documents: any other contract, or a hash that exists only in another
institution's contract, answers 404 exactly like a hash that was never stored.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from besa.accesslog import record as accesslog
from besa.accesslog.models import What
from besa.documents import access
from besa.documents.store import store
from besa.exceptions import DocumentRefused, InvalidInput, PermissionDenied
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.registry.models import Contract


def refusal_text(exc: DocumentRefused) -> str:
    """The policy's refusal in the user's language, naming the file and what to do."""
    name = exc.file_name
    if exc.reason == "empty":
        return _("«%(name)s» está vacío: elija el archivo correcto.") % {"name": name}
    if exc.reason == "too_large":
        return _(
            "«%(name)s» pesa más de %(limit)s MiB: redúzcalo o divídalo en varios archivos."
        ) % {
            "name": name,
            "limit": f"{exc.limit / 1024 / 1024:.0f}",
        }
    if exc.reason == "executable":
        return _(
            "«%(name)s» es un programa ejecutable, no un documento: adjunte el documento en PDF."
        ) % {"name": name}
    return _(
        "«%(name)s» no es de un tipo aceptado (PDF, imagen, XML, documento de oficina o ZIP): "
        "conviértalo a PDF."
    ) % {"name": name}


@login_required
def download(request: HttpRequest, contract_id: str, sha256: str) -> FileResponse:
    """The file, as an attachment with its media type and name; 404 unless the contract is
    visible to the user and has this document."""
    contract = get_object_or_404(Contract.objects.visible_to(request.user), pk=contract_id)
    document = access.find(contract, sha256)
    response = access.attachment(document) if document is not None else None
    if response is None:
        raise Http404
    accesslog.read(request, What.DOCUMENT, contract=contract)
    return response


@login_required
@require_POST
def attach(request: HttpRequest, contract_id: str) -> HttpResponse:
    """The contract page's form: keep the uploaded file and record it as a ``document``
    entry (record M); a refused file goes back to the page with the reason."""
    contract = get_object_or_404(Contract.objects.visible_to(request.user), pk=contract_id)
    if not Contract.objects.writable_by(request.user).filter(pk=contract.pk).exists():
        messages.error(request, _("Su función solo permite consultar este contrato."))
        return redirect("contract", contract_id=contract.pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Elija el archivo que quiere adjuntar."))
        return redirect("contract", contract_id=contract.pk)
    title = request.POST.get("title", "").strip() or None
    document_type = request.POST.get("document_type", "").strip() or "contractAnnexe"
    public = request.POST.get("public") == "on"
    try:
        document = store(upload, title=title)
        append(
            contract,
            "document",
            {"document_type": document_type, **document, "public": public},
            actor=Actor.of(request.user),
        )
    except DocumentRefused as exc:
        messages.error(request, refusal_text(exc))
    except PermissionDenied:
        messages.error(request, _("Su función solo permite consultar este contrato."))
    except InvalidInput as exc:
        messages.error(request, _("El documento no se adjuntó: %(field)s") % {"field": exc.field})
    else:
        messages.success(
            request, _("Documento «%(title)s» adjuntado.") % {"title": document["title"]}
        )
    return redirect("contract", contract_id=contract.pk)


@login_required
@require_POST
def publish(request: HttpRequest, contract_id: str, sha256: str) -> HttpResponse:
    """Publish a document of the contract in the citizens' portal, or withdraw it
    (``public`` = ``1`` or ``0``): a ``document`` entry restating the file with the decision,
    so the decision is chained and hashed like any fact (``besa.documents.publicity``). Only
    whoever may record facts on the contract may decide it."""
    contract = get_object_or_404(Contract.objects.visible_to(request.user), pk=contract_id)
    document = access.find(contract, sha256)
    if document is None:
        raise Http404
    if not Contract.objects.writable_by(request.user).filter(pk=contract.pk).exists():
        messages.error(request, _("Su función solo permite consultar este contrato."))
        return redirect("contract", contract_id=contract.pk)
    public = request.POST.get("public") == "1"
    restated = {
        "document_type": document.get("document_type") or "contractAnnexe",
        **{k: document[k] for k in ("title", "sha256", "media_type", "file_name") if k in document},
        "public": public,
    }
    try:
        append(contract, "document", restated, actor=Actor.of(request.user))
    except PermissionDenied:
        messages.error(request, _("Su función solo permite consultar este contrato."))
    except InvalidInput as exc:
        messages.error(request, _("No se registró la decisión: %(field)s") % {"field": exc.field})
    else:
        done = (
            _("«%(title)s» se publica en el portal ciudadano.")
            if public
            else _("«%(title)s» ya no se publica en el portal ciudadano.")
        )
        messages.success(request, done % {"title": document["title"]})
    return redirect("contract", contract_id=contract.pk)
