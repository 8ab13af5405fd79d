"""The TESOFE payments and SICOP budget commitments CSV layouts and their typed rows.

No public API or file specification exists for SIAFF/TESOFE or SICOP (domain.md §6.4); the
layouts below carry what those systems are known to record (the CLC folio, payment date,
beneficiary and amount per CLC; the budget key, oficio and commitment folio) under stable
Spanish column names, so that each paying unit can produce them from its own extracts.
Every value error raises ``InvalidInput`` naming ``line N, <column>``.

Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NoReturn

from besa.exceptions import InvalidInput
from besa.interop.lists.dates import parse_day
from besa.interop.treasury.csvfile import Row

#: TESOFE payments: (column, required, meaning). One row per CLC paid.
TESOFE_COLUMNS: tuple[tuple[str, bool, str], ...] = (
    ("folio_clc", True, "folio of the cuenta por liquidar certificada"),
    ("fecha_pago", True, "payment date, YYYY-MM-DD or DD/MM/YYYY"),
    ("rfc_beneficiario", True, "beneficiary's RFC (the supplier)"),
    ("importe", True, "amount paid, net of withholdings; '.' decimals"),
    ("numero_contrato", True, "contract number as registered (may be blank if ocid given)"),
    ("uuids_cfdi", True, "CFDI UUIDs paid, separated by ';' (may be blank for an advance)"),
    ("ocid", False, "contract ocid; wins over numero_contrato"),
    ("moneda", False, "ISO 4217 code, default MXN"),
    ("tipo_cambio", False, "exchange rate to MXN for a foreign currency"),
    ("canal", False, "payment channel, default TESOFE/SIAFF"),
    ("penas_retenidas", False, "conventional penalties withheld, default 0"),
    ("deductivas_retenidas", False, "deductions withheld, default 0"),
    ("gastos_financieros", False, "financial charges for late payment, default 0"),
    ("anticipo", False, "'si' when the payment is the agreed advance"),
)

#: SICOP budget commitments: one row per sufficiency/commitment backing a contract.
SICOP_COLUMNS: tuple[tuple[str, bool, str], ...] = (
    ("oficio", True, "number of the budget sufficiency letter"),
    ("fecha_oficio", True, "date of the letter, YYYY-MM-DD or DD/MM/YYYY"),
    ("ejercicio", True, "fiscal year, e.g. 2025"),
    ("clave_presupuestaria", True, "budget key (clave presupuestaria)"),
    ("folio_compromiso", True, "SICOP commitment folio"),
    ("importe", True, "amount committed; '.' decimals"),
    ("numero_contrato", True, "contract number (may be blank if ocid given)"),
    ("ocid", False, "contract ocid; wins over numero_contrato"),
    ("partida", False, "expense item (partida del Clasificador por Objeto del Gasto)"),
    ("oficio_plurianual", False, "SHCP multiyear authorisation letter"),
    ("fecha_plurianual", False, "date of the multiyear authorisation"),
)


def required(columns: tuple[tuple[str, bool, str], ...]) -> list[str]:
    return [name for name, needed, _ in columns if needed]


def known(columns: tuple[tuple[str, bool, str], ...]) -> list[str]:
    return [name for name, _, _ in columns]


@dataclass(frozen=True)
class ContractRef:
    """How a row names its contract: by ocid, else by number."""

    ocid: str
    number: str


@dataclass(frozen=True)
class PaymentRow:
    line: int
    contract: ContractRef
    clc_folio: str
    date: dt.date
    beneficiary_rfc: str
    amount: Decimal
    currency: str
    exchange_rate: Decimal | None
    invoice_uuids: tuple[str, ...]
    channel: str
    penalties_withheld: Decimal
    deductions_withheld: Decimal
    financial_charges: Decimal
    is_advance: bool


@dataclass(frozen=True)
class CommitmentRow:
    line: int
    contract: ContractRef
    oficio_number: str
    date: dt.date
    fiscal_year: int
    budget_key: str
    commitment_folio: str
    amount: Decimal
    expense_item: str
    multiyear_oficio: str
    multiyear_date: dt.date | None


def payment_row(row: Row) -> PaymentRow:
    """A TESOFE row, typed. Raises ``InvalidInput`` naming ``line N, <column>``."""
    value = _Values(row)
    contract = value.contract()
    uuids = tuple(u.strip().upper() for u in re.split(r"[;|]", row.get("uuids_cfdi")) if u.strip())
    for uuid in uuids:
        if not _UUID.fullmatch(uuid):
            value.fail("uuids_cfdi", f"UUID inválido / invalid UUID: {uuid}")
    if not (contract.ocid or contract.number or uuids):
        value.fail("numero_contrato", "sin contrato, ocid ni CFDI / no contract, ocid nor CFDI")
    return PaymentRow(
        line=row.line,
        contract=contract,
        clc_folio=value.text("folio_clc"),
        date=value.day("fecha_pago"),
        beneficiary_rfc=value.text("rfc_beneficiario").upper(),
        amount=value.amount("importe", positive=True),
        currency=(row.get("moneda") or "MXN").upper(),
        exchange_rate=value.amount("tipo_cambio", positive=True)
        if row.get("tipo_cambio")
        else None,
        invoice_uuids=uuids,
        channel=row.get("canal") or "TESOFE/SIAFF",
        penalties_withheld=value.amount("penas_retenidas", default=Decimal(0)),
        deductions_withheld=value.amount("deductivas_retenidas", default=Decimal(0)),
        financial_charges=value.amount("gastos_financieros", default=Decimal(0)),
        is_advance=value.flag("anticipo"),
    )


def commitment_row(row: Row) -> CommitmentRow:
    """A SICOP row, typed. Raises ``InvalidInput`` naming ``line N, <column>``."""
    value = _Values(row)
    contract = value.contract()
    if not (contract.ocid or contract.number):
        value.fail("numero_contrato", "sin contrato ni ocid / no contract nor ocid")
    year = value.text("ejercicio")
    if not re.fullmatch(r"20\d\d", year):
        value.fail("ejercicio", f"año inválido / invalid year: {year}")
    multiyear = row.get("oficio_plurianual")
    return CommitmentRow(
        line=row.line,
        contract=contract,
        oficio_number=value.text("oficio"),
        date=value.day("fecha_oficio"),
        fiscal_year=int(year),
        budget_key=value.text("clave_presupuestaria"),
        commitment_folio=value.text("folio_compromiso"),
        amount=value.amount("importe", positive=True),
        expense_item=row.get("partida"),
        multiyear_oficio=multiyear,
        multiyear_date=value.day("fecha_plurianual") if multiyear else None,
    )


_UUID = re.compile(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}")
# Digits with an optional '.' decimal part; ',' only as a thousands separator.
_AMOUNT = re.compile(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")


class _Values:
    def __init__(self, row: Row) -> None:
        self.row = row

    def fail(self, column: str, message: str) -> NoReturn:
        raise InvalidInput(f"line {self.row.line}, {column}", message)

    def text(self, column: str) -> str:
        value = self.row.get(column)
        if not value:
            self.fail(column, "vacío / empty")
        return value

    def contract(self) -> ContractRef:
        return ContractRef(self.row.get("ocid"), self.row.get("numero_contrato"))

    def day(self, column: str) -> dt.date:
        value = self.text(column)
        try:
            return parse_day(value)
        except ValueError:
            self.fail(column, f"fecha inválida / invalid date: {value} (YYYY-MM-DD, DD/MM/YYYY)")

    def amount(
        self, column: str, *, positive: bool = False, default: Decimal | None = None
    ) -> Decimal:
        value = self.row.get(column).removeprefix("$").strip()
        if not value and default is not None:
            return default
        if not _AMOUNT.fullmatch(value):
            self.fail(column, f"importe inválido / invalid amount: {value or 'vacío/empty'}")
        try:
            number = Decimal(value.replace(",", ""))
        except InvalidOperation:
            self.fail(column, f"importe inválido / invalid amount: {value}")
        if number < 0 or (positive and number == 0):
            self.fail(column, f"debe ser positivo / must be positive: {value}")
        return number

    def flag(self, column: str) -> bool:
        value = self.row.get(column).lower()
        if value in ("", "no", "n", "0", "false"):
            return False
        if value in ("si", "sí", "s", "1", "true"):
            return True
        self.fail(column, f"se espera si/no / expected si/no: {value}")
