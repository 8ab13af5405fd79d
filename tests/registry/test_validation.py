"""Pure validation rules (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from besa.exceptions import InvalidInput, InvalidRFC
from besa.registry.validation import check_amount, check_currency, check_rfc


@pytest.mark.parametrize(
    ("rfc", "person_type"),
    [("GODE561231GR8", "fisica"), ("EKU9003173C9", "moral"), (" eku-900317-3c9 ", "moral")],
)
def test_valid_rfcs_are_normalised(rfc: str, person_type: str) -> None:
    result = check_rfc(rfc, strict=True)
    assert result.person_type == person_type
    assert result.rfc == result.rfc.upper().replace("-", "").strip()
    assert not result.warning


@pytest.mark.parametrize("rfc", ["", "123", "EKU900317", "EKU9013173C9", "GODE561331GR8"])
def test_malformed_rfcs_are_refused_even_when_lenient(rfc: str) -> None:
    with pytest.raises(InvalidRFC):
        check_rfc(rfc, strict=False)


def test_a_wrong_check_digit_is_an_error_when_strict_and_a_warning_when_lenient() -> None:
    with pytest.raises(InvalidRFC, match="check digit"):
        check_rfc("EKU9003173C8", strict=True)
    assert check_rfc("EKU9003173C8", strict=False).warning == "invalid check digit"


@pytest.mark.parametrize("rfc", ["XAXX010101000", "XEXX010101000"])
def test_generic_rfcs_are_accepted_and_flagged(rfc: str) -> None:
    assert check_rfc(rfc, strict=True).generic


def test_currencies_are_iso_4217() -> None:
    assert check_currency(" usd ") == "USD"
    with pytest.raises(InvalidInput) as err:
        check_currency("PESOS")
    assert err.value.field == "currency"


@pytest.mark.parametrize("value", ["-1", "0", "abc", "NaN", "Infinity"])
def test_amounts_must_be_positive_numbers(value: str) -> None:
    with pytest.raises(InvalidInput) as err:
        check_amount(value, "payload.amount")
    assert err.value.field == "payload.amount"


def test_zero_is_allowed_where_the_caller_says_so() -> None:
    assert check_amount("0", "x", allow_zero=True) == Decimal(0)
