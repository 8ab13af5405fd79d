"""Find, parse and validate jurisdiction files; the deployment's choice comes from the environment.

A jurisdiction is either bundled (``src/besa/jurisdiction/files/<code>.toml``, chosen by code,
e.g. ``mx-federal``) or a TOML file anywhere on disk, chosen by path. Both go through the same
strict reading: every error is a ``JurisdictionError`` whose key is the dotted path of the bad
key, or the file itself for problems that precede any key (unreadable file, TOML syntax).
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from dataclasses import fields
from datetime import date
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, cast

from besa.exceptions import JurisdictionError
from besa.jurisdiction.calendar import WEEKDAYS, BusinessCalendar, HolidayRule
from besa.jurisdiction.model import (
    LEVELS,
    PERCENT,
    Coverage,
    DateLimits,
    Jurisdiction,
    Level,
    PortalSettings,
    Regime,
)
from besa.jurisdiction.table import StrictTable

#: Environment variable naming the deployment's jurisdiction: a bundled code or a file path.
ENV_VAR = "BESA_JURISDICTION"
#: Jurisdiction used when ``BESA_JURISDICTION`` is unset or empty.
DEFAULT = "mx-federal"

_BUNDLED_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_YEAR = re.compile(r"\d{4}")

# Keys each table may hold. Derived from the dataclasses so that adding a parameter to the
# model is enough to make the loader read it and the strict check accept it.
_ROOT_KEYS = tuple(f.name for f in fields(Jurisdiction))
_REGIME_KEYS = tuple(f.name for f in fields(Regime) if f.name != "code")
_CALENDAR_KEYS = ("rules", "holidays")
_RULE_KEYS = ("name", "on", "source", "every_years", "from_year", "until_year")
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_ORDINALS = ("first", "second", "third", "fourth")
_FIXED_DAY = re.compile(r"(\d{2})-(\d{2})")
_NTH_WEEKDAY = re.compile(
    rf"({'|'.join(_ORDINALS)}) ({'|'.join(WEEKDAYS)}) of ({'|'.join(_MONTHS)})"
)
_DATES_KEYS = tuple(f.name for f in fields(DateLimits))
_COVERAGE_KEYS = tuple(f.name for f in fields(Coverage))


def _bundled_dir() -> Traversable:
    return resources.files("besa.jurisdiction") / "files"


def shipped() -> list[str]:
    """Return the codes of the bundled jurisdiction files, sorted."""
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in _bundled_dir().iterdir()
        if entry.name.endswith(".toml")
    )


def load(path_or_code: str | os.PathLike[str]) -> Jurisdiction:
    """Load and validate a jurisdiction from a bundled code or a path to a ``.toml`` file.

    A string that looks like a code (lower-case words joined by '-', no '.toml') names a
    bundled file; anything else is a path. Raises ``JurisdictionError`` whose key is

    - the code or path as given, if there is no such bundled code or the file cannot be read;
    - the file (the path as given, or ``<code>.toml`` for a bundled one) if it is not UTF-8 or
      not valid TOML, with tomllib's line and column in the message;
    - otherwise the dotted path of the first bad key.

    Every call reads and validates the file again; ``from_env`` caches.
    """
    if isinstance(path_or_code, str) and _BUNDLED_CODE.fullmatch(path_or_code):
        if path_or_code not in shipped():
            raise JurisdictionError(
                path_or_code,
                f"no bundled jurisdiction has this code (bundled: {', '.join(shipped())}); "
                "give a path to a .toml file instead",
            )
        resource = _bundled_dir() / f"{path_or_code}.toml"
        return parse(resource.read_bytes(), source=f"{path_or_code}.toml")
    path = Path(path_or_code)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise JurisdictionError(str(path), f"cannot read the file: {exc.strerror}") from None
    return parse(content, source=str(path))


def parse(content: bytes, source: str) -> Jurisdiction:
    """Validate the bytes of a jurisdiction file; ``source`` is the key used for file errors."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JurisdictionError(source, f"not UTF-8 text: {exc.reason}") from None
    try:
        # parse_float=Decimal keeps amounts and percentages exact.
        document = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise JurisdictionError(source, f"not valid TOML: {exc}") from None
    return _read_jurisdiction(StrictTable(document, "", _ROOT_KEYS))


def from_env() -> Jurisdiction:
    """Return the jurisdiction named by ``BESA_JURISDICTION`` (default ``mx-federal``).

    The variable is read on every call; the jurisdiction is loaded once per distinct value
    and then shared (it is immutable), so calling this on every request is cheap. A file
    edited on disk is not reloaded until the process restarts. Errors are those of ``load``,
    with the variable's value added to the message.
    """
    value = os.environ.get(ENV_VAR, "").strip() or DEFAULT
    try:
        return _load_cached(value)
    except JurisdictionError as exc:
        raise JurisdictionError(exc.key, f"{exc.message} ({ENV_VAR}={value!r})") from exc


@functools.lru_cache(maxsize=8)
def _load_cached(value: str) -> Jurisdiction:
    return load(value)


