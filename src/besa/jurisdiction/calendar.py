"""Business-day arithmetic over rule-based holidays plus each year's declared non-working days.

Legal deadlines in Mexican procurement are counted either in natural days (every calendar day)
or in business days (días hábiles: not Saturday, not Sunday, not an official non-working day).
The non-working days come from two sources, and the calendar keeps them apart:

- **rules** that the law fixes for every year (LFT art. 74, LFPA art. 28): fixed dates such as
  1 January, movable Mondays such as the third Monday of March, and the day of the transmission
  of the Federal Executive every six years. A rule answers for any year, so the calendar never
  runs out.
- **declared days** that an authority declares non-working year by year (the SFP/SABG acuerdo
  in the DOF: Holy Thursday and Friday, 2 November, 12 December, vacation periods). They are
  data, listed per year in the jurisdiction file. A year the file lists is *confirmed*; any
  other year is still computed, from the rules alone, and ``unconfirmed`` names it so that
  start-up can warn (never fail) until someone adds that year's list.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

from besa.exceptions import JurisdictionError

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5  # date.weekday(): Monday is 0, so 5 and 6 are the weekend

#: Weekday names a rule may use, Monday first (``date.weekday()`` order).
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


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
class HolidayRule:
    """A non-working day the law fixes by rule, e.g. "the third Monday of March".

    Contract: exactly one of ``day`` (a fixed day of ``month``) or ``weekday`` with ``nth``
    (the nth such weekday of ``month``, 1 to 4) is set. ``every`` > 1 makes the rule apply
    only every that many years counted from ``first_year`` (which is then required); the rule
    never applies before ``first_year`` nor after ``last_year`` when they are set. ``key`` is
    the rule's place in the jurisdiction file, used in error messages.
    """

    name: str
    source: str
    month: int
    day: int | None = None
    weekday: int | None = None
    nth: int | None = None
    every: int = 1
    first_year: int | None = None
    last_year: int | None = None
    key: str = "calendar.rules"

    def __post_init__(self) -> None:
        for label, text in (("name", self.name), ("source", self.source)):
            if not text.strip():
                raise JurisdictionError(f"{self.key}.{label}", "must not be empty")
        if not 1 <= self.month <= 12:
            raise JurisdictionError(f"{self.key}.on", f"no month {self.month}")
        if (self.day is None) == (self.weekday is None):
            raise JurisdictionError(f"{self.key}.on", "give either a day or a weekday, not both")
        if self.day is not None and not 1 <= self.day <= _longest(self.month):
            raise JurisdictionError(f"{self.key}.on", f"no day {self.day} in month {self.month}")
        if self.weekday is not None and (self.nth is None or not 1 <= self.nth <= 4):
            raise JurisdictionError(f"{self.key}.on", "a weekday rule needs nth from 1 to 4")
        if self.every < 1:
            raise JurisdictionError(f"{self.key}.every_years", "must be >= 1")
        if self.every > 1 and self.first_year is None:
            raise JurisdictionError(
                f"{self.key}.from_year", "required with every_years: the cycle starts there"
            )
        if (
            self.first_year is not None
            and self.last_year is not None
            and self.last_year < self.first_year
        ):
            raise JurisdictionError(f"{self.key}.until_year", "is before from_year")

    def on(self, year: int) -> date | None:
        """The day this rule makes non-working in ``year``, or ``None`` if it does not apply."""
        first = self.first_year
        if first is not None and (year < first or (year - first) % self.every):
            return None
        if self.last_year is not None and year > self.last_year:
            return None
        if self.day is not None:
            if self.day > _stdlib_calendar.monthrange(year, self.month)[1]:
                return None  # 29 February outside a leap year
            return date(year, self.month, self.day)
        assert self.weekday is not None and self.nth is not None  # checked on construction
        start = date(year, self.month, 1)
        offset = (self.weekday - start.weekday()) % 7 + 7 * (self.nth - 1)
        return start + timedelta(days=offset)


def _longest(month: int) -> int:
    return _stdlib_calendar.monthrange(2024, month)[1]  # 2024 is a leap year


@dataclass(frozen=True)
class BusinessCalendar:
    """The business-day calendar of one jurisdiction.

    Contract:

    - A day is a holiday when a rule falls on it or when it is listed in ``declared`` under
      its year. A listed day may coincide with a rule day (a DOF acuerdo often repeats them);
      it then counts once. A holiday on a weekend is allowed and changes nothing.
    - ``declared`` maps each *confirmed* year to its declared days (possibly none). Every
      method answers for every year; ``unconfirmed`` tells which years had no list.
    - Instances are immutable as far as callers can see and safe to share between threads
      (a per-year cache fills in lazily; filling it twice gives the same values).
    """

    rules: tuple[HolidayRule, ...]
    declared: Mapping[int, frozenset[date]] = field(hash=False)
    #: Sorted ordinals of the holidays of one year that fall on a weekday, built on first use.
    _by_year: dict[int, tuple[int, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        for year, days in self.declared.items():
            for day in sorted(days):
                if day.year != year:
                    raise JurisdictionError(
                        f"calendar.holidays.{year}", f"{day.isoformat()} is not in {year}"
                    )
        # The dataclass is frozen; the read-only view is set once, here, and never changed.
        object.__setattr__(self, "declared", MappingProxyType(dict(self.declared)))

    @property
    def confirmed_years(self) -> tuple[int, ...]:
        """The years whose declared non-working days the file lists, in order."""
        return tuple(sorted(self.declared))

    def unconfirmed(self, years: Iterable[int]) -> list[int]:
        """Those of ``years`` without a list of declared days, in order: counted from the rules
        alone, so deadlines that cross a day the authority later declares may come out short."""
        return sorted(year for year in set(years) if year not in self.declared)

    def holidays(self, year: int) -> frozenset[date]:
        """Every non-working day of ``year`` besides weekends: rule days plus declared days."""
        found = {day for rule in self.rules if (day := rule.on(year)) is not None}
        return frozenset(found | self.declared.get(year, frozenset()))

    def is_business_day(self, day: date) -> bool:
        """Tell whether ``day`` is a business day: not Saturday or Sunday and not a holiday."""
        return day.weekday() < _SATURDAY and day.toordinal() not in self._weekday_holidays(day.year)

    def add_business_days(self, start: date, count: int) -> date:
        """Return the ``count``-th business day after ``start``.

        ``start`` itself never counts and need not be a business day: 5 business days after a
        Saturday is the Friday after next when the week has no holiday. ``count == 0`` returns
        ``start`` unchanged. Raises ``ValueError`` for a negative count.
        """
        if count < 0:
            raise ValueError(f"count must be >= 0, got {count}")
        result = start
        remaining = count
        while remaining:
            # Jump over `remaining` weekdays at once, then make up for the holidays jumped over.
            target = _add_weekdays(result, remaining)
            remaining = self._weekday_holidays_between(result, target)
            result = target
        return result

    def business_days_between(self, start: date, end: date) -> int:
        """Count the business days in the half-open interval (``start``, ``end``].

        So ``business_days_between(d, add_business_days(d, n)) == n``. When ``end`` is before
        ``start`` the result is the negated count of (``end``, ``start``], which keeps
        ``between(a, b) + between(b, c) == between(a, c)`` for any three dates.
        """
        if end < start:
            return -self.business_days_between(end, start)
        if end == start:
            return 0
        return _weekdays_between(start, end) - self._weekday_holidays_between(start, end)

    def add_natural_days(self, start: date, count: int) -> date:
        """Return ``start`` plus ``count`` natural (calendar) days; ``count`` must be >= 0.

        It lives here so that rule code asks the calendar for both kinds of deadline in the
        same way.
        """
        if count < 0:
            raise ValueError(f"count must be >= 0, got {count}")
        return start + timedelta(days=count)

    def _weekday_holidays(self, year: int) -> tuple[int, ...]:
        """Sorted ordinals of ``year``'s holidays that fall on a weekday (cached per year)."""
        cached = self._by_year.get(year)
        if cached is None:
            weekday = (d.toordinal() for d in self.holidays(year) if d.weekday() < _SATURDAY)
            cached = self._by_year[year] = tuple(sorted(weekday))
        return cached

    def _weekday_holidays_between(self, start: date, end: date) -> int:
        """Count holidays that fall on a weekday in (start, end]; requires start <= end."""
        total = 0
        low, high = start.toordinal(), end.toordinal()
        for year in range(start.year, end.year + 1):
            ordinals = self._weekday_holidays(year)
            total += bisect_right(ordinals, high) - bisect_right(ordinals, low)
        return total
