"""When a supplier was created, read from its RFC, and the "newly created supplier" flag.

A Mexican RFC encodes a date as ``YYMMDD`` after its letters: for a persona moral (3 letters)
the date of incorporation (constitución), for a persona física (4 letters) the date of birth,
which says nothing about when the business started. The generic RFCs (``XAXX010101000``,
``XEXX010101000``) carry no date. Pure; ``today``-free: the century is resolved against the
date the RFC is compared with.
"""

from __future__ import annotations

import datetime as dt
import re

from besa.risk.flag import Flag, binary, missing

_RFC = re.compile(r"^([A-ZÑ&]{3,4})(\d{2})(\d{2})(\d{2})([A-Z0-9]{3})$")
GENERIC = frozenset({"XAXX010101000", "XEXX010101000"})
#: A supplier incorporated less than this many days before signing is "newly created"
#: (IMCO's "empresas de reciente creación" and GTI's new-company flag use one year).
NEW_COMPANY_DAYS = 365


def rfc_date(rfc: str, reference: dt.date) -> dt.date | None:
    """The date encoded in ``rfc``, or None when it has none (generic, malformed, impossible
    date such as month 13).

    Two-digit years resolve to the latest century that does not put the date after
    ``reference`` (an RFC "250101" seen in 2024 means 1925, since no taxpayer is dated in
    the future of the contract that names it).
    """
    rfc = rfc.strip().upper()
    match = _RFC.match(rfc)
    if match is None or rfc in GENERIC:
        return None
    yy, mm, dd = (int(g) for g in match.group(2, 3, 4))
    century = reference.year // 100 * 100
    for year in (century + yy, century - 100 + yy):
        try:
            found = dt.date(year, mm, dd)
        except ValueError:
            return None
        if found <= reference:
            return found
    return None


def is_moral(rfc: str) -> bool:
    """True for a persona moral's RFC (12 characters, 3 letters)."""
    return len(rfc.strip()) == 12


def newly_created(rfc: str, signed_on: dt.date, days: int = NEW_COMPANY_DAYS) -> Flag:
    """NEW_COMPANY: the supplier (a persona moral) was incorporated fewer than ``days`` days
    before ``signed_on``. None for a persona física (the RFC's date is a birth date), a
    generic RFC, or an unreadable date."""
    code = "NEW_COMPANY"
    if not is_moral(rfc):
        return missing(code, "RFC of a persona física or generic: no incorporation date")
    created = rfc_date(rfc, signed_on)
    if created is None:
        return missing(code, "RFC carries no valid date")
    age = (signed_on - created).days
    return binary(
        code,
        age < days,
        {
            "rfc": rfc,
            "incorporated_on": created.isoformat(),
            "signed_on": signed_on.isoformat(),
            "age_days": age,
            "threshold_days": days,
        },
    )
