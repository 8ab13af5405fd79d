"""One page envelope for every list: ``items``, ``count`` (the total), ``next``, ``previous``.

Limit/offset: simple for clients, stable because every listed queryset is ordered with a
unique tie-breaker. ``next``/``previous`` are absolute URLs carrying the same filters (None at
either end), so a client follows ``next`` until it is null.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

#: The largest page a client may ask for; larger ``limit`` values are clamped to it.
MAX_PAGE = 500
DEFAULT_PAGE = 100
#: The largest ``offset`` (far beyond any listing); larger ones answer 422, never reach the
#: database, whose integers stop at 2^63 - 1.
MAX_OFFSET = 1_000_000_000


class Page(PaginationBase):
    class Input(Schema):
        limit: int = Field(DEFAULT_PAGE, ge=1, description=f"Page size (at most {MAX_PAGE}).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description="Total items matching the filters.")
        next: str | None = Field(None, description="URL of the next page; null on the last.")
        previous: str | None = Field(None, description="URL of the previous page.")

    def paginate_queryset(
        self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any
    ) -> Any:
        limit = min(pagination.limit, MAX_PAGE)
        offset = pagination.offset
        total = self._items_count(queryset)
        after = offset + limit
        return {
            "items": queryset[offset:after],
            "count": total,
            "next": _url(request, limit, after) if after < total else None,
            "previous": _url(request, limit, max(offset - limit, 0)) if offset > 0 else None,
        }


def _url(request: HttpRequest, limit: int, offset: int) -> str:
    query = request.GET.copy()
    query["limit"] = str(limit)
    query["offset"] = str(offset)
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()
