"""The field types that entry payloads are made of, and the base class of every payload.

Each type parses leniently where JSON forces it (amounts may arrive as strings, integers or
floats) and strictly everywhere else (a date is ``YYYY-MM-DD`` and nothing else), then
normalises: amounts keep their exact decimal value and serialise as fixed-point strings, RFCs
and CFDI UUIDs are upper-case, hashes lower-case. A failed check raises a ``besa`` error whose
message is already bilingual; ``besa.logbook.kinds.errors`` turns pydantic's own errors into
bilingual messages too.

Money and percentages reuse the registry's checks (``check_amount``, ``check_rfc``,
``check_currency``), so a value accepted in one place is accepted in the other.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
)
from pydantic import StringConstraints as Str
from pydantic_core import PydanticCustomError, PydanticUndefined

from besa.exceptions import InvalidInput
from besa.registry.validation import check_amount, check_currency, check_rfc

#: Amounts and rates may carry at most this many decimal places (CFDI allows six).
MAX_DECIMAL_PLACES = 6
#: …and at most this many digits before the point (far beyond any public budget).
MAX_INTEGER_DIGITS = 18


class Payload(BaseModel):
    """Base of every payload model: unknown fields are errors, instances are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def fail(message: str) -> PydanticCustomError:
    """A validation error whose (bilingual) message is shown as is."""
    return PydanticCustomError("besa", "{message}", {"message": message})


# --- Decimals -----------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal:
    """Parse a JSON-borne number without losing its written value.

    Floats go through ``repr`` (the shortest string that round-trips), so ``1234.56`` stays
    ``1234.56``; booleans are refused although Python counts them as integers.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise fail(f"no es un número / not a number: {value!r}")
    text = repr(value) if isinstance(value, float) else str(value).strip()
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise fail(f"no es un número / not a number: {value!r}") from exc
    if not number.is_finite():
        raise fail(f"no es un número / not a number: {value!r}")
    return _bounded(number)


def _bounded(number: Decimal) -> Decimal:
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # finite numbers have an integer exponent
    if -exponent > MAX_DECIMAL_PLACES:
        raise fail(
            f"más de {MAX_DECIMAL_PLACES} decimales / more than {MAX_DECIMAL_PLACES} "
            f"decimal places: {number}"
        )
    if number.adjusted() >= MAX_INTEGER_DIGITS:
        raise fail(f"demasiado grande / too large: {number}")
    # -0 and 0 are one amount; keep one spelling so that equal payloads hash equally.
    return number.copy_abs() if number.is_zero() else number


def _checked_amount(*, allow_zero: bool) -> Any:
    def check(value: Any) -> Decimal:
        try:
            amount = check_amount(value, "", allow_zero=allow_zero)
        except InvalidInput as exc:
            raise fail(exc.message) from exc
        return _bounded(amount)

    return check


def _percent(value: Decimal) -> Decimal:
    if value > 100:
        raise fail(f"debe estar entre 0 y 100 / must be within 0–100: {value}")
    return value


def plain(number: Decimal) -> str:
    """A decimal as a fixed-point string with its exact value (never ``1E+3``)."""
    return format(number, "f")


_AS_STRING = PlainSerializer(plain, return_type=str, when_used="json")

#: A money amount or rate > 0.
Amount = Annotated[Decimal, BeforeValidator(_checked_amount(allow_zero=False)), _AS_STRING]
#: A money amount ≥ 0 (a withholding, a balance).
NonNegativeAmount = Annotated[
    Decimal, BeforeValidator(_checked_amount(allow_zero=True)), _AS_STRING
]
#: A signed change (an amendment may lower the amount).
SignedAmount = Annotated[Decimal, BeforeValidator(_decimal), _AS_STRING]
#: A percentage within 0–100.
Percent = Annotated[
    Decimal, BeforeValidator(_checked_amount(allow_zero=True)), AfterValidator(_percent), _AS_STRING
]
#: A percentage within (0, 100].
PositivePercent = Annotated[
    Decimal,
    BeforeValidator(_checked_amount(allow_zero=False)),
    AfterValidator(_percent),
    _AS_STRING,
]


# --- Dates --------------------------------------------------------------------------------

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


@dataclass(frozen=True)
class DateWindow:
    """The days an entry's dates may fall on, fixed for one append (see ``DateLimits`` in
    ``besa.jurisdiction``): a past fact within [``earliest``, ``latest_fact``], a scheduled
    date within [``earliest``, ``latest_scheduled``].

    Given to validation as pydantic's context (``{"window": …}``); without one, dates are only
    checked for their form (re-validating stored history, which was bounded when it entered).
    """

    earliest: dt.date
    latest_fact: dt.date
    latest_scheduled: dt.date

    @classmethod
    def around(
        cls, today: dt.date, *, earliest: dt.date, fact_tolerance_days: int, horizon_years: int
    ) -> DateWindow:
        """The window for an entry recorded on ``today``."""
        year = min(today.year + horizon_years, dt.MAXYEAR - 1)
        try:
            horizon = today.replace(year=year)
        except ValueError:  # 29 February, in a year that has none
            horizon = today.replace(year=year, day=28)
        return cls(earliest, today + dt.timedelta(days=fact_tolerance_days), horizon)

    def refusal(self, day: dt.date, *, scheduled: bool) -> str | None:
        """Why ``day`` is outside the window (a bilingual message), or None when inside."""
        if day < self.earliest:
            return f"anterior a {self.earliest} / before {self.earliest}: {day}"
        if scheduled and day > self.latest_scheduled:
            return (
                f"posterior al horizonte {self.latest_scheduled} / beyond the horizon "
                f"{self.latest_scheduled}: {day}"
            )
        if not scheduled and day > self.latest_fact:
            return (
                f"fecha futura para un hecho ocurrido (máx. {self.latest_fact}) / a future date "
                f"for a fact that already happened (at most {self.latest_fact}): {day}"
            )
        return None


def _day(value: Any) -> dt.date:
    """Accept a ``date`` or exactly ``YYYY-MM-DD``; never a timestamp or a datetime."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DAY.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise fail(
        f"fecha inválida, se espera AAAA-MM-DD / invalid date, expected YYYY-MM-DD: {value!r}"
    )


