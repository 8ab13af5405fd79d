"""What one pass needs to know: the settings reduced to plain, picklable values.

A :class:`Plan` is built once from :class:`~besa.cardinal.settings.Settings` and shipped to the
worker processes; a :class:`Partial` is what a worker gives back for its range of lines. Partials
are merged by concatenating per-process facts and summing per-organisation counts, so the
result does not depend on how the file was cut.
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


#: identifier → [numerator, denominator], summed over processes
Counts = dict[str, list[int]]


def _add_counts(mine: Counts, theirs: Counts) -> None:
    for key, (numerator, denominator) in theirs.items():
        entry = mine.get(key)
        if entry is None:
            mine[key] = [numerator, denominator]
        else:
            entry[0] += numerator
            entry[1] += denominator


@dataclass
class Partial:
    """Facts folded from some lines; :meth:`extend` reduces two partials into one.

    Per-process results and ratios are kept per process; what the population indicators need
    per organisation is already summed (Cardinal's fold/reduce), so a partial stays small.
    """

    #: per-process rule results: ocid → code → value and tenderer id → code → value
    ocid_flags: dict[str, dict[str, float]] = field(default_factory=dict)
    tenderer_flags: dict[str, dict[str, float]] = field(default_factory=dict)
    #: with --map only: (code, ocid, tenderer) for each tenderer flagged by a per-process rule
    links: list[tuple[str, str, str]] = field(default_factory=list)
    #: SecondLowestBidRatio (R024, R058): one row per process with a ratio (columns)
    ratio_ocid: list[str] = field(default_factory=list)
    ratio_value: list[float] = field(default_factory=list)
    ratio_winner: list[str] = field(default_factory=list)
    ratio_runner_up: list[str] = field(default_factory=list)
    #: R025: tenderer → [processes won, processes with a valid bid]
    r025: Counts = field(default_factory=dict)
    #: R038: id → [disqualified bids, submitted bids] per buyer, procuring entity and tenderer
    r038_buyer: Counts = field(default_factory=dict)
    r038_entity: Counts = field(default_factory=dict)
    r038_tenderer: Counts = field(default_factory=dict)
    #: R048: supplier → (classification prefixes, number of processes)
    r048: dict[str, tuple[set[str], list[int]]] = field(default_factory=dict)
    #: --map: ocid → tenderers; buyer / procuring entity of processes with a disqualified bid
    map_ocid_tenderer: dict[str, list[str]] = field(default_factory=dict)
    map_ocid_buyer: dict[str, str] = field(default_factory=dict)
    map_ocid_entity: dict[str, str] = field(default_factory=dict)
    #: bids skipped because their currency is not the main currency: (ocid, currency)
    currency_mismatches: list[tuple[str, object]] = field(default_factory=list)
    #: (line number within the partial's lines, message) for lines that are not JSON
    warnings: list[tuple[int, str]] = field(default_factory=list)
    #: newlines in the partial's lines, to turn its line numbers into file line numbers
    newlines: int = 0

    def extend(self, other: Partial) -> None:
        """Add ``other``'s facts (its warnings must already carry file line numbers)."""
        for name in ("links", "ratio_ocid", "ratio_value", "ratio_winner", "ratio_runner_up"):
            getattr(self, name).extend(getattr(other, name))
        self.currency_mismatches.extend(other.currency_mismatches)
        self.warnings.extend(other.warnings)
        for mine, theirs in (
            (self.ocid_flags, other.ocid_flags),
            (self.tenderer_flags, other.tenderer_flags),
        ):
            # An identifier flagged in both partials keeps the codes of both.
            both = {key: mine[key] | theirs[key] for key in mine.keys() & theirs.keys()}
            mine.update(theirs)
            mine.update(both)
        _add_counts(self.r025, other.r025)
        _add_counts(self.r038_buyer, other.r038_buyer)
        _add_counts(self.r038_entity, other.r038_entity)
        _add_counts(self.r038_tenderer, other.r038_tenderer)
        for supplier, (prefixes, count) in other.r048.items():
            entry = self.r048.get(supplier)
            if entry is None:
                self.r048[supplier] = (prefixes, count)
            else:
                entry[0].update(prefixes)
                entry[1][0] += count[0]
        self.map_ocid_tenderer.update(other.map_ocid_tenderer)
        self.map_ocid_buyer.update(other.map_ocid_buyer)
        self.map_ocid_entity.update(other.map_ocid_entity)
        self.newlines += other.newlines
