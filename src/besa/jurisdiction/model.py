"""The legal configuration of one BESA deployment: a jurisdiction and its procurement regimes.

These are plain frozen dataclasses with no I/O. ``loader`` builds them from a TOML file; tests
and rule code may also build or ``dataclasses.replace`` them directly. Either way the value
invariants are checked on construction and broken ones raise ``JurisdictionError`` whose key
is the dotted path the value has in the jurisdiction file (``regimes.LAASSP-2000.payment_days``),
so the message points at the line to fix.

Parameter naming is a contract that rule code relies on: a ``*_business_days`` parameter is
counted with ``BusinessCalendar.add_business_days``, a ``*_days`` parameter in natural days, a
``*_percent`` parameter is a ``Decimal`` between 0 and 100, and a ``*_count`` parameter is a
number of times (a non-negative integer).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Final, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from besa.exceptions import JurisdictionError
from besa.jurisdiction.calendar import BusinessCalendar

Level = Literal["federal", "state", "municipal"]
LEVELS: Final[tuple[str, ...]] = get_args(Level)

#: Metadata key under which a regime field declares its unit; fields without it are not
#: parameters (code, name, dates).
UNIT: Final = "unit"
NATURAL_DAYS: Final = "natural days"
BUSINESS_DAYS: Final = "business days"
PERCENT: Final = "percent"
COUNT: Final = "count"

_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_REGIME_CODE = re.compile(r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*")
_CURRENCY = re.compile(r"[A-Z]{3}")
_OCID_PREFIX = re.compile(r"ocds-[a-z0-9]{6}")


# Field metadata of the regime parameters. They have no defaults, so the file must set each one.
_IN_NATURAL_DAYS: Final = MappingProxyType({UNIT: NATURAL_DAYS})
_IN_BUSINESS_DAYS: Final = MappingProxyType({UNIT: BUSINESS_DAYS})
_IN_PERCENT: Final = MappingProxyType({UNIT: PERCENT})
_AS_COUNT: Final = MappingProxyType({UNIT: COUNT})


def _require_text(key: str, value: str) -> None:
    if not value.strip():
        raise JurisdictionError(key, "must not be empty")


@dataclass(frozen=True)
class Regime:
    """One legal framework (marco normativo) and the deadlines and limits it sets.

    A contract falls under the regime in force when its procedure started and keeps it for
    life, so two regimes coexist in practice (domain.md §2). Rule code reads the parameters
    as attributes, e.g. ``regime.payment_days``; they never appear as literals in rules.

    Contract: every parameter is present (there are no defaults: a missing or misspelled key
    in the file is an error, not a silent fallback); day counts are non-negative integers;
    percentages are Decimals in [0, 100]; ``effective_until`` is ``None`` for a regime still
    in force, else not before ``effective_from``. Both ends of the period are inclusive.

    Legal references are to the abrogated 2000 LAASSP and its Reglamento (RLAASSP) unless
    said otherwise; they are [LAW] in domain.md, i.e. from knowledge of the statute, not
    retrieved text. The bundled files repeat the sources next to each value.
    """

    #: Short identifier stored on every contract, e.g. ``LAASSP-2000``; the key under
    #: ``[regimes]`` in the file.
    code: str
    #: Human name of the legal framework, in Spanish.
    name: str
    #: Citation of the law (and its DOF publication) that sets these rules.
    legal_reference: str
    #: First day the regime applies (inclusive).
    effective_from: date
    #: Last day the regime applies (inclusive), or ``None`` while it is still in force.
    effective_until: date | None

    #: Business days after signing to register the contract in BESA. Placeholder 5: the real
    #: figure is in the BESA Lineamientos, which could not be read (domain.md §3.4, §8.2).
    registration_business_days: int = field(metadata=_IN_BUSINESS_DAYS)
    #: Natural days from the award notice to signing the contract (art. 46).
    formalisation_days: int = field(metadata=_IN_NATURAL_DAYS)
    #: Natural days after signing to deliver the performance guarantee when the call for bids
    #: sets no date (art. 48).
    performance_guarantee_days: int = field(metadata=_IN_NATURAL_DAYS)
    #: Usual performance guarantee as a percentage of the amount without VAT (arts. 48-49).
    #: A contract may set its own; this is the figure assumed when it does not.
    guarantee_percent: Decimal = field(metadata=_IN_PERCENT)
    #: Business days the entity has to report errors in a received CFDI (RLAASSP art. 90).
    invoice_review_business_days: int = field(metadata=_IN_BUSINESS_DAYS)
    #: Natural days from the CFDI's delivery to payment (art. 51).
    payment_days: int = field(metadata=_IN_NATURAL_DAYS)
    #: Cumulative limit of amendments, as a percentage of the original amount or quantity
    #: (art. 52; RLAASSP 91).
    amendment_max_percent: Decimal = field(metadata=_IN_PERCENT)
    #: Penalty cap, as a percentage of the value delivered late, when the performance
    #: guarantee was exempted (RLAASSP 96). Otherwise the cap is the guarantee amount.
    penalty_cap_exempt_percent: Decimal = field(metadata=_IN_PERCENT)
    #: Business days the supplier has to answer a rescission notice (art. 54 fr. I).
    rescission_answer_business_days: int = field(metadata=_IN_BUSINESS_DAYS)
    #: Days after the supplier's answer to resolve a rescission (art. 54 fr. III); counted as
    #: natural days until the wording is checked.
    rescission_resolution_days: int = field(metadata=_IN_NATURAL_DAYS)
    #: Natural days after the end date by which the finiquito (closure) should be registered.
    #: BESA default, not a legal figure (alert A20).
    closure_days: int = field(metadata=_IN_NATURAL_DAYS)
    #: Business days an alert may stay unattended before it escalates (BESA default, §4).
    escalation_business_days: int = field(metadata=_IN_BUSINESS_DAYS)
    #: Natural days without any logbook event before a contract in execution is flagged
    #: (BESA default, alert A23).
    inactivity_days: int = field(metadata=_IN_NATURAL_DAYS)
    #: Share of the annual procurement budget that art. 42 direct awards may use (alert A24).
    direct_award_budget_cap_percent: Decimal = field(metadata=_IN_PERCENT)
    #: Minimum of an open (abierto) contract as a percentage of its maximum (art. 47).
    open_contract_min_percent: Decimal = field(metadata=_IN_PERCENT)
    #: Business days after signing to publish the contract on the government platform;
    #: 0 means the regime sets no such duty.
    publication_business_days: int = field(metadata=_IN_BUSINESS_DAYS)
    #: Natural days late beyond which a late delivery is a high-severity alert (A07; the
    #: catalogue's "H if > 30 d", domain.md §4, a BESA design figure).
    delivery_delay_high_days: int = field(metadata=_IN_NATURAL_DAYS)
    #: Natural days after the penalties reach their cap within which the entity should start
    #: a rescission or record its decision (A10's "N days"; BESA default, not a legal figure).
    penalty_cap_decision_days: int = field(metadata=_IN_NATURAL_DAYS)
    #: Natural days a compliance opinion (SAT 32-D, IMSS, INFONAVIT) stays valid after its
    #: date when it records no ``valid_until`` (A17).
    compliance_opinion_validity_days: int = field(metadata=_IN_NATURAL_DAYS)
    #: Term extensions by amendment allowed before A19 calls them repeated (BESA default).
    term_extension_max_count: int = field(metadata=_AS_COUNT)
    #: Cumulative term extension, as a percentage of the original term, beyond which A19
    #: fires (BESA default).
    term_extension_max_percent: Decimal = field(metadata=_IN_PERCENT)
    #: Precio no aceptable: a price more than this percentage above the market research's
    #: median (A25).
    unacceptable_price_percent: Decimal = field(metadata=_IN_PERCENT)
    #: Precio no conveniente: a price more than this percentage below the average of the
    #: accepted proposals or of the market research (A25).
    inconvenient_price_percent: Decimal = field(metadata=_IN_PERCENT)

    @classmethod
    def parameter_names(cls) -> tuple[str, ...]:
        """Names of the numeric parameters, in declaration order (and in file order)."""
        return tuple(f.name for f in fields(cls) if UNIT in f.metadata)

    @classmethod
    def unit_of(cls, name: str) -> str:
        """Unit of parameter ``name``: ``NATURAL_DAYS``, ``BUSINESS_DAYS``, ``PERCENT`` or
        ``COUNT``."""
        for f in fields(cls):
            if f.name == name and UNIT in f.metadata:
                return str(f.metadata[UNIT])
        raise KeyError(name)

    def __post_init__(self) -> None:
        if not _REGIME_CODE.fullmatch(self.code):
            raise JurisdictionError(
                f"regimes.{self.code}",
                "a regime code is letters and digits, optionally joined by '-' or '_'",
            )
        _require_text(self._key("name"), self.name)
        _require_text(self._key("legal_reference"), self.legal_reference)
        if self.effective_until is not None and self.effective_until < self.effective_from:
            raise JurisdictionError(
                self._key("effective_until"),
                f"{self.effective_until.isoformat()} is before effective_from "
                f"{self.effective_from.isoformat()}",
            )
        for f in fields(self):
            unit = f.metadata.get(UNIT)
            if unit is None:
                continue
            value = getattr(self, f.name)
            if unit == PERCENT:
                if not isinstance(value, Decimal):
                    raise JurisdictionError(self._key(f.name), f"must be a Decimal, got {value!r}")
                if not value.is_finite() or not 0 <= value <= 100:
                    raise JurisdictionError(
                        self._key(f.name), f"must be a percentage from 0 to 100, got {value}"
                    )
            elif not isinstance(value, int) or isinstance(value, bool):
                raise JurisdictionError(self._key(f.name), f"must be an integer, got {value!r}")
            elif value < 0:
                raise JurisdictionError(
                    self._key(f.name), f"must be a number of {unit} >= 0, got {value}"
                )

    def in_force_on(self, day: date) -> bool:
        """Tell whether ``day`` lies in [effective_from, effective_until] (both inclusive)."""
        if day < self.effective_from:
            return False
        return self.effective_until is None or day <= self.effective_until

    def _key(self, name: str) -> str:
        return f"regimes.{self.code}.{name}"


@dataclass(frozen=True)
class DateLimits:
    """The window every date entering the logbook must lie in (issue 11).

    A fact that already happened (a payment, a signing, ``occurred_at``) lies between
    ``earliest`` and ``fact_tolerance_days`` after the day it is recorded; a scheduled date (a
    due date, an end date, a guarantee's expiry) between ``earliest`` and
    ``schedule_horizon_years`` after that day. Anything outside is a typo or an attack (a
    year 0001 or 9999 breaks date arithmetic downstream), refused with the field's name.

    Contract: ``earliest`` is after 1900-01-01; both spans are non-negative integers, the
    horizon at most 100 years. The defaults apply when a file has no ``[dates]`` table.
    """

    #: The earliest date a logbook may hold (no contract under BESA predates it).
    earliest: date = date(1990, 1, 1)
    #: Natural days after the recording day that a past fact may be dated (clock skew and
    #: time zones: a fact recorded late in the evening may carry tomorrow's date elsewhere).
    fact_tolerance_days: int = 1
    #: Years after the recording day that a scheduled date (due date, end date, expiry) may be.
    schedule_horizon_years: int = 30

    def __post_init__(self) -> None:
        if not isinstance(self.earliest, date) or self.earliest < date(1900, 1, 1):
            raise JurisdictionError("dates.earliest", "must be a date on or after 1900-01-01")
        for name, top in (("fact_tolerance_days", 366), ("schedule_horizon_years", 100)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
                raise JurisdictionError(
                    f"dates.{name}", f"must be an integer from 0 to {top}, got {value!r}"
                )


#: What ``[portal] public_alerts`` may say: no alert is public, or alerts once oversight has
#: decided them (solventada, no solventada) or referred them to investigation.
PUBLIC_ALERTS: Final[tuple[str, ...]] = ("none", "resolved_or_referred")
#: What ``[portal] public_audits`` may say: no audit is public, or an audit case once closed.
PUBLIC_AUDITS: Final[tuple[str, ...]] = ("none", "closed")


@dataclass(frozen=True)
class PortalSettings:
    """What the citizens' portal publishes beyond the public record (``[portal]``, optional).

    ``public_alerts`` is ``"none"`` by default: an alert is oversight work in progress, and a
    deployment decides (transparency law and its reserve for ongoing verification) whether
    alerts become public once decided or referred (``"resolved_or_referred"``). The portal
    then shows the rule, severity, state and dates of such alerts, never their working notes.
    """

    public_alerts: str = "none"
    #: ``"none"`` (default) or ``"closed"``: an audit case's summary (its state, outcome,
    #: findings with legal basis, amounts and verdicts, referrals) is published on the portal
    #: once the case is closed. Its logbook entries stay committed, never in the clear.
    public_audits: str = "none"

    def __post_init__(self) -> None:
        if self.public_alerts not in PUBLIC_ALERTS:
            raise JurisdictionError(
                "portal.public_alerts", f"must be one of {', '.join(PUBLIC_ALERTS)}"
            )
        if self.public_audits not in PUBLIC_AUDITS:
            raise JurisdictionError(
                "portal.public_audits", f"must be one of {', '.join(PUBLIC_AUDITS)}"
            )


@dataclass(frozen=True)
class Coverage:
    """Which contracts BESA judges, and how long an importing buying unit has to complete
    what the published data could not carry (issue 12 item 5; ``[coverage]`` in the file).

    ``covered_from``: contracts signed before this day are kept and shown but raise no
    misconduct alert (BESA did not exist for them); ``None`` covers every contract.
    ``completion_business_days``: business days, counted on the jurisdiction's calendar from
    the day a published contract reached BESA by import, before a fact the source cannot carry
    (budget sufficiency, compliance opinions, a guarantee…) that is still missing becomes a
    misconduct alert; until then it is a data gap for the buying unit to complete.

    Contract: ``completion_business_days`` is an integer from 0 to 250; the defaults apply
    when the file has no ``[coverage]`` table (every contract covered, 10 business days, a
    BESA design default, not a legal figure).
    """

    covered_from: date | None = None
    completion_business_days: int = 10

    def __post_init__(self) -> None:
        value = self.completion_business_days
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 250:
            raise JurisdictionError(
                "coverage.completion_business_days",
                f"must be an integer from 0 to 250, got {value!r}",
            )
        if self.covered_from is not None and not isinstance(self.covered_from, date):
            raise JurisdictionError("coverage.covered_from", "must be a date")

    def covers(self, signed: date) -> bool:
        """Whether a contract signed on ``signed`` may raise misconduct alerts."""
        return self.covered_from is None or signed >= self.covered_from


@dataclass(frozen=True)
class Jurisdiction:
    """A deployment's legal setting: who it covers, its thresholds, regimes and calendar.

    Contract (checked on construction, each failure naming its key):

    - ``code`` is lower-case words joined by '-' (``mx-federal``) and equals the file's name
      for bundled files.
    - ``level`` is ``federal``, ``state`` or ``municipal``.
    - ``currency`` is an ISO 4217 code (three upper-case letters); ``registration_threshold``
      is in that currency, without VAT, and > 0.
    - ``ocid_prefix`` matches ``ocds-`` plus six lower-case letters or digits (the form OCP
      assigns); ``timezone`` is a zoneinfo key.
    - ``regimes`` is non-empty, keyed by each regime's code, read-only; no two regimes start on
      the same day (so ``regime_for`` is never ambiguous); ``default_regime`` is one of them.
    - ``dates`` bounds the dates the logbook accepts (``DateLimits``).

    Instances are immutable and hashable (``regimes`` and ``calendar`` are left out of the
    hash but not out of equality).
    """

    code: str
    #: Name in Spanish, as shown to users.
    name: str
    #: Name in English.
    name_en: str
    level: Level
    currency: str
    #: Contracts at or above this amount without VAT must be registered (domain.md §2).
    registration_threshold: Decimal
    #: Who performance guarantees are issued in favour of (art. 49).
    guarantee_beneficiary: str
    #: OCDS ocid prefix registered with the Open Contracting Partnership.
    ocid_prefix: str
    #: IANA zone in which deadlines fall due, e.g. ``America/Mexico_City``.
    timezone: str
    #: Regime assumed for a contract when none is recorded and none can be derived.
    default_regime: str
    regimes: Mapping[str, Regime] = field(hash=False)
    calendar: BusinessCalendar = field(hash=False)
    #: The window of dates the logbook accepts (``[dates]``; defaults when absent).
    dates: DateLimits = field(default_factory=DateLimits)
    #: What the citizens' portal publishes (``[portal]``; defaults when absent).
    portal: PortalSettings = field(default_factory=PortalSettings)
    #: Which contracts are judged and the grace for imported data gaps (``[coverage]``).
    coverage: Coverage = field(default_factory=Coverage)

    def __post_init__(self) -> None:
        if not _CODE.fullmatch(self.code):
            raise JurisdictionError("code", "lower-case letters and digits joined by '-'")
        _require_text("name", self.name)
        _require_text("name_en", self.name_en)
        if self.level not in LEVELS:
            raise JurisdictionError("level", f"must be one of {', '.join(LEVELS)}")
        if not _CURRENCY.fullmatch(self.currency):
            raise JurisdictionError("currency", "must be an ISO 4217 code such as MXN")
        if not self.registration_threshold.is_finite() or self.registration_threshold <= 0:
            raise JurisdictionError("registration_threshold", "must be an amount > 0")
        _require_text("guarantee_beneficiary", self.guarantee_beneficiary)
        if not _OCID_PREFIX.fullmatch(self.ocid_prefix):
            raise JurisdictionError(
                "ocid_prefix", "must be 'ocds-' followed by 6 lower-case letters or digits"
            )
        self._check_timezone()
        self._check_regimes()
        # Freeze the mapping so the frozen dataclass is read-only all the way down.
        object.__setattr__(self, "regimes", MappingProxyType(dict(self.regimes)))

    def regime(self, code: str) -> Regime:
        """Return the regime called ``code``; raise ``JurisdictionError`` if there is none."""
        try:
            return self.regimes[code]
        except KeyError:
            raise JurisdictionError(
                f"regimes.{code}", f"no such regime; known: {', '.join(self.regimes)}"
            ) from None

    def regime_for(self, day: date) -> Regime:
        """Return the regime in force on ``day``.

        If periods overlap (typically one shared boundary day) the regime that started later
        wins: a new law displaces the old one. Raises ``JurisdictionError`` (key ``regimes``)
        when no regime covers ``day``.
        """
        candidates = [r for r in self.regimes.values() if r.in_force_on(day)]
        if not candidates:
            raise JurisdictionError("regimes", f"no regime is in force on {day.isoformat()}")
        return max(candidates, key=lambda r: r.effective_from)

    def ocid(self, local_id: str) -> str:
        """Return the OCDS ocid for a process identifier local to this deployment."""
        return f"{self.ocid_prefix}-{local_id}"

    @property
    def zone(self) -> ZoneInfo:
        """The ``timezone`` as a ``ZoneInfo``."""
        return ZoneInfo(self.timezone)

    def _check_timezone(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise JurisdictionError(
                "timezone", f"{self.timezone!r} is not a known IANA time zone"
            ) from None

    def _check_regimes(self) -> None:
        if not self.regimes:
            raise JurisdictionError("regimes", "at least one regime is required")
        starts: dict[date, str] = {}
        for code, regime in self.regimes.items():
            if regime.code != code:
                raise JurisdictionError(f"regimes.{code}", f"holds regime {regime.code!r}")
            other = starts.setdefault(regime.effective_from, code)
            if other != code:
                raise JurisdictionError(
                    f"regimes.{code}.effective_from",
                    f"same day as regimes.{other}.effective_from; which one applies is ambiguous",
                )
        if self.default_regime not in self.regimes:
            raise JurisdictionError(
                "default_regime",
                f"{self.default_regime!r} is not a regime; known: {', '.join(self.regimes)}",
            )
