"""Branded, translated error pages (403, 404, 500) that say what the person can do.

Django's handlers are replaced (``besa.urls``: ``handler403``…) so that an error looks like the
rest of BESA, speaks the chosen language, and explains itself: a read-only role that tries to
write is told why (``forbidden(request, why=…)``).
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Missing, or out of the person's scope: the two are indistinguishable on purpose."""
    return render(request, "404.html", {"path": request.path}, status=404)


def forbidden(
    request: HttpRequest, exception: Exception | None = None, *, why: str = ""
) -> HttpResponse:
    """The person may not do this; ``why`` says which rule of roles stopped it."""
    reason = why or _("Su rol no permite esta acción.")
    return render(request, "403.html", {"why": reason}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form's security token was missing or stale (``CSRF_FAILURE_VIEW``): usually a page
    left open too long or opened before signing in again; nothing was saved."""
    return forbidden(
        request,
        why=_(
            "El formulario caducó o se abrió antes de volver a entrar, así que no se guardó "
            "nada. Vuelva a la página, recárguela y envíelo de nuevo."
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """Something failed on our side. Rendered without the database (it may be what failed):
    no user, no context processors, only the template and the active language."""
    try:
        return HttpResponseServerError(loader.get_template("500.html").render({}))
    except Exception:  # the error page must never fail in turn
        log.exception("the 500 page could not be rendered")
        return HttpResponseServerError("Error 500", content_type="text/plain")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)
