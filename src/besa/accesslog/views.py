"""The access-log page for oversight: reads of their institutions' data, by reader, contract
and dates; central administrators see every read. Other roles get 403."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from besa.accesslog.models import Read
from besa.registry.models import oversight_scope
from besa.web.errors import forbidden
from besa.web.params import typed


def may_query(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_overseer)


def visible_reads(user: Any) -> QuerySet[Read]:
    """Reads ``user`` may see: all for central administrators, their institutions' for
    oversight, none for anyone else."""
    return Read.objects.select_related("user", "contract", "institution").filter(
        oversight_scope(user)
    )


def _day(text: str, field: str, errors: dict[str, str]) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors[field] = _("«%(value)s» no es una fecha: use AAAA-MM-DD.") % {"value": text}
        return None


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """``/registro-de-accesos/?user=&contract=&since=&until=``: ``contract`` is an ocid, a
    contract number or its id; dates are inclusive, in the deployment's time zone."""
    if not may_query(request.user):
        return forbidden(request)
    values = {name: typed(request.GET, name) for name in ("user", "contract", "since", "until")}
    errors: dict[str, str] = {}
    since = _day(values["since"], "since", errors)
    until = _day(values["until"], "until", errors)
    reads = visible_reads(request.user)
    if values["user"]:
        reads = reads.filter(user__username__iexact=values["user"])
    if values["contract"]:
        wanted = values["contract"]
        match = Q(contract__ocid=wanted) | Q(contract__number=wanted)
        with contextlib.suppress(ValueError):  # not an id: the ocid or the number
            match |= Q(contract_id=uuid.UUID(wanted))
        reads = reads.filter(match)
    if since:
        reads = reads.filter(at__date__gte=since)
    if until:
        reads = reads.filter(at__date__lte=until)
    if errors:
        reads = reads.none()
    page = Paginator(reads, 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in values.items() if v})
    context = {"page": page, "values": values, "errors": errors, "query": query}
    return render(request, "accesslog/list.html", context, status=422 if errors else 200)
