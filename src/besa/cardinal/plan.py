"""What one pass needs to know: the settings reduced to plain, picklable values.

A :class:`Plan` is built once from :class:`~besa.cardinal.settings.Settings` and shared by the
worker threads; a :class:`Partial` is what a worker gives back for its blocks of lines. Partials
are merged by concatenating their frames in file order, so the result does not depend on how
the file was cut.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import polars as pl

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


@dataclass
class Partial:
    """Facts extracted from some lines, as lists of frames in file order.

    :meth:`extend` appends another partial's frames, so merging costs nothing per process;
    :func:`concat` joins a field's frames when the population is decided.
    """

    #: per-process rule results: (id, code, value) for processes (ocid) and for tenderers
    ocid_flags: list[pl.DataFrame] = field(default_factory=list)
    tenderer_flags: list[pl.DataFrame] = field(default_factory=list)
    #: with --map only: (code, ocid, tenderer) for each tenderer flagged by a per-process rule
    links: list[pl.DataFrame] = field(default_factory=list)
    #: SecondLowestBidRatio (R024, R058): (ocid, ratio, winner, runner_up) per process
    ratios: list[pl.DataFrame] = field(default_factory=list)
    #: R025: (tenderer, won, seen): processes won and processes with a valid bid
    r025: list[pl.DataFrame] = field(default_factory=list)
    #: R038: (id, disqualified, submitted) bids per buyer, procuring entity and tenderer
    r038_buyer: list[pl.DataFrame] = field(default_factory=list)
    r038_entity: list[pl.DataFrame] = field(default_factory=list)
    r038_tenderer: list[pl.DataFrame] = field(default_factory=list)
    #: R048: (supplier, prefix) seen, and (supplier, n) processes with a classified item
    r048_prefixes: list[pl.DataFrame] = field(default_factory=list)
    r048_processes: list[pl.DataFrame] = field(default_factory=list)
    #: --map: (ocid, tenderer ids); (ocid, buyer) and (ocid, entity) with a disqualified bid
    map_ocid_tenderer: list[pl.DataFrame] = field(default_factory=list)
    map_ocid_buyer: list[pl.DataFrame] = field(default_factory=list)
    map_ocid_entity: list[pl.DataFrame] = field(default_factory=list)
    #: bids skipped by R024/R058 because their currency is not the main currency
    currency_mismatches: int = 0
    #: (line number within the partial's lines, message) for lines that are not JSON
    warnings: list[tuple[int, str]] = field(default_factory=list)
    #: newlines in the partial's lines, to turn its line numbers into file line numbers
    newlines: int = 0
    #: lines that went through the fast (Arrow) reader, and lines read leniently
    fast_lines: int = 0
    lenient_lines: int = 0

    def extend(self, other: Partial) -> None:
        """Append ``other``'s facts (its warnings must already carry file line numbers)."""
        for name in _FRAME_FIELDS:
            getattr(self, name).extend(getattr(other, name))
        self.currency_mismatches += other.currency_mismatches
        self.warnings.extend(other.warnings)
        self.newlines += other.newlines
        self.fast_lines += other.fast_lines
        self.lenient_lines += other.lenient_lines

    def compact(self) -> None:
        """Reduce the per-organisation facts to one frame each, with the same meaning.

        Counts are summed per key and sets made unique, so these facts stay bounded by the
        number of organisations however long the file is (on 200,000 releases they were 10 MiB,
        growing with the file). Facts keyed by ``ocid`` (flags, ratios, Maps) are not reduced:
        a later line with the same ``ocid`` must still win over an earlier one.
        """
        for name, (key, counts) in _SUMMED.items():
            frames = getattr(self, name)
            if len(frames) > 1:
                merged = pl.concat(frames, how="vertical_relaxed")
                setattr(self, name, [merged.group_by(key).agg(pl.col(c).sum() for c in counts)])
        if len(self.r048_prefixes) > 1:
            self.r048_prefixes = [pl.concat(self.r048_prefixes, how="vertical_relaxed").unique()]
        if len(self.tenderer_flags) > 1:
            # Per-process tenderer flags: the later of the same (tenderer, code) wins.
            merged = pl.concat(self.tenderer_flags, how="vertical_relaxed")
            self.tenderer_flags = [merged.unique(["id", "code"], keep="last", maintain_order=True)]


_FRAME_FIELDS = tuple(f.name for f in fields(Partial) if f.type == "list[pl.DataFrame]")
#: Facts that are counts per organisation: (key column, count columns).
_SUMMED = {
    "r025": ("tenderer", ("won", "seen")),
    "r038_buyer": ("id", ("disqualified", "submitted")),
    "r038_entity": ("id", ("disqualified", "submitted")),
    "r038_tenderer": ("id", ("disqualified", "submitted")),
    "r048_processes": ("supplier", ("n",)),
}


def concat(frames: list[pl.DataFrame], schema: Mapping[str, Any]) -> pl.DataFrame:
    """The frames one after the other (an empty frame of ``schema`` if there are none)."""
    if not frames:
        return pl.DataFrame(schema=schema)
    return pl.concat(frames, how="vertical_relaxed")
