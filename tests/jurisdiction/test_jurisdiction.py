"""The jurisdiction files: bundled ones load, regimes switch on the right day, business days skip
holidays, and every kind of malformed file is refused with the bad key named."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from besa import jurisdiction
from besa.exceptions import JurisdictionError
from besa.jurisdiction import BusinessCalendar, Jurisdiction, Regime, from_env, load, shipped

# A small but complete file. OLD and NEW share the boundary day 2025-04-17 on purpose. Malformed
# variants below replace the FIRST occurrence of a snippet, which is always in OLD or above it.
MINIMAL = """\
code = "xx-test"
name = "Jurisdicción de prueba"
name_en = "Test jurisdiction"
level = "federal"
currency = "MXN"
registration_threshold = 15000000
guarantee_beneficiary = "Tesorería de prueba"
ocid_prefix = "ocds-test00"
timezone = "America/Mexico_City"
default_regime = "NEW"

[regimes.OLD]
name = "Ley anterior"
legal_reference = "DOF 2000-01-04"
effective_from = 2000-01-05
effective_until = 2025-04-17
registration_business_days = 5
formalisation_days = 15
performance_guarantee_days = 10
guarantee_percent = 10
invoice_review_business_days = 3
payment_days = 20
amendment_max_percent = 20
penalty_cap_exempt_percent = 20
rescission_answer_business_days = 5
rescission_resolution_days = 15
closure_days = 60
escalation_business_days = 5
inactivity_days = 60
direct_award_budget_cap_percent = 30
open_contract_min_percent = 40
publication_business_days = 0
delivery_delay_high_days = 30
penalty_cap_decision_days = 15
compliance_opinion_validity_days = 30
term_extension_max_count = 2
term_extension_max_percent = 100
unacceptable_price_percent = 10
inconvenient_price_percent = 40

[regimes.NEW]
name = "Ley nueva"
legal_reference = "DOF 2025-04-16"
effective_from = 2025-04-17
registration_business_days = 5
formalisation_days = 15
performance_guarantee_days = 10
guarantee_percent = 12.5
invoice_review_business_days = 3
payment_days = 20
amendment_max_percent = 20
penalty_cap_exempt_percent = 20
rescission_answer_business_days = 5
rescission_resolution_days = 15
closure_days = 60
escalation_business_days = 5
inactivity_days = 60
direct_award_budget_cap_percent = 20
open_contract_min_percent = 40
publication_business_days = 15
delivery_delay_high_days = 30
penalty_cap_decision_days = 15
compliance_opinion_validity_days = 30
term_extension_max_count = 2
term_extension_max_percent = 100
unacceptable_price_percent = 10
inconvenient_price_percent = 40

[[calendar.rules]]
name = "Año Nuevo"
on = "01-01"
source = "LFT art. 74 fr. I"

[[calendar.rules]]
name = "Transmisión del Poder Ejecutivo"
on = "10-01"
every_years = 6
from_year = 2024
source = "LFT art. 74 fr. VII"

