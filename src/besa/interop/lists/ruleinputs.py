"""Files of rule inputs: institutions' annual acquisitions budgets, the PEF annex of maximum
amounts and rescissions from before BESA (A24, A21), which no contract holds, and contracts'
market-research prices (A25), which become rectifications of their registrations. Pure: no
Django.

Each is a UTF-8 CSV (a byte-order mark is dropped) with a header on its first line; headers
are compared folded (accents, case, spaces or underscores do not matter) and extra columns are
ignored. The whole file is checked before anything is written: the first bad line refuses the
file with ``InvalidInput("line N", …)``. Amounts are written with a decimal point and at most
two decimals; a ``$`` and thousands commas (inside quotes) are tolerated. Dates are
``YYYY-MM-DD`` or ``DD/MM/YYYY``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from besa.exceptions import InvalidInput
from besa.interop.lists.csvtext import Row, check_width, decode, read_rows, require_columns
from besa.interop.lists.dates import parse_day
from besa.interop.lists.sat69b import RFC

T = TypeVar("T")
_AMOUNT = re.compile(r"\d{1,16}(\.\d{1,2})?")
#: Years a budget or a PEF annex may be for.
YEARS = range(2000, 2101)


@dataclass(frozen=True)
class BudgetRow:
    """One institution's annual acquisitions budget for a fiscal year, in the home currency."""

    institution_code: str
    fiscal_year: int
    amount: Decimal
    line: int = 0  #: the file line, for errors; 0 when it came from the API


@dataclass(frozen=True)
class PefRow:
    """One bracket of the PEF annex, in pesos: for an annual budget above ``budget_above`` and
    up to ``budget_up_to`` (None: no upper bound), each operation's maximum by direct award
    and by invitation to at least three persons, without VAT."""

    fiscal_year: int
    budget_above: Decimal
    budget_up_to: Decimal | None
    direct_award_max: Decimal
    invitation_max: Decimal
    line: int = 0


@dataclass(frozen=True)
class RescissionRow:
    """A supplier's contract rescinded (administratively, by resolution) before BESA."""

    rfc: str
    supplier_name: str
    institution_code: str
    contract_number: str
    rescinded_on: dt.date
    notice_on: dt.date | None = None
    line: int = 0


BUDGET_COLUMNS = ("institucion", "ejercicio", "presupuesto")
PEF_COLUMNS = (
    "ejercicio",
    "presupuesto mayor de",
    "presupuesto hasta",
    "adjudicacion directa",
    "invitacion",
)
RESCISSION_COLUMNS = ("rfc", "institucion", "contrato", "fecha rescision")
MARKET_COLUMNS = ("ocid", "precio")
#: Other spellings accepted for a header (folded) → the canonical one.
ALIASES = {
    "clave de la institucion": "institucion",
    "siglas": "institucion",
    "ejercicio fiscal": "ejercicio",
    "presupuesto de adquisiciones": "presupuesto",
    "presupuesto anual de adquisiciones": "presupuesto",
    "mayor de": "presupuesto mayor de",
    "hasta": "presupuesto hasta",
    "adjudicacion directa maximo": "adjudicacion directa",
    "invitacion a cuando menos tres personas": "invitacion",
    "invitacion tres maximo": "invitacion",
    "razon social": "proveedor",
    "numero de contrato": "contrato",
    "fecha de rescision": "fecha rescision",
    "fecha de la resolucion": "fecha rescision",
    "fecha de notificacion": "fecha notificacion",
}


def amount(text: str, where: str, *, allow_zero: bool = False) -> Decimal:
    """A money amount as these files write it; ``InvalidInput(where)`` otherwise."""
    cleaned = text.strip().removeprefix("$").replace(",", "").strip()
    try:
        if not _AMOUNT.fullmatch(cleaned):
            raise InvalidOperation
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(
            where, f"importe inválido / invalid amount {text!r} (p. ej. / e.g. 1500000.00)"
        ) from None
    if value == 0 and not allow_zero:
        raise InvalidInput(where, "el importe debe ser mayor que cero / must be above zero")
    return value


def year(text: str, where: str) -> int:
    if not text.strip().isdigit() or int(text) not in YEARS:
        raise InvalidInput(where, f"ejercicio inválido / invalid fiscal year {text!r}")
    return int(text)


def _table(data: bytes, label: str, wanted: Sequence[str]) -> tuple[list[Row], dict[str, int]]:
    rows = read_rows(decode(data, "utf-8", label=label), label=label)
    if not rows:
        raise InvalidInput("line 1", f"{label}: archivo vacío / empty file")
    header = Row(rows[0].line, tuple(c.replace("_", " ") for c in rows[0].cells))
    index = require_columns(header, wanted, label=label, aliases=ALIASES)
    body = rows[1:]
    check_width(body, max(index[w] for w in wanted) + 1, label=label)
    if not body:
        raise InvalidInput(f"line {header.line}", f"{label}: sin renglones / no rows")
    return body, index


