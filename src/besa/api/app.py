"""The ``NinjaAPI`` instance: authentication, error rendering and the routers it mounts.

Every error leaves the API as JSON with a ``detail`` message (bilingual, as the domain raised
it). Rejected input always answers 422 with ``{"detail": ..., "field": ...}``, whether the
domain rejected it (``InvalidInput``) or the request did not even parse (django-ninja's
``ValidationError``, which additionally keeps the full list under ``errors``), so a client
handles one shape; an idempotency key reused for a different request answers 409 in that
shape too.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import BadRequest, ImproperlyConfigured, RequestDataTooBig
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger
from ninja.security import django_auth

from besa.api.alerts import router as alerts_router
from besa.api.auth import bearer_token
from besa.api.logbook import entries_router
from besa.api.logbook import router as logbook_router
from besa.api.opendata import router as opendata_router
from besa.api.schemas import declare_errors, entry_union_schema, registration_schema
from besa.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied


class OfflineSwagger(Swagger):
    """Swagger UI served from the copy bundled with django-ninja, never from a CDN.

    django-ninja quietly falls back to a CDN page when ``"ninja"`` is not an installed app;
    BESA must not download anything at run time, so that case is a configuration error here.
    """

    def __init__(self) -> None:
        # No online validator badge: it would send the document's URL to swagger.io.
        super().__init__(settings={"validatorUrl": None})

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        if not apps.is_installed("ninja"):
            raise ImproperlyConfigured(
                "add 'ninja' to INSTALLED_APPS: the API docs are served from its bundled files"
            )
        return super().render_page(request, api, **kwargs)


class BesaAPI(NinjaAPI):
    """The API, whose document describes the append body per entry kind (``oneOf`` with a
    ``kind`` discriminator, from the payload models; ``besa.api.schemas``)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        union, definitions = entry_union_schema()
        document.setdefault("components", {}).setdefault("schemas", {}).update(definitions)
        registration, more = registration_schema()
        document["components"]["schemas"].update(more)
        for path, operations in document.get("paths", {}).items():
            if path.endswith("/contracts/{ocid}/entries") and "post" in operations:
                body = operations["post"]["requestBody"]["content"]["application/json"]
                body["schema"] = union
            if path.endswith("/contracts") and "post" in operations:
                body = operations["post"]["requestBody"]["content"]["application/json"]
                body["schema"] = registration
        declare_errors(document)
        return document


api = BesaAPI(
    title="BESA API",
    version="1",
    description=(
        "Bitácora Electrónica de Seguimiento de Adquisiciones: contracts, their logbook "
        "entries and their OCDS records, scoped to the caller's role; open data for "
        "everyone. Systems authenticate with `Authorization: Bearer <token>` "
        "(`besa token create`), acting with the token owner's role and scope."
    ),
    urls_namespace="api",
    # Relative to the mount point (``api/`` in besa.urls): /api/openapi.json and /api/docs.
    openapi_url="/openapi.json",
    docs=OfflineSwagger(),
    docs_url="/docs",
    # Tried in order, first success wins. The bearer token comes first: the session method
    # fails hard on a POST without a CSRF token, which a system holding a token never has.
    # No Authorization header: the Django session (with CSRF on unsafe methods) serves the
    # browser.
    auth=[bearer_token, django_auth],
)

import besa.api.contracts  # noqa: E402, F401 - adds POST /api/contracts to the contracts router

api.add_router("/contracts", logbook_router)
api.add_router("/alerts", alerts_router)
api.add_router("/contracts", "besa.api.documents.router")
api.add_router("/cfdi", "besa.api.cfdi.router")
api.add_router("/entries", entries_router)
api.add_router("/opendata", opendata_router)
api.add_router("", "besa.api.ruleinputs.router")
api.add_router("/audits", "besa.audits.api.router")


@api.exception_handler(InvalidInput)
def _invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=422)


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    # Checked before InvalidInput's handler: django-ninja picks the most specific class.
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=409)


@api.exception_handler(ValidationError)
def _unparsable_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    body = {
        "detail": first.get("msg", "solicitud inválida / invalid request"),
        "field": _field_of(first.get("loc", ())),
        "errors": exc.errors,
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=404)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    # Django would answer its HTML 400 page; a client of the API reads JSON, and 413 says
    # what to change (documents go as files: POST /api/contracts/{ocid}/documents).
    detail = "cuerpo de la solicitud demasiado grande / request body too large"
    return api.create_response(request, {"detail": detail}, status=413)


@api.exception_handler(MultiPartParserError)
@api.exception_handler(BadRequest)
def _unreadable_body(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A malformed multipart body (no boundary, cut short): Django's HTML 400, as JSON.
    detail = "cuerpo de la solicitud ilegible / request body could not be read"
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(OperationalError)
def _database_busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    """SQLite gave up waiting for its write lock (its busy timeout, 20 s): the transaction
    rolled back and nothing was written, so the answer is 503 with ``Retry-After`` — a
    client retries the same request (with its idempotency key) — rather than a 500. Any
    other database error is still a server error."""
    if "database is locked" not in str(exc):
        raise exc
    response = api.create_response(
        request, {"detail": "base de datos ocupada, reintente / database busy, retry"}, status=503
    )
    response["Retry-After"] = "2"
    return response


@api.exception_handler(Http404)
def _http_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Django's message may name a model or a lookup; the domain's wording is enough.
    return api.create_response(request, {"detail": "no encontrado / not found"}, status=404)


def _field_of(loc: Any) -> str:
    """The dotted field name of a django-ninja error location.

    Ninja locates a body field as ``("body", <parameter name>, field, ...)`` and a query or
    header value as ``("query", field)``; the source and the parameter name mean nothing to
    the client, so ``("body", "body", "payload", "amount")`` becomes ``payload.amount``, the
    same spelling the domain uses in ``InvalidInput.field``.
    """
    parts = [str(part) for part in loc]
    if parts[:1] == ["body"]:
        parts = parts[2:]
    elif parts:
        parts = parts[1:]
    return ".".join(parts)
