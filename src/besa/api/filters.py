"""Query filters of the list endpoints, applied after role scoping (never instead of it).

Each ``*Filters`` schema is the endpoint's query parameters; ``apply`` narrows an already
scoped queryset. Periods are inclusive dates: the signing date for contracts, the day of
recording (UTC) for entries, the day an alert opened (UTC) for alerts.
"""

import datetime as dt
from typing import Annotated, Any

from django.db.models import Q, QuerySet
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from besa.logbook.kinds.fields import control_character
from besa.registry.models import ContractSupplier


def _printable(text: str, *, line_breaks: bool = False) -> str:
    code = control_character(text, line_breaks=line_breaks)
    if code is not None:
        # Raised as ValueError, pydantic reports it under the parameter's name (a 422).
        raise ValueError(
            f"carácter de control no permitido / control character not allowed: {code}"
        )
    return text


def _printable_paragraph(text: str) -> str:
    return _printable(text, line_breaks=True)


#: A code, RFC, ocid or other identifier in a query string or a path: no control characters
#: (PostgreSQL refuses NUL, SQLite would search for it), at most 200 characters.
QueryText = Annotated[str, StringConstraints(max_length=200), AfterValidator(_printable)]
#: Free text in a body or a form (a reason, a title, a name): line breaks and tabs allowed,
#: other control characters refused (PostgreSQL would refuse NUL with a 500), at most 5,000.
FreeText = Annotated[str, StringConstraints(max_length=5000), AfterValidator(_printable_paragraph)]
#: A day in a query string. Its upper bound leaves room for "the day after" (an inclusive
#: ``…_until`` filters on the start of the next day), so no date a client sends overflows.
QueryDay = Annotated[dt.date, Field(le=dt.date(9999, 12, 30))]

_INSTITUTION = "Institution code (siglas o clave)."
_UNIT = "Buying unit code (clave de la UC)."
_SUPPLIER = "Supplier RFC (any supplier of the contract)."


class ContractFilters(Schema):
    institution: QueryText | None = Field(None, description=_INSTITUTION)
    buying_unit: QueryText | None = Field(None, description=_UNIT)
    supplier: QueryText | None = Field(None, description=_SUPPLIER)
    status: QueryText | None = Field(None, description="Contract status, e.g. `in_execution`.")
    signed_since: QueryDay | None = Field(None, description="Signed on or after (inclusive).")
    signed_until: QueryDay | None = Field(None, description="Signed on or before (inclusive).")

    def apply(self, contracts: QuerySet[Any]) -> QuerySet[Any]:
        return narrow(
            contracts,
            "",
            institution=self.institution,
            buying_unit=self.buying_unit,
            supplier=self.supplier,
            status=self.status,
            since=self.signed_since,
            until=self.signed_until,
        )


def narrow(
    rows: QuerySet[Any],
    prefix: str,
    *,
    institution: str | None = None,
    buying_unit: str | None = None,
    supplier: str | None = None,
    status: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[Any]:
    """Narrow contracts, or rows reaching a contract through ``prefix`` (``contract__``)."""
    q = Q()
    if institution:
        q &= Q(**{f"{prefix}buying_unit__institution__code": institution})
    if buying_unit:
        q &= Q(**{f"{prefix}buying_unit__code": buying_unit})
    if status:
        q &= Q(**{f"{prefix}state__status": status})
    if since:
        q &= Q(**{f"{prefix}signing_date__gte": since})
    if until:
        q &= Q(**{f"{prefix}signing_date__lte": until})
    rows = rows.filter(q)
    if supplier:
        # A subquery, not a join: a joint proposal's contract must not be listed twice.
        with_supplier = ContractSupplier.objects.filter(supplier__rfc=supplier.upper()).values(
            "contract_id"
        )
        rows = rows.filter(**{f"{prefix}pk__in": with_supplier})
    return rows


class EntryFilters(Schema):
    institution: QueryText | None = Field(None, description=_INSTITUTION)
    buying_unit: QueryText | None = Field(None, description=_UNIT)
    supplier: QueryText | None = Field(None, description=_SUPPLIER)
    ocid: QueryText | None = Field(None, description="Only this contract's entries.")
    kind: QueryText | None = Field(None, description="Entry kind, e.g. `payment`.")
    recorded_since: QueryDay | None = Field(None, description="Recorded on or after (UTC day).")
    recorded_until: QueryDay | None = Field(None, description="Recorded on or before (UTC day).")

    def apply(self, entries: QuerySet[Any]) -> QuerySet[Any]:
        rows = narrow(
            entries,
            "contract__",
            institution=self.institution,
            buying_unit=self.buying_unit,
            supplier=self.supplier,
        )
        if self.ocid:
            rows = rows.filter(ocid=self.ocid)
        if self.kind:
            rows = rows.filter(kind=self.kind)
        if self.recorded_since:
            rows = rows.filter(recorded_at__gte=_start(self.recorded_since))
        if self.recorded_until:
            rows = rows.filter(recorded_at__lt=_start(self.recorded_until + dt.timedelta(1)))
        return rows


class AlertFilters(Schema):
    institution: QueryText | None = Field(None, description=_INSTITUTION)
    buying_unit: QueryText | None = Field(None, description=_UNIT)
    supplier: QueryText | None = Field(None, description=_SUPPLIER)
    ocid: QueryText | None = Field(None, description="Only this contract's alerts.")
    rule: QueryText | None = Field(None, description="Alert code, e.g. `A05`.")
    state: QueryText | None = Field(None, description="Alert state, e.g. `open`.")
    opened_since: QueryDay | None = Field(None, description="Opened on or after (UTC day).")
    opened_until: QueryDay | None = Field(None, description="Opened on or before (UTC day).")

    def apply(self, alerts: QuerySet[Any]) -> QuerySet[Any]:
        """Narrow alerts already filtered by institution, rule, state and ocid (the shared
        ``visible_alerts``) by buying unit, supplier and opening day."""
        rows = narrow(alerts, "contract__", buying_unit=self.buying_unit, supplier=self.supplier)
        if self.opened_since:
            rows = rows.filter(opened_at__gte=_start(self.opened_since))
        if self.opened_until:
            rows = rows.filter(opened_at__lt=_start(self.opened_until + dt.timedelta(1)))
        return rows


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
