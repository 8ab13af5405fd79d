"""Parsing CompraNet's flat "Contratos" CSV (open data export). Pure: no Django.

UTF-8 with CRLF line ends; a byte-order mark is tolerated, and so is the 2015 export's empty
first header cell (read as ``GOBIERNO``). Every column BESA reads is required and checked up
front: a file lacking one is rejected with all the missing names. Rows come back mapped to
BESA's vocabulary, or skipped with their line number and the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from besa.exceptions import InvalidInput
from besa.interop.lists.csvtext import Row, check_width, decode, fold, read_rows, require_columns
from besa.interop.lists.dates import optional_day, parse_day
from besa.interop.lists.entries import Skipped

LABEL = "CompraNet Contratos"
COLUMNS = (
    "gobierno", "siglas", "dependencia", "claveuc", "nombre_de_la_uc", "responsable",
    "numero_procedimiento", "exp_f_fallo", "caracter", "tipo_contratacion",
    "tipo_procedimiento", "codigo_contrato", "titulo_contrato", "fecha_inicio", "fecha_fin",
    "importe_contrato", "moneda", "estatus_contrato", "fecha_celebracion",
    "proveedor_contratista",
)  # fmt: skip
#: TIPO_CONTRATACION → ``ContractingType``; public works (LOPSRM) are outside BESA's scope.
CONTRACTING_TYPES = {
    "adquisiciones": "adquisicion",
    "arrendamientos": "arrendamiento",
    "servicios": "servicio",
}
PUBLIC_WORKS = ("obra publica", "servicios relacionados con la op")
LEVELS = {"apf": "APF", "ge": "GE", "gm": "GM"}


@dataclass(frozen=True)
class CompranetContract:
    """One row, in BESA's terms (``signing_date`` None when FECHA_CELEBRACION is empty)."""

    line: int
    code: str
    level: str
    institution_code: str
    institution_name: str
    unit_code: str
    unit_name: str
    unit_head: str
    procedure_number: str
    procedure_type: str
    character: str
    contracting_type: str
    title: str
    award_date: dt.date | None
    signing_date: dt.date | None
    start_date: dt.date
    end_date: dt.date
    amount: Decimal
    currency: str
    supplier_name: str
    status: str


@dataclass
class ParsedContracts:
    contracts: list[CompranetContract] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def parse(data: bytes) -> ParsedContracts:
    """Parse the export. Raises ``InvalidInput`` (naming the line) for a file that is not
    UTF-8, lacks a required column, or is truncated; rows that cannot be read or that BESA
    does not track (public works) come back in ``skipped``. A CODIGO_CONTRATO repeated in the
    file keeps its first row (the others are reported)."""
    rows = read_rows(decode(data, "utf-8", label=LABEL), label=LABEL)
    if not rows:
        raise InvalidInput("file", f"{LABEL}: archivo vacío / empty file")
    header = rows[0]
    if header.cells and not header.cells[0].strip():
        header = Row(header.line, ("GOBIERNO", *header.cells[1:]))
    index = require_columns(header, COLUMNS, label=LABEL)
    check_width(rows[1:], len(header.cells), label=LABEL)
    parsed = ParsedContracts()
    seen: set[str] = set()
    for row in rows[1:]:
        item = _contract(row, index)
        if isinstance(item, Skipped):
            parsed.skipped.append(item)
        elif item.code in seen:
            parsed.skipped.append(
                Skipped(row.line, f"CODIGO_CONTRATO repetido / repeated code {item.code}")
            )
        else:
            seen.add(item.code)
            parsed.contracts.append(item)
    return parsed


def _procedure_type(text: str) -> str | None:
    folded = fold(text)
    if folded.startswith("licitacion"):
        return "licitacion_publica"
    if folded.startswith("invitacion"):
        return "invitacion_tres"
    if folded.startswith("adjudicacion directa"):
        return "adjudicacion_directa"
    return None


def _character(text: str) -> str:
    folded = fold(text)
    if "tlc" in folded or "tratado" in folded:
        return "tratados"
    return "internacional" if folded.startswith("internacional") else "nacional"


def _contract(row: Row, index: dict[str, int]) -> CompranetContract | Skipped:
    def cell(name: str) -> str:
        return row.cells[index[name]].strip()

    code = cell("codigo_contrato")
    if not code:
        return Skipped(row.line, "sin CODIGO_CONTRATO / no contract code")
    kind = fold(cell("tipo_contratacion"))
    if kind in PUBLIC_WORKS:
        return Skipped(row.line, f"{code}: obra pública (LOPSRM), fuera del alcance / public works")
    contracting_type = CONTRACTING_TYPES.get(kind)
    if contracting_type is None:
        return Skipped(
            row.line, f"{code}: TIPO_CONTRATACION desconocido {cell('tipo_contratacion')!r}"
        )
    procedure_type = _procedure_type(cell("tipo_procedimiento"))
    if procedure_type is None:
        return Skipped(
            row.line, f"{code}: TIPO_PROCEDIMIENTO desconocido {cell('tipo_procedimiento')!r}"
        )
    try:
        amount = Decimal(cell("importe_contrato").replace(",", ""))
        start, end = parse_day(cell("fecha_inicio")), parse_day(cell("fecha_fin"))
        signing = optional_day(cell("fecha_celebracion"))
        award = optional_day(cell("exp_f_fallo"))
    except (InvalidOperation, ValueError) as exc:
        return Skipped(row.line, f"{code}: {exc}")
    currency = cell("moneda").upper()
    if len(currency) != 3 or not currency.isalpha():
        return Skipped(row.line, f"{code}: MONEDA inválida / invalid currency {currency!r}")
    supplier = " ".join(cell("proveedor_contratista").split())
    if not supplier:
        return Skipped(row.line, f"{code}: sin PROVEEDOR_CONTRATISTA / no supplier")
    return CompranetContract(
        line=row.line,
        code=code[:60],
        level=LEVELS.get(fold(cell("gobierno")), "APF"),
        institution_code=cell("siglas")[:20],
        institution_name=cell("dependencia")[:300],
        unit_code=cell("claveuc")[:20],
        unit_name=cell("nombre_de_la_uc")[:300],
        unit_head=cell("responsable")[:200],
        procedure_number=cell("numero_procedimiento")[:100],
        procedure_type=procedure_type,
        character=_character(cell("caracter")),
        contracting_type=contracting_type,
        title=(cell("titulo_contrato") or code)[:500],
        award_date=award,
        signing_date=signing,
        start_date=start,
        end_date=end,
        amount=amount,
        currency=currency,
        supplier_name=supplier[:300],
        status=cell("estatus_contrato"),
    )
