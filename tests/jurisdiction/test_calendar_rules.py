"""Calendars that never run out: the law's holidays by rule in any year, each year's declared
days from the file, and a warning (never a failure) for a year whose declared days are missing."""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import pytest
import time_machine
from django.core import checks

from besa.jurisdiction import BusinessCalendar, load
from besa.jurisdiction.calendar import HolidayRule
from besa.registry.checks import UNCONFIRMED_YEAR, unconfirmed_calendar_years

MEXICO_CITY = dt.timezone(dt.timedelta(hours=-6))


@pytest.fixture(scope="module")
def calendar() -> BusinessCalendar:
    return load("mx-federal").calendar


def nth_monday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(-first.weekday()) % 7 + 7 * (n - 1))


@pytest.mark.parametrize("year", range(2028, 2041))
def test_a_year_beyond_the_file_counts_the_holidays_of_the_law(
    calendar: BusinessCalendar, year: int
) -> None:
    expected = {
        date(year, 1, 1),
        nth_monday(year, 2, 1),
        nth_monday(year, 3, 3),
        date(year, 5, 1),
        date(year, 5, 5),
        date(year, 9, 16),
        nth_monday(year, 11, 3),
        date(year, 12, 25),
    }
    if (year - 2024) % 6 == 0:
        expected.add(date(year, 10, 1))

    assert calendar.holidays(year) == expected


@pytest.mark.parametrize(
    ("day", "is_holiday"),
    [
        (date(2006, 12, 1), True),  # old rule: 1 December every six years until 2018
        (date(2012, 12, 3), False),  # (2012-12-01 was a Saturday: nothing moves to Monday)
        (date(2018, 12, 1), True),
        (date(2024, 12, 2), False),  # no 1 December after the 2014 reform...
        (date(2024, 10, 1), True),  # ...but 1 October, from 2024
        (date(2030, 10, 1), True),
        (date(2031, 10, 1), False),
        (date(2036, 10, 1), True),
        (date(2018, 10, 1), False),  # the new rule does not reach back
    ],
)
def test_the_transmission_of_the_executive_follows_the_rule_of_its_time(
    calendar: BusinessCalendar, day: date, is_holiday: bool
) -> None:
    assert (day in calendar.holidays(day.year)) is is_holiday


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2031, 3, 14), 1, date(2031, 3, 18)),  # Fri -> over the weekend and Mon 17 March
        (date(2031, 3, 14), 5, date(2031, 3, 24)),
        (date(2031, 3, 17), 1, date(2031, 3, 18)),  # starting on the holiday itself
        (date(2031, 3, 15), 1, date(2031, 3, 18)),  # starting on the Saturday before it
        (date(2030, 9, 30), 1, date(2030, 10, 2)),  # over 1 October 2030 (transmission)
        (date(2031, 9, 30), 1, date(2031, 10, 1)),  # 1 October 2031 is a working day
        (date(2029, 12, 31), 1, date(2030, 1, 2)),  # into a new year, over 1 January
        (date(2032, 4, 30), 1, date(2032, 5, 3)),  # 1 May 2032 is a Saturday: no effect
        (date(2033, 4, 29), 1, date(2033, 5, 2)),  # 1 May 2033 is a Sunday: Monday works
        (date(2033, 5, 4), 1, date(2033, 5, 6)),  # over Thursday 5 May (LFPA art. 28)
        (date(2030, 12, 24), 1, date(2030, 12, 26)),  # over Christmas
        (date(2028, 1, 1), 0, date(2028, 1, 1)),  # zero days: the start itself
    ],
)
def test_business_days_skip_weekends_and_the_holidays_of_the_law_in_any_year(
    calendar: BusinessCalendar, start: date, count: int, expected: date
) -> None:
    assert calendar.add_business_days(start, count) == expected
    assert calendar.business_days_between(start, expected) == count


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2031, 3, 14), True),  # the Friday before the third Monday of March
        (date(2031, 3, 17), False),  # the third Monday of March
        (date(2031, 3, 18), True),  # the Tuesday after it
        (date(2031, 3, 10), True),  # the second Monday is a working day
        (date(2031, 3, 22), False),  # a Saturday
    ],
)
def test_a_day_beyond_the_file_is_a_business_day_unless_weekend_or_rule(
    calendar: BusinessCalendar, day: date, expected: bool
) -> None:
    assert calendar.is_business_day(day) is expected


def test_business_day_arithmetic_beyond_the_file_agrees_with_counting_day_by_day(
    calendar: BusinessCalendar,
) -> None:
    def naive_add(start: date, count: int) -> date:
        day = start
        while count:
            day += timedelta(days=1)
            count -= calendar.is_business_day(day)
        return day

    start = date(2027, 11, 1)
    for offset in range(365 * 4 + 90):
        day = start + timedelta(days=offset)
        for count in (1, 3, 5, 15, 40):
            result = calendar.add_business_days(day, count)
            assert result == naive_add(day, count), (day, count)
            assert calendar.business_days_between(day, result) == count, (day, count)


def test_a_declared_day_that_is_also_a_rule_day_counts_once() -> None:
    new_year = HolidayRule(name="Año Nuevo", source="LFT art. 74 fr. I", month=1, day=1)
    listed = BusinessCalendar(
        rules=(new_year,), declared={2027: frozenset({date(2027, 1, 1), date(2027, 1, 4)})}
    )

    # (Thu 31 Dec, Wed 6 Jan]: Fri 1 (rule and listed) and Mon 4 (listed) are off.
    assert listed.business_days_between(date(2026, 12, 31), date(2027, 1, 6)) == 2


def test_the_years_without_declared_days_are_named_as_unconfirmed(
    calendar: BusinessCalendar,
) -> None:
    assert calendar.unconfirmed([2026, 2027, 2028, 2031]) == [2028, 2031]
    assert calendar.unconfirmed(range(2021, 2028)) == []


def test_an_empty_list_confirms_a_year_with_no_declared_days(tmp_path: Path) -> None:
    text = (resources.files("besa.jurisdiction") / "files" / "mx-federal.toml").read_text()
    path = tmp_path / "x.toml"
    path.write_text(text.replace("[calendar.holidays]\n", '[calendar.holidays]\n"2028" = []\n'))

    extended = load(path).calendar

    assert extended.unconfirmed([2028]) == []
    assert extended.holidays(2028) == load("mx-federal").calendar.holidays(2028)


def _calendar_warnings() -> list[checks.CheckMessage]:
    # The registered check itself (the others, e.g. the triggers check, need a database).
    assert unconfirmed_calendar_years in checks.registry.registry.get_checks()
    return [m for m in unconfirmed_calendar_years() if m.id == UNCONFIRMED_YEAR]


@pytest.mark.parametrize(
    ("now", "years"),
    [
        (dt.datetime(2026, 6, 1, 12, tzinfo=MEXICO_CITY), []),
        (dt.datetime(2027, 6, 1, 12, tzinfo=MEXICO_CITY), [2028]),
        (dt.datetime(2031, 6, 1, 12, tzinfo=MEXICO_CITY), [2031, 2032]),
    ],
)
def test_start_up_warns_about_this_or_next_year_without_declared_days(
    monkeypatch: pytest.MonkeyPatch, now: dt.datetime, years: list[int]
) -> None:
    monkeypatch.delenv("BESA_JURISDICTION", raising=False)
    with time_machine.travel(now, tick=False):
        warnings = _calendar_warnings()

    assert len(warnings) == len(years)
    for warning, year in zip(warnings, years, strict=True):
        assert warning.level == checks.WARNING
        assert f"no declared non-working days for {year}:" in warning.msg
