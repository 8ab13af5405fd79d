"""The results document, shaped and serialised like ``ocdscardinal indicators`` output.

Groups appear only when non-empty, in the order OCID, Buyer, ProcuringEntity, Tenderer; within
a group identifiers are sorted and indicator codes follow :data:`INDICATORS`, so the document
does not depend on the order of the input lines (Cardinal's own order depends on its threads).
``Meta`` is always present unless suppressed; ``Maps`` only on request. Floats are written as
Rust's ``serde_json`` writes them (``1.0``, shortest round-trip) and NaN as ``null``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from besa.cardinal.settings import INDICATORS

GROUPS = ("OCID", "Buyer", "ProcuringEntity", "Tenderer")
MAP_CODES = ("R024", "R028", "R030", "R035", "R058")
_ORDER = {code: index for index, code in enumerate(INDICATORS)}


class Results:
    """Flags being collected: ``group → identifier → code → value``, plus Meta and Maps links."""

    def __init__(
        self,
        ocids: dict[str, dict[str, float]] | None = None,
        tenderers: dict[str, dict[str, float]] | None = None,
        links: Iterable[tuple[str, str, str]] = (),
    ) -> None:
        """Start from the per-process results (taken over, not copied) and their map links."""
        self.groups: dict[str, dict[str, dict[str, float]]] = {group: {} for group in GROUPS}
        self.groups["OCID"] = ocids if ocids is not None else {}
        self.groups["Tenderer"] = tenderers if tenderers is not None else {}
        self.meta: dict[str, Any] = {}
        self.links: dict[str, dict[str, list[str]]] = {code: {} for code in MAP_CODES}
        for code, ocid, tenderer in links:
            self._link(code, ocid, tenderer)

    def _link(self, code: str, ocid: str, tenderer: str) -> None:
        tenderers = self.links[code].setdefault(ocid, [])
        if tenderer not in tenderers:
            tenderers.append(tenderer)

    def flag(
        self, group: str, identifier: str, code: str, value: float, ocid: str | None = None
    ) -> None:
        """Record ``value`` for ``code``; ``ocid`` links a flagged tenderer to its process."""
        self.groups[group].setdefault(identifier, {})[code] = value
        if ocid is not None and code in self.links:
            self._link(code, ocid, identifier)

    def document(
        self,
        *,
        meta: bool = True,
        maps: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The output object: non-empty groups, then ``Meta`` (unless suppressed), ``Maps``."""
        out: dict[str, Any] = {}
        for group in GROUPS:
            entries = self.groups[group]
            if entries:
                out[group] = {
                    identifier: _ordered(entries[identifier]) for identifier in sorted(entries)
                }
        if meta:
            out["Meta"] = {
                code: self.meta[code] for code in sorted(self.meta, key=_ORDER.__getitem__)
            }
        if maps is not None:
            out["Maps"] = maps
        return out

    def maps(
        self,
        ocid_tenderer: dict[str, list[str]],
        ocid_buyer: dict[str, str],
        ocid_entity: dict[str, str],
    ) -> dict[str, Any]:
        """The ``Maps`` object: ocid → organisations, with sorted keys."""
        result: dict[str, Any] = {
            "ocid_tenderer": dict(sorted(ocid_tenderer.items())),
            "ocid_buyer_r038": dict(sorted(ocid_buyer.items())),
            "ocid_procuringentity_r038": dict(sorted(ocid_entity.items())),
        }
        for code in MAP_CODES:
            result[f"ocid_tenderer_{code.lower()}"] = {
                ocid: sorted(ids) for ocid, ids in sorted(self.links[code].items())
            }
        return result


def _ordered(codes: dict[str, float]) -> dict[str, float]:
    if len(codes) == 1:
        return codes
    return {code: codes[code] for code in sorted(codes, key=_ORDER.__getitem__)}


def dumps(document: dict[str, Any]) -> bytes:
    """Compact JSON, one line, like Cardinal (no trailing newline: the caller adds it)."""
    return orjson.dumps(document)


def counts(document: dict[str, Any]) -> list[str]:
    """``--count`` lines: ``<group>: <number of identifiers>`` for each group present."""
    return [f"{group}: {len(document[group])}" for group in GROUPS if group in document]
