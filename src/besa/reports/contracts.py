"""Report (a): contracts and amounts by institution, procedure type, contracting type,
currency and period (month of signing) — the statistics CompraNet published. Public.

Amounts are without VAT. "Importe (moneda nacional)" is each contract's amount × its exchange
rate, rounded to cents per contract and then summed, so every total equals the sum of the
registry's rows to the cent. The currency table also gives the amounts in their own currency.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from besa.registry.models import ContractingType, ContractQuerySet, ProcedureType
from besa.reports.tables import Column, Report, Table, money

SLUG = "contratos"
#: The grouping columns, in the order ``build`` unpacks them (the month of signing follows).
_KEYS = (
    "buying_unit__institution__code",
    "buying_unit__institution__name",
    "procedure_type",
    "contracting_type",
    "currency",
)


def home_amount(amount: Any, rate: Any) -> Decimal:
    """A contract's amount in the home currency, rounded to cents (the unit of every total)."""
    return money(Decimal(amount) * Decimal(rate or 1))


def build(contracts: ContractQuerySet, as_of: dt.datetime) -> Report:
    """Five tables over ``contracts`` (already scoped and filtered).

    Aggregated in the database, so time and memory do not grow with the contracts in Python:
    one grouped query over the contracts in the home currency (no exchange rate, or 1), whose
    home amount is their amount, summed exactly; the contracts in another currency, whose
    home amount is rounded to cents per contract, are read one by one (a few percent of a
    national portfolio). The groups are bounded by institutions × procedure types ×
    contracting types × currencies × months, never by contracts."""
    count: dict[str, dict[Any, int]] = defaultdict(lambda: defaultdict(int))
    total: dict[str, dict[Any, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    own: dict[str, Decimal] = defaultdict(Decimal)
    names: dict[str, str] = {}

    def add(row: tuple[Any, ...], contracts_n: int, home: Decimal, amount: Decimal) -> None:
        code, name, procedure, kind, currency, month = row
        names[code] = name
        keys = {
            "institution": code,
            "procedure": procedure,
            "type": kind,
            "currency": currency,
            "period": month.strftime("%Y-%m"),
        }
        for dimension, key in keys.items():
            count[dimension][key] += contracts_n
            total[dimension][key] += home
        own[currency] += amount

    plain = contracts.order_by()
    at_home = Q(exchange_rate__isnull=True) | Q(exchange_rate=1)
    grouped = (
        plain.filter(at_home)
        .values_list(*_KEYS, TruncMonth("signing_date"))
        .annotate(n=Count("pk"), amount=Sum("amount"))
    )
    for *keys, n, amount in grouped:
        add(tuple(keys), n, money(amount), money(amount))
    foreign = plain.exclude(at_home).values_list(*_KEYS, "signing_date", "amount", "exchange_rate")
    for *keys, amount, rate in foreign.iterator(2000):
        add(tuple(keys), 1, home_amount(amount, rate), money(amount))

    def table(dimension: str, title: Any, label: Any, words: Any, order: str) -> Table:
        keys = list(count[dimension])
        if order == "amount":
            keys.sort(key=lambda k: (-total[dimension][k], str(k)))
        else:
            keys.sort()
        columns = [
            Column("label", label),
            Column("contracts", _("Contratos"), "int", summed=True),
            Column("amount", _("Importe sin IVA (moneda nacional)"), "money", summed=True),
        ]
        if dimension == "currency":
            columns.append(Column("own_amount", _("Importe en su moneda"), "money"))
        table_rows = [
            {
                "key": key,
                "label": words(key),
                "contracts": count[dimension][key],
                "amount": total[dimension][key],
                **({"own_amount": own[key]} if dimension == "currency" else {}),
            }
            for key in keys
        ]
        return Table(dimension, title, columns, table_rows, chart=("label", "amount"))

    procedures, types = dict(ProcedureType.choices), dict(ContractingType.choices)
    return Report(
        slug=SLUG,
        title=_("Contratos e importes"),
        public=True,
        as_of=as_of,
        tables=[
            table(
                "institution",
                _("Por institución"),
                _("Institución"),
                lambda k: names.get(k, k),
                "amount",
            ),
            table(
                "procedure",
                _("Por tipo de procedimiento"),
                _("Tipo de procedimiento"),
                lambda k: procedures.get(k, k),
                "amount",
            ),
            table(
                "type",
                _("Por tipo de contratación"),
                _("Tipo de contratación"),
                lambda k: types.get(k, k),
                "amount",
            ),
            table("currency", _("Por moneda"), _("Moneda"), str, "amount"),
            table("period", _("Por mes de firma"), _("Mes"), str, "key"),
        ],
    )