def _read_jurisdiction(root: StrictTable) -> Jurisdiction:
    # Read in the order the bundled files use, so the first error reported is the first one a
    # reader of the file meets; value checks follow in the constructor.
    code = root.text("code")
    name = root.text("name")
    name_en = root.text("name_en")
    level = root.text("level")
    if level not in LEVELS:
        raise JurisdictionError("level", f"must be one of {', '.join(LEVELS)}, got {level!r}")
    currency = root.text("currency")
    registration_threshold = root.number("registration_threshold")
    guarantee_beneficiary = root.text("guarantee_beneficiary")
    ocid_prefix = root.text("ocid_prefix")
    timezone = root.text("timezone")
    default_regime = root.text("default_regime")
    regimes_table = root.table("regimes")
    regimes = {
        regime_code: _read_regime(regime_code, regimes_table.table(regime_code, _REGIME_KEYS))
        for regime_code in regimes_table.names()
    }
    calendar = _read_calendar(root.table("calendar", _CALENDAR_KEYS))
    dates = _read_dates(root.table("dates", _DATES_KEYS)) if root.has("dates") else DateLimits()
    coverage = (
        _read_coverage(root.table("coverage", _COVERAGE_KEYS))
        if root.has("coverage")
        else Coverage()
    )
    portal = (
        _read_portal(root.table("portal", _PORTAL_KEYS)) if root.has("portal") else PortalSettings()
    )
    return Jurisdiction(
        code=code,
        name=name,
        name_en=name_en,
        level=cast(Level, level),  # checked against LEVELS above
        currency=currency,
        registration_threshold=registration_threshold,
        guarantee_beneficiary=guarantee_beneficiary,
        ocid_prefix=ocid_prefix,
        timezone=timezone,
        default_regime=default_regime,
        regimes=regimes,
        calendar=calendar,
        dates=dates,
        coverage=coverage,
        portal=portal,
    )


_PORTAL_KEYS = ("public_alerts", "public_audits")


def _read_portal(table: StrictTable) -> PortalSettings:
    """``[portal]``: ``public_alerts`` is required in it; ``public_audits`` defaults to
    ``none`` (files written before audits existed stay valid)."""
    audits = table.text("public_audits") if table.has("public_audits") else "none"
    return PortalSettings(public_alerts=table.text("public_alerts"), public_audits=audits)


def _read_coverage(table: StrictTable) -> Coverage:
    """The optional ``[coverage]`` table; each key it leaves out keeps its default."""
    defaults = Coverage()
    return Coverage(
        covered_from=table.optional_day("covered_from"),
        completion_business_days=(
            table.integer("completion_business_days")
            if table.has("completion_business_days")
            else defaults.completion_business_days
        ),
    )


def _read_dates(table: StrictTable) -> DateLimits:
    """The optional ``[dates]`` table; each key it leaves out keeps its default."""
    defaults = DateLimits()
    return DateLimits(
        earliest=table.day("earliest") if table.has("earliest") else defaults.earliest,
        fact_tolerance_days=(
            table.integer("fact_tolerance_days")
            if table.has("fact_tolerance_days")
            else defaults.fact_tolerance_days
        ),
        schedule_horizon_years=(
            table.integer("schedule_horizon_years")
            if table.has("schedule_horizon_years")
            else defaults.schedule_horizon_years
        ),
    )


def _read_regime(code: str, table: StrictTable) -> Regime:
    name = table.text("name")
    legal_reference = table.text("legal_reference")
    effective_from = table.day("effective_from")
    effective_until = table.optional_day("effective_until")
    # Any: each parameter's static type (int or Decimal) follows from its unit, checked here.
    parameters: dict[str, Any] = {}
    for parameter in Regime.parameter_names():
        is_percent = Regime.unit_of(parameter) == PERCENT
        parameters[parameter] = table.number(parameter) if is_percent else table.integer(parameter)
    return Regime(
        code=code,
        name=name,
        legal_reference=legal_reference,
        effective_from=effective_from,
        effective_until=effective_until,
        **parameters,
    )


def _read_calendar(table: StrictTable) -> BusinessCalendar:
    rules = tuple(_read_rule(rule) for rule in table.tables("rules", _RULE_KEYS))
    holidays_table = table.table("holidays")
    declared: dict[int, frozenset[date]] = {}
    for name in holidays_table.names():
        key = holidays_table.key(name)
        if not _YEAR.fullmatch(name):
            raise JurisdictionError(key, 'holiday lists are keyed by year, e.g. "2026"')
        year = int(name)
        days: set[date] = set()
        for index, day in enumerate(holidays_table.days(name)):
            if day.year != year:
                raise JurisdictionError(f"{key}[{index}]", f"{day.isoformat()} is not in {year}")
            if day in days:
                raise JurisdictionError(f"{key}[{index}]", f"{day.isoformat()} is listed twice")
            days.add(day)
        declared[year] = frozenset(days)
    return BusinessCalendar(rules=rules, declared=declared)


def _read_rule(table: StrictTable) -> HolidayRule:
    """One ``[[calendar.rules]]`` item; ``on`` is ``"MM-DD"`` or ``"third monday of march"``."""
    name = table.text("name")
    on = table.text("on")
    source = table.text("source")
    every = table.integer("every_years") if table.has("every_years") else 1
    first_year = table.integer("from_year") if table.has("from_year") else None
    last_year = table.integer("until_year") if table.has("until_year") else None
    day: int | None = None
    weekday: int | None = None
    nth: int | None = None
    if fixed := _FIXED_DAY.fullmatch(on):
        month, day = int(fixed[1]), int(fixed[2])
    elif movable := _NTH_WEEKDAY.fullmatch(on.strip().lower()):
        month = _MONTHS.index(movable[3]) + 1
        weekday = WEEKDAYS.index(movable[2])
        nth = _ORDINALS.index(movable[1]) + 1
    else:
        raise JurisdictionError(
            table.key("on"), f'{on!r}: write "MM-DD" or e.g. "third monday of march"'
        )
    return HolidayRule(
        name=name,
        source=source,
        month=month,
        day=day,
        weekday=weekday,
        nth=nth,
        every=every,
        first_year=first_year,
        last_year=last_year,
        key=table.path,
    )
