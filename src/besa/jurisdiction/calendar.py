"""Business-day arithmetic over a jurisdiction's explicit, year-by-year holiday list.

Legal deadlines in Mexican procurement are counted either in natural days (every calendar day)
or in business days (días hábiles: not Saturday, not Sunday, not an official non-working day).
The non-working days change every year (movable Mondays, Holy Week, the yearly DOF acuerdo), so
the calendar only answers for the years its file lists. A question about any other year raises
instead of guessing, because treating an unlisted year as holiday-free would silently shorten
every deadline that crosses a holiday.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

from besa.exceptions import JurisdictionError

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5  # date.weekday(): Monday is 0, so 5 and 6 are the weekend


def _weekdays_before(ordinal: int) -> int:
    """Count Monday-to-Friday days with proleptic ordinal in [1, ordinal).

    Ordinal 1 (0001-01-01) is a Monday, so whole weeks contribute five weekdays each and the
    remainder contributes at most five.
    """
    weeks, rest = divmod(ordinal - 1, 7)
    return weeks * 5 + min(rest, 5)


def _weekdays_between(start: date, end: date) -> int:
    """Count Monday-to-Friday days in the half-open interval (start, end]; requires start <= end."""
    return _weekdays_before(end.toordinal() + 1) - _weekdays_before(start.toordinal() + 1)


def _add_weekdays(start: date, count: int) -> date:
    """Return the count-th Monday-to-Friday day after start; requires count >= 1."""
    weekday = start.weekday()
    if weekday >= _SATURDAY:
        # The weekdays after a Saturday or Sunday are the same as those after the Friday before.
        start -= timedelta(days=weekday - 4)
        weekday = 4
    weeks, rest = divmod(count, 5)
    extra = rest + 2 if weekday + rest >= _SATURDAY else rest
    return start + timedelta(days=weeks * 7 + extra)


@dataclass(frozen=True)
class BusinessCalendar:
    """The business-day calendar of one jurisdiction.

    Contract:

    - ``holidays`` are the official non-working days; a holiday that falls on a weekend is
      allowed (the law lists dates, not weekdays) and changes nothing.
    - ``years`` is the consecutive range of years the file lists (``range(2021, 2028)`` covers
      2021 to 2027). Every holiday lies inside it.
    - Every method that has to know whether some day is a business day raises
      ``JurisdictionError`` with key ``calendar.holidays.<year>`` when that day's year is not
      covered. Only the days a method actually examines must be covered.
    - Instances are immutable and safe to share between threads.
    """

    holidays: frozenset[date]
    years: range
    #: Ordinals of the holidays that fall on a weekday, sorted, for counting with bisect.
    _weekday_holidays: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.years.step != 1 or len(self.years) == 0:
            raise JurisdictionError(
                "calendar.holidays", "must list at least one year, with no gaps between years"
            )
        for day in sorted(self.holidays):
            if day.year not in self.years:
                raise JurisdictionError(
                    f"calendar.holidays.{day.year}",
                    f"holiday {day.isoformat()} lies outside the covered years "
                    f"{self.years.start}-{self.years.stop - 1}",
                )
        ordinals = sorted(d.toordinal() for d in self.holidays if d.weekday() < _SATURDAY)
        # The dataclass is frozen; this derived index is set once, here, and never changed.
        object.__setattr__(self, "_weekday_holidays", tuple(ordinals))

    def is_business_day(self, day: date) -> bool:
        """Tell whether ``day`` is a business day: not Saturday or Sunday and not a holiday.

        Raises ``JurisdictionError`` if ``day``'s year is not covered.
        """
        self._require_covered(day, day)
        return day.weekday() < _SATURDAY and day not in self.holidays

    def add_business_days(self, start: date, count: int) -> date:
        """Return the ``count``-th business day after ``start``.

        ``start`` itself never counts and need not be a business day: 5 business days after a
        Saturday is the Friday after next when the week has no holiday. ``count == 0`` returns
        ``start`` unchanged. Raises ``ValueError`` for a negative count and
        ``JurisdictionError`` if a day that has to be examined lies in a year not covered.
        """
        if count < 0:
            raise ValueError(f"count must be >= 0, got {count}")
        result = start
        remaining = count
        while remaining:
            # Jump over `remaining` weekdays at once, then make up for the holidays jumped over.
            target = _add_weekdays(result, remaining)
            self._require_covered(result + _ONE_DAY, target)
            remaining = self._weekday_holidays_between(result, target)
            result = target
        return result

    def business_days_between(self, start: date, end: date) -> int:
        """Count the business days in the half-open interval (``start``, ``end``].

        So ``business_days_between(d, add_business_days(d, n)) == n``. When ``end`` is before
        ``start`` the result is the negated count of (``end``, ``start``], which keeps
        ``between(a, b) + between(b, c) == between(a, c)`` for any three dates. Raises
        ``JurisdictionError`` if a day in the counted interval lies in a year not covered.
        """
        if end < start:
            return -self.business_days_between(end, start)
        if end == start:
            return 0
        self._require_covered(start + _ONE_DAY, end)
        return _weekdays_between(start, end) - self._weekday_holidays_between(start, end)

    def add_natural_days(self, start: date, count: int) -> date:
        """Return ``start`` plus ``count`` natural (calendar) days; ``count`` must be >= 0.

        Natural days need no holiday list, so this works for any year. It lives here so that
        rule code asks the calendar for both kinds of deadline in the same way.
        """
        if count < 0:
            raise ValueError(f"count must be >= 0, got {count}")
        return start + timedelta(days=count)

    def _weekday_holidays_between(self, start: date, end: date) -> int:
        """Count holidays that fall on a weekday in (start, end]; requires start <= end."""
        ordinals = self._weekday_holidays
        return bisect_right(ordinals, end.toordinal()) - bisect_right(ordinals, start.toordinal())

    def _require_covered(self, first: date, last: date) -> None:
        """Raise unless every year from first.year to last.year is covered (first <= last)."""
        if first.year not in self.years:
            missing = first.year
        elif last.year not in self.years:
            missing = self.years.stop  # first is covered and years are consecutive
        else:
            return
        raise JurisdictionError(
            f"calendar.holidays.{missing}",
            f"the jurisdiction file lists no holidays for {missing} (it covers "
            f"{self.years.start}-{self.years.stop - 1}); add that year's non-working days "
            "before counting business days in it",
        )
