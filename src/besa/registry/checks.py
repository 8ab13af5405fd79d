"""Start-up checks of the deployment's jurisdiction (Django system checks).

Every ``besa`` command that runs system checks (``serve``, ``worker``, ``migrate``, ``check``)
prints these warnings on start; they never stop a command, and a deadline in an unconfirmed
year is still counted, from the calendar's rules.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.utils import timezone

from besa.jurisdiction import ENV_VAR, from_env

#: Id of the warning for a year without its declared non-working days.
UNCONFIRMED_YEAR = "besa.W001"


def unconfirmed_calendar_years(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn once per year, this year and next, whose declared non-working days (the yearly
    DOF acuerdo) the jurisdiction file does not list. Next year is included because deadlines
    that start in the last weeks of a year end in the next one."""
    jurisdiction = from_env()
    this_year = timezone.now().astimezone(jurisdiction.zone).year
    return [
        checks.Warning(
            f"the jurisdiction {jurisdiction.code!r} lists no declared non-working days for "
            f"{year}: business days in {year} are counted from the rules of the law alone",
            hint=(
                f'add "{year}" = [...] under [calendar.holidays] in the jurisdiction file '
                f"({ENV_VAR}) once that year's acuerdo is published ([] if it declares none)"
            ),
            id=UNCONFIRMED_YEAR,
        )
        for year in jurisdiction.calendar.unconfirmed((this_year, this_year + 1))
    ]