def _within(*, scheduled: bool) -> Any:
    def check(day: dt.date, info: ValidationInfo) -> dt.date:
        window = (info.context or {}).get("window")
        if isinstance(window, DateWindow):
            refusal = window.refusal(day, scheduled=scheduled)
            if refusal is not None:
                raise fail(refusal)
        return day

    return check


_SCHEDULED = AfterValidator(_within(scheduled=True))

#: A calendar day on which something happened (a signing, a payment), serialised as
#: ``YYYY-MM-DD``; within the window's past (``DateWindow.latest_fact``).
Day = Annotated[dt.date, BeforeValidator(_day), AfterValidator(_within(scheduled=False))]
#: A calendar day something is scheduled for (a due date, an end date, an expiry); may lie up
#: to the window's horizon (``DateWindow.latest_scheduled``).
ScheduledDay = Annotated[dt.date, BeforeValidator(_day), _SCHEDULED]


def scheduled_fields(model: type[BaseModel]) -> frozenset[str]:
    """The names of ``model``'s fields that are a ``ScheduledDay``."""

    def scheduled(info: Any) -> bool:
        if _SCHEDULED in info.metadata:
            return True
        # ``ScheduledDay | None``: the marker sits on the union's member.
        return any(
            _SCHEDULED in getattr(arg, "__metadata__", ()) for arg in get_args(info.annotation)
        )

    return frozenset(name for name, info in model.model_fields.items() if scheduled(info))


# --- Text and identifiers -----------------------------------------------------------------

#: Control characters refused in any text: C0 controls but tab, line feed and carriage
#: return, DEL, and lone surrogates (which no database can store as UTF-8). NUL in particular
#: is stored by SQLite but refused by PostgreSQL: refusing it here makes both databases alike.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
#: …and in identifiers, tab and line breaks too.
_CONTROL_IN_ID = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def control_character(text: str, *, line_breaks: bool = True) -> str | None:
    """The first refused control character of ``text`` (``line_breaks``: tab, LF and CR are
    allowed), spelled as a code point such as ``U+0000``; None when there is none."""
    found = (_CONTROL if line_breaks else _CONTROL_IN_ID).search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def _printable(*, line_breaks: bool) -> Any:
    def check(text: str) -> str:
        code = control_character(text, line_breaks=line_breaks)
        if code is not None:
            raise fail(f"carácter de control no permitido / control character not allowed: {code}")
        return text

    return check


