"""The citizens' search: which public contracts match the filters in the URL, and the facets.

Public contracts are those with an opened logbook (the open data's rule). Filters, all
optional and all in the query string so that a search can be linked and bookmarked:

- ``institucion``: an institution's code;
- ``proveedor``: a supplier's RFC (exact) or part of its name. Only suppliers whose identity
  is public are searched: an individual's RFC and name are personal data, withheld on every
  public page, and a search answering "yes" to an individual's RFC would disclose them;
- ``importe_min`` / ``importe_max``: the amount without VAT, in the contract's currency;
- ``desde`` / ``hasta``: the signing date, both inclusive;
- ``estado``: the contract's status code; ``procedimiento``: the procedure type code.

A bad value raises ``InvalidInput`` naming the parameter. Every filter is a plain column
comparison or a join through an indexed key (institution through the buying unit, supplier
through the indexed RFC, status on the indexed state column, the signing date and the amount
on the contract's ``contract_signing_ocid`` and ``contract_amount`` indexes, which also serve
the default order); the total and the facets come from one grouped query over the same
filtered set (``tally``). Measured on the 2,000-contract demo and over a million contracts in
``docs/benchmarks.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from besa.exceptions import InvalidInput
from besa.registry.models import BuyingUnit, Contract, ContractSupplier, ProcedureType, Supplier
from besa.registry.validation import GENERIC_RFCS
from besa.web.labels import STATUS_LABELS
from besa.web.params import typed

#: Results per page.
PAGE_SIZE = 25
#: Up to this many suppliers matching ``proveedor`` are passed to the query by id (above it,
#: as a subquery).
MAX_SUPPLIERS = 500
#: The longest text a filter takes (longer input is cut, never a database error).
MAX_TEXT = 120
_RFC = re.compile(r"[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}")


@dataclass(frozen=True)
class Filters:
    """The parsed search; empty strings and None mean "any"."""

    institucion: str = ""
    proveedor: str = ""
    importe_min: Decimal | None = None
    importe_max: Decimal | None = None
    desde: dt.date | None = None
    hasta: dt.date | None = None
    estado: str = ""
    procedimiento: str = ""

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> Filters:
        """From a query string; ``InvalidInput`` naming the first bad parameter."""

        def text(name: str) -> str:
            return typed(query, name)[:MAX_TEXT]

        filters = cls(
            institucion=text("institucion"),
            proveedor=text("proveedor"),
            importe_min=_amount("importe_min", text("importe_min")),
            importe_max=_amount("importe_max", text("importe_max")),
            desde=_day("desde", text("desde")),
            hasta=_day("hasta", text("hasta")),
            estado=text("estado"),
            procedimiento=text("procedimiento"),
        )
        if filters.estado and filters.estado not in STATUS_LABELS:
            raise InvalidInput("estado", _("Estado desconocido."))
        if filters.procedimiento and filters.procedimiento not in ProcedureType.values:
            raise InvalidInput("procedimiento", _("Tipo de procedimiento desconocido."))
        if (
            filters.importe_min is not None
            and filters.importe_max is not None
            and filters.importe_min > filters.importe_max
        ):
            raise InvalidInput("importe_max", _("El importe máximo es menor que el mínimo."))
        if filters.desde and filters.hasta and filters.desde > filters.hasta:
            raise InvalidInput("hasta", _("La fecha final es anterior a la inicial."))
        return filters

    def query(self, **changes: Any) -> dict[str, str]:
        """The query-string parameters of these filters (with ``changes``), empty ones left
        out: for links that keep the search (pages, facets)."""
        values = {**asdict(self), **changes}
        return {
            k: f"{v:f}" if isinstance(v, Decimal) else str(v)
            for k, v in values.items()
            if v not in ("", None)
        }

    @property
    def any(self) -> bool:
        return bool(self.query())


def _amount(name: str, value: str) -> Decimal | None:
    if not value:
        return None
    cleaned = value.replace(",", "").replace("$", "").replace(" ", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(name, _("Escriba un importe, por ejemplo 1500000.")) from None
    if not number.is_finite() or number < 0 or number >= Decimal("1e16"):
        raise InvalidInput(name, _("Escriba un importe, por ejemplo 1500000."))
    return number


def _day(name: str, value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(name, _("Escriba una fecha AAAA-MM-DD.")) from None


def public_suppliers() -> QuerySet[Supplier]:
    """Suppliers whose RFC and name may be shown: organisations (12-character RFC) and the
    generic RFCs (``besa.registry.validation.is_natural_person_rfc``, written as a query)."""
    return Supplier.objects.annotate(rfc_length=Length("rfc")).filter(
        Q(rfc_length=12) | Q(rfc__in=GENERIC_RFCS)
    )


def public_contracts() -> QuerySet[Contract]:
    """Every contract the public may see: those with an opened logbook."""
    return Contract.objects.filter(state__last_sequence__gt=0)


def search(filters: Filters) -> QuerySet[Contract]:
    """The matching public contracts, newest signing first."""
    rows = public_contracts()
    if filters.institucion:
        rows = rows.filter(buying_unit__institution__code=filters.institucion)
    if filters.proveedor:
        term = filters.proveedor
        wanted = public_suppliers()
        if _RFC.fullmatch(term.upper()):
            wanted = wanted.filter(rfc=term.upper())
        else:
            wanted = wanted.filter(name__icontains=term)
        # A semi-join (IN over the links), not a join: a contract appears once however many
        # of its suppliers match, so nothing needs DISTINCT (which sorted every contract of a
        # large supplier, 35 s for 140,000 of them).
        # The suppliers are looked up first so the plan sees their ids: a subquery hides
        # them, and PostgreSQL then plans for an average supplier (36 contracts) and probes
        # the 140,000 contracts of the largest one by one (7 s instead of a hash join).
        ids = list(wanted.values_list("pk", flat=True)[: MAX_SUPPLIERS + 1])
        chosen: Any = ids if len(ids) <= MAX_SUPPLIERS else wanted.values("pk")
        links = ContractSupplier.objects.filter(supplier__in=chosen)
        rows = rows.filter(pk__in=links.values("contract_id"))
    if filters.importe_min is not None:
        rows = rows.filter(amount__gte=filters.importe_min)
    if filters.importe_max is not None:
        rows = rows.filter(amount__lte=filters.importe_max)
    if filters.desde:
        rows = rows.filter(signing_date__gte=filters.desde)
    if filters.hasta:
        rows = rows.filter(signing_date__lte=filters.hasta)
    if filters.estado:
        rows = rows.filter(state__status=filters.estado)
    if filters.procedimiento:
        rows = rows.filter(procedure_type=filters.procedimiento)
    # Both descending, so the (signing_date, ocid) index is read backwards with no sort step.
    return rows.order_by("-signing_date", "-ocid")


@dataclass(frozen=True)
class Facet:
    """One value of a facet: its code, its words and how many matching contracts have it."""

    code: str
    label: str
    count: int


def facets(rows: QuerySet[Contract]) -> dict[str, list[Facet]]:
    """Counts of the matching contracts per institution, status and procedure type (most
    first); ``tally`` gives them with the total."""
    return tally(rows).facets


@dataclass(frozen=True)
class Tally:
    """How many contracts match, and the facets."""

    total: int
    facets: dict[str, list[Facet]]


def tally(rows: QuerySet[Contract]) -> Tally:
    """The number of matching contracts and the counts per institution, status and procedure
    type, from one grouped query: one pass over the matching set (``COUNT(*)`` and three
    ``GROUP BY`` s would read it four times), grouped by buying unit, status and procedure,
    so at most units × statuses × procedures rows come back whatever the number of contracts.
    ``rows`` has one row per contract (``search`` never joins to a many-valued relation)."""
    groups = (
        rows.order_by()
        .values_list("buying_unit_id", "state__status", "procedure_type")
        .annotate(n=Count("pk"))
    )
    total = 0
    by_unit: dict[Any, int] = defaultdict(int)
    by_status: dict[str, int] = defaultdict(int)
    by_procedure: dict[str, int] = defaultdict(int)
    for unit, status, procedure, n in groups:
        total += n
        by_unit[unit] += n
        by_status[status] += n
        by_procedure[procedure] += n
    by_institution: dict[tuple[str, str], int] = defaultdict(int)
    for unit, code, name in BuyingUnit.objects.filter(pk__in=list(by_unit)).values_list(
        "pk", "institution__code", "institution__name"
    ):
        by_institution[(code, name)] += by_unit[unit]
    procedures = dict(ProcedureType.choices)

    def ranked(found: list[Facet]) -> list[Facet]:
        return sorted(found, key=lambda f: (-f.count, f.label))

    return Tally(
        total,
        {
            "institucion": sorted(
                (Facet(code, name, n) for (code, name), n in by_institution.items()),
                key=lambda f: (-f.count, f.code),
            ),
            "estado": ranked(
                [Facet(k, str(STATUS_LABELS.get(k, "")), n) for k, n in by_status.items()]
            ),
            "procedimiento": ranked(
                [Facet(k, str(procedures.get(k, "")), n) for k, n in by_procedure.items()]
            ),
        },
    )