def _rows(
    data: bytes, label: str, wanted: Sequence[str], build: Callable[[Row, Callable[[str], str]], T]
) -> list[T]:
    body, index = _table(data, label, wanted)

    def reader(row: Row) -> Callable[[str], str]:
        def cell(name: str) -> str:
            at = index.get(name)
            return row.cells[at].strip() if at is not None and at < len(row.cells) else ""

        return cell

    return [build(row, reader(row)) for row in body]


def parse_budgets(data: bytes) -> list[BudgetRow]:
    """``institucion,ejercicio,presupuesto``: the institution's code (siglas, as in BESA), the
    fiscal year and its annual acquisitions budget in pesos."""

    def build(row: Row, cell: Callable[[str], str]) -> BudgetRow:
        where = f"line {row.line}"
        code = cell("institucion")
        if not code or len(code) > 20:
            raise InvalidInput(where, f"clave de institución inválida / invalid code {code!r}")
        return BudgetRow(
            code, year(cell("ejercicio"), where), amount(cell("presupuesto"), where), row.line
        )

    return _rows(data, "presupuestos", BUDGET_COLUMNS, build)


def parse_pef(data: bytes, *, thousands: bool = True) -> list[PefRow]:
    """``ejercicio,presupuesto_mayor_de,presupuesto_hasta,adjudicacion_directa,invitacion``:
    one bracket of the PEF annex per line, as the decree prints it: in thousands of pesos
    (``thousands``; pass False for a file in pesos). An empty ``presupuesto_hasta`` is the
    open-ended last bracket. Each bracket's upper bound must exceed its lower, and the
    invitation maximum must not be below the direct award's."""
    factor = Decimal(1000) if thousands else Decimal(1)

    def build(row: Row, cell: Callable[[str], str]) -> PefRow:
        where = f"line {row.line}"
        above = amount(cell("presupuesto mayor de"), where, allow_zero=True) * factor
        up_to_text = cell("presupuesto hasta")
        up_to = amount(up_to_text, where) * factor if up_to_text else None
        if up_to is not None and up_to <= above:
            raise InvalidInput(
                where, "presupuesto_hasta no supera presupuesto_mayor_de / upper bound not above"
            )
        direct = amount(cell("adjudicacion directa"), where) * factor
        invitation = amount(cell("invitacion"), where) * factor
        if invitation < direct:
            raise InvalidInput(
                where,
                "el máximo por invitación es menor que el de adjudicación directa / the "
                "invitation maximum is below the direct award maximum",
            )
        return PefRow(year(cell("ejercicio"), where), above, up_to, direct, invitation, row.line)

    return _rows(data, "PEF", PEF_COLUMNS, build)


def parse_rescissions(data: bytes) -> list[RescissionRow]:
    """``rfc,proveedor,institucion,contrato,fecha_rescision[,fecha_notificacion]``: one
    contract rescinded before BESA per line (``proveedor`` and the notice date optional)."""

    def build(row: Row, cell: Callable[[str], str]) -> RescissionRow:
        where = f"line {row.line}"
        rfc = cell("rfc").upper()
        if not RFC.fullmatch(rfc):
            raise InvalidInput(where, f"RFC con formato inválido / malformed RFC {rfc!r}")
        code, number = cell("institucion"), cell("contrato")
        if not code or len(code) > 20 or not number or len(number) > 100:
            raise InvalidInput(
                where, "institución o contrato vacío o demasiado largo / institution or "
                "contract empty or too long",
            )  # fmt: skip
        try:
            rescinded = parse_day(cell("fecha rescision"))
            notice_text = cell("fecha notificacion")
            notice = parse_day(notice_text) if notice_text else None
        except ValueError as exc:
            raise InvalidInput(where, str(exc)) from None
        if notice is not None and notice > rescinded:
            raise InvalidInput(
                where, "notificación posterior a la rescisión / notice after the rescission"
            )
        return RescissionRow(
            rfc, cell("proveedor")[:300], code, number, rescinded, notice, row.line
        )

    return _rows(data, "rescisiones", RESCISSION_COLUMNS, build)


@dataclass(frozen=True)
class MarketPrice:
    """One price of a contract's market research (A25)."""

    ocid: str
    price: Decimal
    source: str
    line: int = 0


def parse_market_research(data: bytes) -> list[MarketPrice]:
    """``ocid,precio[,fuente]``: one price of a contract's market research per line (the
    contract by its ocid; ``fuente`` says where the price came from and is not stored in the
    logbook). A contract's prices are the lines with its ocid, in file order."""

    def build(row: Row, cell: Callable[[str], str]) -> MarketPrice:
        where = f"line {row.line}"
        ocid = cell("ocid")
        if not ocid or len(ocid) > 100:
            raise InvalidInput(where, f"ocid inválido / invalid ocid {ocid!r}")
        return MarketPrice(ocid, amount(cell("precio"), where), cell("fuente")[:200], row.line)

    return _rows(data, "investigación de mercado", MARKET_COLUMNS, build)