_FREE_TEXT = AfterValidator(_printable(line_breaks=True))
_IDENTIFIER = AfterValidator(_printable(line_breaks=False))

#: A required line of text (names, numbers, short descriptions).
Text = Annotated[str, Str(strip_whitespace=True, min_length=1, max_length=500), _FREE_TEXT]
#: A required paragraph (justifications, causes, descriptions).
LongText = Annotated[str, Str(strip_whitespace=True, min_length=1, max_length=5000), _FREE_TEXT]
#: A client-chosen identifier (deliverable, guarantee, amendment): unique within the contract.
LocalId = Annotated[str, Str(strip_whitespace=True, min_length=1, max_length=100), _IDENTIFIER]
#: A codelist-style token such as ``contractSigned`` (an open code, published as is in OCDS).
Token = Annotated[str, Str(strip_whitespace=True, pattern=r"^[A-Za-z][A-Za-z0-9_]{0,63}$")]


def _rfc(value: str) -> str:
    # Lenient (check digit not enforced): the logbook records facts as they stand on the CFDI
    # or in the registry, which already applied its own strictness at registration time.
    try:
        return check_rfc(value, strict=False).rfc
    except InvalidInput as exc:
        raise fail(exc.message) from exc


def _currency(value: str) -> str:
    try:
        return check_currency(value)
    except InvalidInput as exc:
        raise fail(exc.message) from exc


_UUID = re.compile(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}", re.ASCII)


def _cfdi_uuid(value: str) -> str:
    upper = value.strip().upper()
    if not _UUID.fullmatch(upper):
        raise fail(f"UUID de CFDI inválido / invalid CFDI UUID: {value!r}")
    return upper


def _entry_id(value: str) -> str:
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError as exc:
        raise fail(f"id de entrada inválido / invalid entry id: {value!r}") from exc


_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)


def _sha256(value: str) -> str:
    lower = value.strip().lower()
    if not _SHA256.fullmatch(lower):
        raise fail(f"SHA-256 inválido (64 hex) / invalid SHA-256 (64 hex digits): {value!r}")
    return lower


_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*", re.ASCII)


def _media_type(value: str) -> str:
    lower = value.strip().lower()
    if not _MEDIA_TYPE.fullmatch(lower):
        raise fail(f"tipo de medio inválido / invalid media type: {value!r}")
    return lower


#: A Mexican RFC, compacted and upper-case (generic RFCs allowed).
RFC = Annotated[str, AfterValidator(_rfc)]
#: An ISO 4217 currency code, upper-case.
Currency = Annotated[str, AfterValidator(_currency)]
#: A CFDI UUID (folio fiscal), upper-case as SAT prints it.
CfdiUUID = Annotated[str, AfterValidator(_cfdi_uuid)]
#: A logbook entry id (a UUID), in canonical lower-case form.
EntryId = Annotated[str, AfterValidator(_entry_id)]
#: A SHA-256 digest, 64 lower-case hex digits.
Sha256 = Annotated[str, AfterValidator(_sha256)]
#: A media (MIME) type such as ``application/pdf``, lower-case.
MediaType = Annotated[str, AfterValidator(_media_type)]


def _(message: str) -> str:
    """Mark ``message`` for translation (``makemessages`` collects ``_("…")``); the caller that
    shows it translates it. A no-op here: this module must stay free of Django."""
    return message


def about(
    title: str, hint: str | None = None, default: Any = PydanticUndefined, **field: Any
) -> Any:
    """A field's words: its ``title`` (a label) and ``hint`` (shown under the field, and as the
    schema's ``description``); ``default`` and any other ``Field`` argument pass through, so the
    field validates exactly as it would without its words."""
    return Field(default, title=title, description=hint, **field)
