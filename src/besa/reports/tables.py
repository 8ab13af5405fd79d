"""What a report is, independent of how it is shown: titled tables of typed rows and totals.

Pure (no Django queries): the report modules build these from scoped querysets; the page, the
PDF and the workbook render them. Money is ``Decimal`` rounded to cents; a table's ``totals``
holds the sum of each numeric column it sums (the workbook writes it as the totals row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Kind = Literal["text", "int", "money", "percent", "days", "score"]

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Column:
    key: str
    #: Translated (lazy) column title.
    title: Any
    kind: Kind = "text"
    #: Whether the totals row sums this column (counts and money).
    summed: bool = False


@dataclass
class Table:
    key: str
    title: Any
    columns: list[Column]
    rows: list[dict[str, Any]]
    #: Column keys drawn as a bar chart: (label column, value column); None: no chart.
    chart: tuple[str, str] | None = None
    note: Any = ""

    @property
    def totals(self) -> dict[str, Any] | None:
        """The sum of every summed column, or None when no column is summed."""
        summed = [c for c in self.columns if c.summed]
        if not summed:
            return None
        totals: dict[str, Any] = {}
        for column in summed:
            values = [row.get(column.key) or 0 for row in self.rows]
            if column.kind == "money":
                totals[column.key] = sum(map(Decimal, values), Decimal(0)).quantize(CENT)
            else:
                totals[column.key] = sum(values)
        return totals


@dataclass
class Report:
    slug: str
    title: Any
    tables: list[Table]
    #: The moment the data was read (printed on every PDF page and in the workbook).
    as_of: dt.datetime
    #: Public reports hold aggregates only, no personal data: anonymous citizens may read them.
    public: bool = False
    #: The filters as words, for the PDF header and the workbook's first rows.
    filter_words: list[tuple[Any, str]] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def money(value: Any) -> Decimal:
    """A database or JSON amount as Decimal rounded to cents (half-even is Decimal's default;
    amounts are stored with two places, so no rounding happens for stored values)."""
    return Decimal(str(value or 0)).quantize(CENT)


def bucket(value: float, limits: Sequence[tuple[int, Any]]) -> int:
    """The index of the first of ``limits`` ((upper limit, label), ascending) that ``value``
    does not exceed; ``len(limits)`` when it exceeds them all."""
    return next((i for i, (limit, _label) in enumerate(limits) if value <= limit), len(limits))


def bucket_rows(
    limits: Sequence[tuple[int, Any]], beyond: Any, counts: Mapping[int, int], column: str
) -> list[dict[str, Any]]:
    """A row per bucket of ``limits`` and a last one, labelled ``beyond``, for the values past
    them all; each with its count (``counts`` by ``bucket`` index) under ``column``."""
    labels = [*(label for _limit, label in limits), beyond]
    return [
        {"key": str(i), "label": label, column: counts.get(i, 0)} for i, label in enumerate(labels)
    ]
