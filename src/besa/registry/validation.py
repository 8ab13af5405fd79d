"""Pure validation of registry data: RFCs, currencies, contract terms. No Django.

Every function raises ``besa.exceptions.InvalidInput`` (or a subclass) naming the field, and
returns normalised values, so the same checks serve forms, the API, imports and the admin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import list_currencies
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.mx import rfc as stdnum_rfc

from besa.exceptions import InvalidInput, InvalidRFC

#: RFC used on invoices to the general public; never a real supplier identity.
GENERIC_DOMESTIC_RFC = "XAXX010101000"
#: RFC used for foreign residents without a Mexican tax id; many suppliers share it.
GENERIC_FOREIGN_RFC = "XEXX010101000"
GENERIC_RFCS = frozenset({GENERIC_DOMESTIC_RFC, GENERIC_FOREIGN_RFC})

_CURRENCIES = frozenset(list_currencies())

#: What public outputs show in place of an individual's RFC or name (no spaces, so that lists
#: of RFCs joined by spaces keep one item per supplier).
WITHHELD = "[reservado]"


def is_public_rfc(rfc: str) -> bool:
    """Tell whether ``rfc`` may be published as an identifier: only an organisation's
    (persona moral, 12 characters). An individual's (persona física, 13 characters) is
    personal data (INAI criterion 19/17), and the generic RFCs (13 characters too) identify
    no one. Every public output (OCDS, open-data files, the dump) decides with this."""
    return len(rfc) == 12


def is_natural_person_rfc(rfc: str) -> bool:
    """Tell whether ``rfc`` belongs to an individual (persona física), whose RFC, CURP and
    name are personal data withheld from every public output. The generic RFCs are not
    anyone's: a foreign company invoicing under XEXX010101000 keeps its name public."""
    return not is_public_rfc(rfc) and rfc not in GENERIC_RFCS


@dataclass(frozen=True)
class RFCCheck:
    """The outcome of validating an RFC.

    ``warning`` is set (and ``rfc`` still returned) when lenient validation accepted an RFC
    whose check digit is wrong, which is common in real imported data.
    """

    rfc: str
    person_type: str  #: "moral" (12 characters) or "fisica" (13 characters)
    generic: bool
    warning: str = ""


def check_rfc(value: str, *, strict: bool, field: str = "rfc") -> RFCCheck:
    """Validate and normalise an RFC.

    ``strict=True`` (new registrations) enforces the check digit; ``strict=False`` (imports)
    accepts a wrong check digit with a warning but still rejects a malformed RFC. The generic
    RFCs are accepted and flagged, since they identify no one.
    """
    rfc = stdnum_rfc.compact(value or "")
    if not rfc:
        raise InvalidRFC(field, "el RFC es obligatorio / RFC is required")
    if rfc in GENERIC_RFCS:
        return RFCCheck(rfc=rfc, person_type="moral", generic=True)
    try:
        stdnum_rfc.validate(rfc, validate_check_digits=True)
    except InvalidChecksum as exc:
        if strict:
            raise InvalidRFC(
                field, f"dígito verificador inválido / invalid check digit: {rfc}"
            ) from exc
        stdnum_rfc.validate(rfc, validate_check_digits=False)
        return RFCCheck(rfc, _person_type(rfc), False, warning="invalid check digit")
    except ValidationError as exc:
        raise InvalidRFC(field, f"RFC inválido / invalid RFC: {value!r} ({exc})") from exc
    return RFCCheck(rfc=rfc, person_type=_person_type(rfc), generic=False)


def _person_type(rfc: str) -> str:
    return "moral" if len(rfc) == 12 else "fisica"


def check_currency(value: str, field: str = "currency") -> str:
    """Return the upper-case ISO 4217 code, or raise naming ``field``."""
    code = (value or "").strip().upper()
    if code not in _CURRENCIES:
        raise InvalidInput(field, f"moneda desconocida / unknown currency: {value!r}")
    return code


def check_amount(value: object, field: str, *, allow_zero: bool = False) -> Decimal:
    """Parse a money amount; reject negatives (and zero unless allowed) naming ``field``.
    The message shows an example, so whoever typed it knows what is expected."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise InvalidInput(
            field,
            "no es un importe: escriba cifras, p. ej. 1500000.50 / "
            f"not an amount: type digits, e.g. 1500000.50: {value!r}",
        )
    if amount < 0 or (amount == 0 and not allow_zero):
        raise InvalidInput(field, f"debe ser mayor que cero / must be positive: {amount}")
    return amount


@dataclass(frozen=True)
class ContractTerms:
    """The money and date terms of a contract that must agree with each other."""

    currency: str
    amount: Decimal
    exchange_rate: Decimal | None
    is_open: bool
    min_amount: Decimal | None
    max_amount: Decimal | None
    award_date: dt.date | None
    signing_date: dt.date
    start_date: dt.date
    end_date: dt.date


def check_terms(
    terms: ContractTerms, *, home_currency: str, open_min_percent: Decimal | int
) -> None:
    """Raise ``InvalidInput`` naming the first field that contradicts the others.

    Contracts: amount > 0; a foreign currency needs a positive exchange rate; an open contract
    needs 0 < minimum ≤ maximum, with the minimum at least ``open_min_percent`` of the maximum
    and the amount equal to the maximum; award ≤ signing; start ≤ end; signing ≤ end.
    """
    check_amount(terms.amount, "amount")
    if terms.currency != home_currency:
        if terms.exchange_rate is None:
            raise InvalidInput(
                "exchange_rate",
                f"obligatorio para moneda {terms.currency} / required for {terms.currency}",
            )
        check_amount(terms.exchange_rate, "exchange_rate")
    if terms.is_open:
        if terms.min_amount is None or terms.max_amount is None:
            raise InvalidInput(
                "min_amount" if terms.min_amount is None else "max_amount",
                "un contrato abierto requiere mínimo y máximo / an open contract needs both",
            )
        check_amount(terms.min_amount, "min_amount")
        check_amount(terms.max_amount, "max_amount")
        if terms.min_amount > terms.max_amount:
            raise InvalidInput("min_amount", "mayor que el máximo / greater than the maximum")
        if terms.min_amount * 100 < terms.max_amount * open_min_percent:
            raise InvalidInput(
                "min_amount",
                f"menor al {open_min_percent} % del máximo / below {open_min_percent} % of max",
            )
        if terms.amount != terms.max_amount:
            raise InvalidInput("amount", "debe ser igual al máximo / must equal the maximum")
    if terms.award_date and terms.award_date > terms.signing_date:
        raise InvalidInput("signing_date", "anterior al fallo / before the award date")
    if terms.end_date < terms.start_date:
        raise InvalidInput("end_date", "anterior al inicio / before the start date")
    if terms.end_date < terms.signing_date:
        raise InvalidInput("end_date", "anterior a la firma / before the signing date")
