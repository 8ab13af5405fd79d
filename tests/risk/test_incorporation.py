"""Reading the incorporation date from an RFC and the newly-created-supplier flag."""

from __future__ import annotations

import datetime as dt

import pytest

from besa.risk.incorporation import newly_created, rfc_date


@pytest.mark.parametrize(
    ("rfc", "reference", "expected"),
    [
        ("EKU9003173C9", dt.date(2025, 1, 1), dt.date(1990, 3, 17)),
        ("ABC200101AB1", dt.date(2025, 1, 1), dt.date(2020, 1, 1)),
        ("ABC250601AB1", dt.date(2025, 1, 1), dt.date(1925, 6, 1)),  # no future incorporation
        ("GODE561231GR8", dt.date(2025, 1, 1), dt.date(1956, 12, 31)),  # persona física: birth
        ("XEXX010101000", dt.date(2025, 1, 1), None),  # generic foreign RFC
        ("ABC201301AB1", dt.date(2025, 1, 1), None),  # month 13
        ("ABC200230AB1", dt.date(2025, 1, 1), None),  # 30 February
        ("not an rfc", dt.date(2025, 1, 1), None),
    ],
)
def test_rfc_date_table(rfc, reference, expected):
    assert rfc_date(rfc, reference) == expected


def test_a_company_incorporated_less_than_a_year_before_signing_is_newly_created():
    flag = newly_created("ABC240611AB1", dt.date(2025, 6, 10))
    assert flag.value == 1.0
    assert flag.evidence["incorporated_on"] == "2024-06-11"
    assert flag.evidence["age_days"] == 364
    assert newly_created("ABC240610AB1", dt.date(2025, 6, 10)).value == 0.0  # 365 days


def test_a_persona_fisica_or_generic_rfc_has_no_incorporation_date():
    assert newly_created("GODE561231GR8", dt.date(2025, 6, 10)).value is None
    assert newly_created("XEXX010101000", dt.date(2025, 6, 10)).value is None