[calendar.holidays]
"2025" = [2025-12-25]
"2026" = [2026-01-01, 2026-03-16]
"""

PARAMETERS = [
    "registration_business_days",
    "formalisation_days",
    "performance_guarantee_days",
    "guarantee_percent",
    "invoice_review_business_days",
    "payment_days",
    "amendment_max_percent",
    "penalty_cap_exempt_percent",
    "rescission_answer_business_days",
    "rescission_resolution_days",
    "closure_days",
    "escalation_business_days",
    "inactivity_days",
    "direct_award_budget_cap_percent",
    "open_contract_min_percent",
    "publication_business_days",
    "delivery_delay_high_days",
    "penalty_cap_decision_days",
    "compliance_opinion_validity_days",
    "term_extension_max_count",
    "term_extension_max_percent",
    "unacceptable_price_percent",
    "inconvenient_price_percent",
]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "jurisdiction.toml"
    path.write_text(text, encoding="utf-8")
    return path


def mutated(old: str, new: str) -> str:
    assert old in MINIMAL, f"test bug: {old!r} is not in MINIMAL"
    return MINIMAL.replace(old, new, 1)


@pytest.fixture(scope="module")
def federal() -> Jurisdiction:
    return load("mx-federal")


@pytest.fixture(scope="module")
def calendar(federal: Jurisdiction) -> BusinessCalendar:
    return federal.calendar


# --- bundled files -----------------------------------------------------------------------------


def test_the_bundled_files_are_federal_and_sonora() -> None:
    assert shipped() == ["mx-federal", "mx-sonora"]


@pytest.mark.parametrize("code", ["mx-federal", "mx-sonora"])
def test_each_bundled_file_loads_under_its_own_code(code: str) -> None:
    loaded = load(code)

    assert loaded.code == code
    assert loaded.currency == "MXN"
    assert loaded.registration_threshold == Decimal(15_000_000)
    assert list(loaded.regimes) == ["LAASSP-2000", "LAASSP-2025"]
    assert loaded.default_regime == "LAASSP-2025"
    assert loaded.calendar.confirmed_years == tuple(range(2021, 2028))


def test_sonora_is_a_state_with_its_own_treasury_and_time_zone(federal: Jurisdiction) -> None:
    sonora = load("mx-sonora")

    assert (federal.level, sonora.level) == ("federal", "state")
    assert federal.guarantee_beneficiary == "Tesorería de la Federación (TESOFE)"
    assert sonora.guarantee_beneficiary == "Secretaría de Hacienda del Estado de Sonora"
    assert sonora.timezone == "America/Hermosillo"
    # Same deadlines and the federal holiday list until a deployment confirms state figures.
    assert sonora.regimes == federal.regimes
    assert sonora.calendar == federal.calendar


def test_a_bundled_file_loads_by_path_as_well(federal: Jurisdiction) -> None:
    path = Path(jurisdiction.__file__).parent / "files" / "mx-federal.toml"

    assert load(path) == federal
    assert load(str(path)) == federal


def test_the_regime_parameters_have_the_documented_names() -> None:
    assert list(Regime.parameter_names()) == PARAMETERS


@pytest.mark.parametrize(
    ("regime", "parameter", "value"),
    [
        ("LAASSP-2000", "registration_business_days", 5),
        ("LAASSP-2000", "formalisation_days", 15),
        ("LAASSP-2000", "performance_guarantee_days", 10),
        ("LAASSP-2000", "guarantee_percent", Decimal(10)),
        ("LAASSP-2000", "invoice_review_business_days", 3),
        ("LAASSP-2000", "payment_days", 20),
        ("LAASSP-2000", "amendment_max_percent", Decimal(20)),
        ("LAASSP-2000", "penalty_cap_exempt_percent", Decimal(20)),
        ("LAASSP-2000", "rescission_answer_business_days", 5),
        ("LAASSP-2000", "rescission_resolution_days", 15),
        ("LAASSP-2000", "closure_days", 60),
        ("LAASSP-2000", "escalation_business_days", 5),
        ("LAASSP-2000", "inactivity_days", 60),
        ("LAASSP-2000", "direct_award_budget_cap_percent", Decimal(30)),
        ("LAASSP-2000", "open_contract_min_percent", Decimal(40)),
        ("LAASSP-2000", "publication_business_days", 0),
        ("LAASSP-2000", "delivery_delay_high_days", 30),
        ("LAASSP-2025", "penalty_cap_decision_days", 15),
        ("LAASSP-2000", "compliance_opinion_validity_days", 30),
        ("LAASSP-2025", "term_extension_max_count", 2),
        ("LAASSP-2025", "term_extension_max_percent", Decimal(100)),
        ("LAASSP-2025", "unacceptable_price_percent", Decimal(10)),
        ("LAASSP-2025", "inconvenient_price_percent", Decimal(40)),
        ("LAASSP-2025", "direct_award_budget_cap_percent", Decimal(20)),
        ("LAASSP-2025", "publication_business_days", 15),
        ("LAASSP-2025", "payment_days", 20),
    ],
)
def test_a_regime_parameter_reads_as_an_attribute(
    federal: Jurisdiction, regime: str, parameter: str, value: int | Decimal
) -> None:
    assert getattr(federal.regime(regime), parameter) == value


# --- regimes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2000, 1, 5), "LAASSP-2000"),
        (date(2021, 10, 18), "LAASSP-2000"),
        (date(2025, 4, 16), "LAASSP-2000"),
        (date(2025, 4, 17), "LAASSP-2025"),
        (date(2040, 1, 1), "LAASSP-2025"),
    ],
)
def test_the_regime_in_force_switches_when_the_2025_law_takes_effect(
    federal: Jurisdiction, day: date, expected: str
) -> None:
    assert federal.regime_for(day).code == expected


def test_no_regime_is_in_force_before_the_2000_law(federal: Jurisdiction) -> None:
    with pytest.raises(JurisdictionError) as caught:
        federal.regime_for(date(2000, 1, 4))

    assert caught.value.key == "regimes"


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2025, 4, 16), "OLD"), (date(2025, 4, 17), "NEW"), (date(2025, 4, 18), "NEW")],
)
def test_the_later_regime_wins_on_a_shared_boundary_day(
    tmp_path: Path, day: date, expected: str
) -> None:
    assert load(write(tmp_path, MINIMAL)).regime_for(day).code == expected


def test_an_unknown_regime_code_is_named(federal: Jurisdiction) -> None:
    with pytest.raises(JurisdictionError) as caught:
        federal.regime("LAASSP-1993")

    assert caught.value.key == "regimes.LAASSP-1993"


def test_a_fractional_percentage_stays_exact(tmp_path: Path) -> None:
    assert load(write(tmp_path, MINIMAL)).regime("NEW").guarantee_percent == Decimal("12.5")


def test_an_ocid_is_the_prefix_and_the_local_id(federal: Jurisdiction) -> None:
    assert federal.ocid("LA-012345-E1-2026") == "ocds-besa00-LA-012345-E1-2026"


def test_a_jurisdiction_is_immutable_and_hashable(federal: Jurisdiction) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        federal.code = "mx-other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        federal.regimes["X"] = federal.regime("LAASSP-2000")  # type: ignore[index]

    assert {federal: 1}[load("mx-federal")] == 1


def test_a_regime_built_in_code_is_validated_like_one_read_from_a_file(
    federal: Jurisdiction,
) -> None:
    with pytest.raises(JurisdictionError) as caught:
        dataclasses.replace(federal.regime("LAASSP-2000"), payment_days=-1)

    assert caught.value.key == "regimes.LAASSP-2000.payment_days"


# --- business calendar -------------------------------------------------------------------------


def rule_based_holidays(year: int, easter: date) -> set[date]:
    """The holidays as the rules describe them, to check the literal lists in the files."""

    def nth_monday(month: int, n: int) -> date:
        first = date(year, month, 1)
        return first + timedelta(days=(-first.weekday()) % 7 + 7 * (n - 1))

    days = {
        date(year, 1, 1),
        nth_monday(2, 1),
        nth_monday(3, 3),
        easter - timedelta(days=3),  # Holy Thursday
        easter - timedelta(days=2),  # Good Friday
        date(year, 5, 1),
        date(year, 5, 5),
        date(year, 9, 16),
        date(year, 11, 2),
        nth_monday(11, 3),
        date(year, 12, 12),
        date(year, 12, 25),
    }
    if year == 2024:
        days.add(date(2024, 10, 1))  # transmission of the Federal Executive
    return days


@pytest.mark.parametrize("code", ["mx-federal", "mx-sonora"])
@pytest.mark.parametrize(
    "easter",
    [
        date(2021, 4, 4),
        date(2022, 4, 17),
        date(2023, 4, 9),
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2027, 3, 28),
    ],
)
def test_the_listed_holidays_follow_the_law_and_the_customary_acuerdo(
    code: str, easter: date
) -> None:
    counted = load(code).calendar.holidays(easter.year)

    assert counted == rule_based_holidays(easter.year, easter)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 13), True),  # Friday
        (date(2026, 3, 14), False),  # Saturday
        (date(2026, 3, 16), False),  # third Monday of March
        (date(2026, 3, 17), True),
        (date(2026, 4, 2), False),  # Holy Thursday
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 6), True),
        (date(2024, 10, 1), False),  # transmission of the Federal Executive
        (date(2025, 12, 12), False),
    ],
)
def test_a_business_day_is_a_weekday_that_is_not_a_holiday(
    calendar: BusinessCalendar, day: date, expected: bool
) -> None:
    assert calendar.is_business_day(day) is expected


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 3, 13), 0, date(2026, 3, 13)),  # zero days: the start itself
        (date(2026, 3, 13), 1, date(2026, 3, 17)),  # over the weekend and Monday 16 March
        (date(2026, 3, 14), 1, date(2026, 3, 17)),  # starting on a Saturday
        (date(2026, 3, 31), 3, date(2026, 4, 7)),  # over Holy Thursday and Good Friday
        (date(2026, 3, 27), 5, date(2026, 4, 7)),  # a whole Holy Week counts three days
        (date(2026, 1, 5), 10, date(2026, 1, 19)),  # two plain weeks
        (date(2025, 12, 24), 3, date(2025, 12, 30)),  # over Christmas
        (date(2025, 12, 31), 1, date(2026, 1, 2)),  # into next year's list, over 1 January
        (date(2020, 12, 31), 1, date(2021, 1, 4)),  # the start's year need not be covered
    ],
)
def test_adding_business_days_skips_weekends_and_holidays(
    calendar: BusinessCalendar, start: date, count: int, expected: date
) -> None:
    assert calendar.add_business_days(start, count) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 3, 16), date(2026, 3, 16), 0),
        (date(2026, 3, 13), date(2026, 3, 17), 1),  # (Fri, Tue]: only Tuesday counts
        (date(2026, 3, 31), date(2026, 4, 7), 3),
        (date(2026, 4, 7), date(2026, 3, 31), -3),  # reversed: negated
        (date(2025, 12, 24), date(2026, 1, 5), 6),
        (date(2020, 12, 31), date(2021, 1, 4), 1),
    ],
)
def test_business_days_between_counts_the_half_open_interval(
    calendar: BusinessCalendar, start: date, end: date, expected: int
) -> None:
    assert calendar.business_days_between(start, end) == expected


def test_business_day_arithmetic_agrees_with_counting_day_by_day(
    calendar: BusinessCalendar,
) -> None:
    def naive_add(start: date, count: int) -> date:
        day = start
        while count:
            day += timedelta(days=1)
            count -= calendar.is_business_day(day)
        return day

    start = date(2025, 1, 1)
    for offset in range(365 * 2):
        day = start + timedelta(days=offset)
        for count in (0, 1, 2, 3, 5, 10, 15, 20):
            result = calendar.add_business_days(day, count)
            assert result == naive_add(day, count), (day, count)
            assert calendar.business_days_between(day, result) == count, (day, count)


def test_natural_days_ignore_holidays_and_need_no_list(calendar: BusinessCalendar) -> None:
    assert calendar.add_natural_days(date(2026, 3, 13), 20) == date(2026, 4, 2)
    assert calendar.add_natural_days(date(2030, 1, 1), 1) == date(2030, 1, 2)


@pytest.mark.parametrize("method", ["add_business_days", "add_natural_days"])
def test_a_negative_count_is_a_programming_error(calendar: BusinessCalendar, method: str) -> None:
    with pytest.raises(ValueError, match="count must be >= 0"):
        getattr(calendar, method)(date(2026, 1, 5), -1)


# --- malformed files ---------------------------------------------------------------------------


def test_the_minimal_file_used_below_is_valid(tmp_path: Path) -> None:
    assert load(write(tmp_path, MINIMAL)).code == "xx-test"


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        # missing keys
        ("payment_days = 20\n", "", "regimes.OLD.payment_days"),
        ('currency = "MXN"\n', "", "currency"),
        ("effective_from = 2000-01-05\n", "", "regimes.OLD.effective_from"),
        (
            '[calendar.holidays]\n"2025" = [2025-12-25]\n"2026" = [2026-01-01, 2026-03-16]\n',
            "",
            "calendar.holidays",
        ),
        ("[[calendar.rules]]\nname", "[[calendar.ruels]]\nname", "calendar.ruels"),
        # unknown keys: a typo must not become a default
        ("payment_days = 20", "paymnet_days = 20", "regimes.OLD.paymnet_days"),
        ('code = "xx-test"', 'code = "xx-test"\ncolour = "blue"', "colour"),
        ("[calendar.holidays]", "[calender.holidays]", "calender"),
        (
            "[calendar.holidays]",
            "[calendar]\nweekend = [6, 7]\n[calendar.holidays]",
            "calendar.weekend",
        ),
        # wrong types
        ("payment_days = 20", 'payment_days = "20"', "regimes.OLD.payment_days"),
        ("payment_days = 20", "payment_days = true", "regimes.OLD.payment_days"),
        ("payment_days = 20", "payment_days = 20.5", "regimes.OLD.payment_days"),
        ('name_en = "Test jurisdiction"', "name_en = 5", "name_en"),
        (
            "registration_threshold = 15000000",
            'registration_threshold = "15 M"',
            "registration_threshold",
        ),
        ("[regimes.OLD]", "[regimes]\nOLD = 1\n[regimes.OTHER]", "regimes.OLD"),
        ('"2025" = [2025-12-25]', '"2025" = 2025-12-25', "calendar.holidays.2025"),
        # out-of-range values
        ("payment_days = 20", "payment_days = -1", "regimes.OLD.payment_days"),
        ("guarantee_percent = 10", "guarantee_percent = 100.5", "regimes.OLD.guarantee_percent"),
        ("guarantee_percent = 10", "guarantee_percent = -1", "regimes.OLD.guarantee_percent"),
        ("guarantee_percent = 10", "guarantee_percent = nan", "regimes.OLD.guarantee_percent"),
        (
            "registration_threshold = 15000000",
            "registration_threshold = 0",
            "registration_threshold",
        ),
        ('level = "federal"', 'level = "national"', "level"),
        # dates
        (
            "effective_from = 2000-01-05",
            'effective_from = "2000-13-05"',
            "regimes.OLD.effective_from",
        ),
        (
            "effective_from = 2000-01-05",
            "effective_from = 2000-01-05T00:00:00",
            "regimes.OLD.effective_from",
        ),
        ("effective_from = 2000-01-05", "effective_from = 5", "regimes.OLD.effective_from"),
        (
            "effective_until = 2025-04-17",
            "effective_until = 1999-12-31",
            "regimes.OLD.effective_until",
        ),
        (
            "effective_from = 2025-04-17",
            "effective_from = 2000-01-05",
            "regimes.NEW.effective_from",
        ),
        # cross-references and formats
        ('default_regime = "NEW"', 'default_regime = "NEWER"', "default_regime"),
        ('ocid_prefix = "ocds-test00"', 'ocid_prefix = "ocds-TEST00"', "ocid_prefix"),
        ('ocid_prefix = "ocds-test00"', 'ocid_prefix = "ocds-test0"', "ocid_prefix"),
        ('ocid_prefix = "ocds-test00"', 'ocid_prefix = "test00"', "ocid_prefix"),
        ('currency = "MXN"', 'currency = "mxn"', "currency"),
        ('currency = "MXN"', 'currency = "PESOS"', "currency"),
        ('timezone = "America/Mexico_City"', 'timezone = "America/Atlantis"', "timezone"),
        ('code = "xx-test"', 'code = "XX Test"', "code"),
        ("[regimes.OLD]", '[regimes."OLD 2000"]', "regimes.OLD 2000"),
        # the calendar
        ('"2026" = [2026-01-01', '"2026" = [2025-01-01', "calendar.holidays.2026[0]"),
        ('"2026" = [2026-01-01', '"2026" = [2026-03-16', "calendar.holidays.2026[1]"),
        # the rules
        ('on = "01-01"', 'on = "01-32"', "calendar.rules[0].on"),
        ('on = "01-01"', 'on = "13-01"', "calendar.rules[0].on"),
        ('on = "01-01"', 'on = "fifth monday of march"', "calendar.rules[0].on"),
        ('on = "01-01"', 'on = "New Year"', "calendar.rules[0].on"),
        ('on = "01-01"', "on = 2025-01-01", "calendar.rules[0].on"),
        ('source = "LFT art. 74 fr. I"', 'source = " "', "calendar.rules[0].source"),
        ('source = "LFT art. 74 fr. I"', "", "calendar.rules[0].source"),
        ('on = "01-01"', 'on = "01-01"\nweekday = "monday"', "calendar.rules[0].weekday"),
        ("from_year = 2024\n", "", "calendar.rules[1].from_year"),
        ("every_years = 6", "every_years = 0", "calendar.rules[1].every_years"),
        ("from_year = 2024", "from_year = 2024\nuntil_year = 2018", "calendar.rules[1].until_year"),
        ('"2025" = [2025-12-25]', '"twenty" = []', "calendar.holidays.twenty"),
        ('"2026" = [2026-01-01', '"2026" = ["2026-02-30"', "calendar.holidays.2026[0]"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_bad_key(
    tmp_path: Path, old: str, new: str, key: str
) -> None:
    with pytest.raises(JurisdictionError) as caught:
        load(write(tmp_path, mutated(old, new)))

    assert caught.value.key == key


def test_an_unknown_key_suggests_the_key_that_was_meant(tmp_path: Path) -> None:
    with pytest.raises(JurisdictionError, match="did you mean 'payment_days'"):
        load(write(tmp_path, mutated("payment_days = 20", "paymnet_days = 20")))


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("payment_days = 20", "payment_days = = 20", 22),
        ("effective_from = 2000-01-05", "effective_from = 2000-02-30", 15),
        ('name = "Ley anterior"', 'name = "Ley anterior', 13),
    ],
)
def test_a_toml_syntax_error_names_the_file_and_the_line(
    tmp_path: Path, old: str, new: str, line: int
) -> None:
    path = write(tmp_path, mutated(old, new))

    with pytest.raises(JurisdictionError) as caught:
        load(path)

    assert caught.value.key == str(path)
    assert f"line {line}," in caught.value.message


def test_a_file_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(MINIMAL.encode("latin-1"))

    with pytest.raises(JurisdictionError) as caught:
        load(path)

    assert caught.value.key == str(path)


@pytest.mark.parametrize("argument", ["mx-atlantis", "/nonexistent/besa.toml", "missing.toml"])
def test_a_jurisdiction_that_cannot_be_found_is_named(argument: str) -> None:
    with pytest.raises(JurisdictionError) as caught:
        load(argument)

    assert caught.value.key == argument


# --- the deployment's choice -------------------------------------------------------------------


def test_the_deployment_defaults_to_the_federal_jurisdiction(
    monkeypatch: pytest.MonkeyPatch, federal: Jurisdiction
) -> None:
    monkeypatch.delenv("BESA_JURISDICTION", raising=False)

    assert from_env() == federal
    assert from_env() is from_env()  # loaded once, then shared


def test_the_deployment_may_choose_a_bundled_code_or_a_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BESA_JURISDICTION", "mx-sonora")
    assert from_env().code == "mx-sonora"

    monkeypatch.setenv("BESA_JURISDICTION", str(write(tmp_path, MINIMAL)))
    assert from_env().code == "xx-test"


def test_a_bad_choice_names_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BESA_JURISDICTION", "mx-atlantis")

    with pytest.raises(JurisdictionError, match="BESA_JURISDICTION='mx-atlantis'") as caught:
        from_env()

    assert caught.value.key == "mx-atlantis"


# --- the window of dates the logbook accepts ([dates], issue 11) ----------------------------

_DATES = '[calendar.holidays]\n"2025"'


def test_a_file_without_a_dates_table_gets_the_default_window(tmp_path: Path) -> None:
    limits = load(write(tmp_path, MINIMAL)).dates

    assert (limits.earliest, limits.fact_tolerance_days, limits.schedule_horizon_years) == (
        date(1990, 1, 1), 1, 30,
    )  # fmt: skip


def test_the_bundled_files_spell_out_their_window(federal: Jurisdiction) -> None:
    assert federal.dates == jurisdiction.model.DateLimits()
    assert "[dates]" in (Path(jurisdiction.__file__).parent / "files/mx-federal.toml").read_text()


def test_a_dates_table_sets_the_window_key_by_key(tmp_path: Path) -> None:
    text = mutated(
        _DATES, "[dates]\nearliest = 2000-01-01\nschedule_horizon_years = 5\n\n" + _DATES
    )

    limits = load(write(tmp_path, text)).dates

    assert (limits.earliest, limits.fact_tolerance_days, limits.schedule_horizon_years) == (
        date(2000, 1, 1), 1, 5,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ("[dates]\nearliest = 1000-01-01\n", "dates.earliest"),
        ("[dates]\nfact_tolerance_days = -1\n", "dates.fact_tolerance_days"),
        ("[dates]\nschedule_horizon_years = 500\n", "dates.schedule_horizon_years"),
        ("[dates]\nschedule_horizon_years = 3.5\n", "dates.schedule_horizon_years"),
        ("[dates]\nhorizon_years = 30\n", "dates.horizon_years"),
    ],
)
def test_a_bad_or_unknown_key_in_the_dates_table_is_refused_naming_it(
    tmp_path: Path, table: str, key: str
) -> None:
    with pytest.raises(JurisdictionError) as caught:
        load(write(tmp_path, mutated(_DATES, table + "\n" + _DATES)))

    assert caught.value.key == key
