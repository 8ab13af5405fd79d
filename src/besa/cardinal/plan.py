"""What one pass needs to know: the settings reduced to plain, picklable values.

A :class:`Plan` is built once from :class:`~besa.cardinal.settings.Settings` and shipped to the
worker processes; a :class:`Partial` is what a worker gives back for its chunk of lines. Partials
are merged by concatenation, so the result does not depend on how the file was cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from besa.cardinal.settings import Settings


@dataclass(frozen=True)
class Plan:
    """The enabled indicators and their parameters, with Cardinal's defaults applied."""

    enabled: frozenset[str]
    currency: str | None
    exclusions: frozenset[str]
    price_allow: frozenset[str]
    price_deny: frozenset[str]
    r003_threshold: int = 15
    r003_methods: frozenset[str] = frozenset()
    r003_details: tuple[tuple[str, int], ...] = ()
    r018_methods: frozenset[str] = frozenset({"open", "selective"})
    r035_threshold: int = 1
    r048_digits: int = 2
    want_maps: bool = False

    @classmethod
    def from_settings(
        cls, settings: Settings, currency: str | None = None, want_maps: bool = False
    ) -> Plan:
        """``currency`` overrides the setting (used once the first observed currency is known)."""
        return cls(
            enabled=frozenset(settings.enabled),
            currency=currency or settings.currency,
            exclusions=frozenset(settings.get("exclusions", "procurement_method_details", ())),
            price_allow=frozenset(settings.price_comparison_procurement_methods),
            price_deny=frozenset(settings.no_price_comparison_procurement_methods),
            r003_threshold=settings.get("R003", "threshold", 15),
            r003_methods=frozenset(settings.get("R003", "procurement_methods", ())),
            r003_details=tuple(settings.mapping("R003.procurement_method_details").items()),
            r018_methods=frozenset(
                settings.get("R018", "procurement_methods", ("open", "selective"))
            ),
            r035_threshold=max(1, settings.get("R035", "threshold", 1)),
            r048_digits=settings.get("R048", "digits", 2),
            want_maps=want_maps,
        )

    def price_comparison(self, details: object) -> bool:
        """Whether a process with this ``procurementMethodDetails`` may be compared on price."""
        if self.price_allow:
            return isinstance(details, str) and details in self.price_allow
        return not (isinstance(details, str) and details in self.price_deny)


@dataclass
class Partial:
    """Facts extracted from a chunk of lines. Each list is a column; rows align by position."""

    #: per-process rule results: ocid → code → value and tenderer id → code → value
    ocid_flags: dict[str, dict[str, float]] = field(default_factory=dict)
    tenderer_flags: dict[str, dict[str, float]] = field(default_factory=dict)
    #: with --map only: (code, ocid, tenderer) for each tenderer flagged by a per-process rule
    links: list[tuple[str, str, str]] = field(default_factory=list)
    #: SecondLowestBidRatio (R024, R058): one row per process with a ratio
    ratio_ocid: list[str] = field(default_factory=list)
    ratio_value: list[float] = field(default_factory=list)
    ratio_winner: list[str] = field(default_factory=list)
    ratio_runner_up: list[str] = field(default_factory=list)
    #: R025: one row per (process, distinct valid tenderer)
    r025_tenderer: list[str] = field(default_factory=list)
    r025_won: list[int] = field(default_factory=list)
    #: R038: buyer and procuring entity rows per process, tenderer rows per (bid, tenderer)
    r038_buyer: list[str] = field(default_factory=list)
    r038_buyer_disqualified: list[int] = field(default_factory=list)
    r038_buyer_submitted: list[int] = field(default_factory=list)
    r038_entity: list[str] = field(default_factory=list)
    r038_entity_disqualified: list[int] = field(default_factory=list)
    r038_entity_submitted: list[int] = field(default_factory=list)
    r038_tenderer: list[str] = field(default_factory=list)
    r038_tenderer_disqualified: list[int] = field(default_factory=list)
    #: R048: one row per (process, supplier, classification prefix)
    r048_supplier: list[str] = field(default_factory=list)
    r048_ocid: list[str] = field(default_factory=list)
    r048_prefix: list[str] = field(default_factory=list)
    #: --map: ocid → tenderers; buyer / procuring entity of processes with a disqualified bid
    map_ocid_tenderer: dict[str, list[str]] = field(default_factory=dict)
    map_ocid_buyer: dict[str, str] = field(default_factory=dict)
    map_ocid_entity: dict[str, str] = field(default_factory=dict)
    #: bids skipped because their currency is not the main currency: (ocid, currency)
    currency_mismatches: list[tuple[str, object]] = field(default_factory=list)
    #: (line number within the chunk, message) for lines that are not JSON
    warnings: list[tuple[int, str]] = field(default_factory=list)
    #: newlines in the chunk, to turn chunk line numbers into file line numbers
    newlines: int = 0

    def extend(self, other: Partial) -> None:
        """Append ``other``'s facts (its line numbers must already be absolute)."""
        for name, value in vars(other).items():
            if isinstance(value, list):
                getattr(self, name).extend(value)
        for mine, theirs in (
            (self.ocid_flags, other.ocid_flags),
            (self.tenderer_flags, other.tenderer_flags),
        ):
            # An identifier flagged in both chunks keeps the codes of both.
            both = {key: mine[key] | theirs[key] for key in mine.keys() & theirs.keys()}
            mine.update(theirs)
            mine.update(both)
        self.map_ocid_tenderer.update(other.map_ocid_tenderer)
        self.map_ocid_buyer.update(other.map_ocid_buyer)
        self.map_ocid_entity.update(other.map_ocid_entity)
        self.newlines += other.newlines
