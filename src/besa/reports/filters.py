"""Report filters carried in the URL: institution, buying unit, period and currency.

``ReportFilters.parse`` reads a query dict and raises ``InvalidInput`` naming the bad field;
``contracts`` narrows a (already role-scoped) contract queryset. The period applies to the
contract's signing date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from besa.exceptions import InvalidInput
from besa.registry.models import BuyingUnit, Contract, ContractQuerySet, Institution

#: Any contract queryset (scoped, or annotated like the reconciliation's).
Contracts = TypeVar("Contracts", bound=QuerySet[Any])


@dataclass(frozen=True)
class ReportFilters:
    institution: str = ""  #: Institution.code
    unit: str = ""  #: BuyingUnit.code
    since: dt.date | None = None
    until: dt.date | None = None
    currency: str = ""

    @classmethod
    def parse(cls, query: Mapping[str, Any]) -> ReportFilters:
        def text(name: str) -> str:
            return str(query.get(name) or "").strip()

        def day(name: str) -> dt.date | None:
            value = text(name)
            if not value:
                return None
            try:
                return dt.date.fromisoformat(value)
            except ValueError as exc:
                raise InvalidInput(
                    name, "fecha AAAA-MM-DD esperada / expected a YYYY-MM-DD date"
                ) from exc

        currency = text("moneda").upper()
        if currency and (len(currency) != 3 or not currency.isalpha()):
            raise InvalidInput("moneda", "código ISO 4217 esperado / expected an ISO 4217 code")
        since, until = day("desde"), day("hasta")
        if since and until and since > until:
            raise InvalidInput("hasta", "antes de «desde» / before «desde»")
        return cls(text("institucion"), text("unidad"), since, until, currency)

    def query(self) -> dict[str, str]:
        """The filters as URL parameters (empty ones left out)."""
        pairs = {
            "institucion": self.institution,
            "unidad": self.unit,
            "desde": self.since.isoformat() if self.since else "",
            "hasta": self.until.isoformat() if self.until else "",
            "moneda": self.currency,
        }
        return {k: v for k, v in pairs.items() if v}

    def contracts(self, scoped: Contracts) -> Contracts:
        """``scoped`` narrowed to these filters."""
        found = scoped
        if self.institution:
            found = found.filter(buying_unit__institution__code=self.institution)
        if self.unit:
            found = found.filter(buying_unit__code=self.unit)
        if self.since:
            found = found.filter(signing_date__gte=self.since)
        if self.until:
            found = found.filter(signing_date__lte=self.until)
        if self.currency:
            found = found.filter(currency=self.currency)
        return found

    def words(self) -> list[tuple[Any, str]]:
        """The filters as (label, value) pairs for headers: names, not codes."""
        shown: list[tuple[Any, str]] = []
        if self.institution:
            inst = Institution.objects.filter(code=self.institution).first()
            shown.append((_("Institución"), inst.name if inst else self.institution))
        if self.unit:
            unit = BuyingUnit.objects.filter(code=self.unit).first()
            shown.append((_("Unidad compradora"), unit.name if unit else self.unit))
        if self.since or self.until:
            since = self.since.isoformat() if self.since else "…"
            until = self.until.isoformat() if self.until else "…"
            shown.append((_("Periodo (fecha de firma)"), f"{since} – {until}"))
        if self.currency:
            shown.append((_("Moneda"), self.currency))
        return shown


def scoped_contracts(user: Any) -> ContractQuerySet:
    """The contracts a report may read for ``user`` (anonymous: all, for public reports)."""
    return Contract.objects.visible_to(user)
