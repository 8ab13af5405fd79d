"""Supplier networks: suppliers linked by a shared address, phone, e-mail, legal representative
or shareholder, and their connected components (networkx).

Values are normalised before they are compared (case, accents, punctuation, street-type words,
phone prefixes), so "Av. Reforma 10, Col. Centro" and "AVENIDA REFORMA 10 CENTRO" match. A value
shared by more than ``MAX_SHARED`` suppliers is a placeholder ("SIN DOMICILIO", a call-centre
number), not a link: it is reported in ``Network.ignored`` and links nobody. Pure: no Django.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from besa.interop.lists import names

#: A value shared by more suppliers than this is treated as a placeholder, not a link.
MAX_SHARED = 25
#: Words that vary between spellings of one address and carry no location.
_ADDRESS_NOISE = frozenset(
    [
        "CALLE",
        "C",
        "AV",
        "AVE",
        "AVENIDA",
        "BLVD",
        "BOULEVARD",
        "COL",
        "COLONIA",
        "CP",
        "C.P",
        "NO",
        "NUM",
        "NUMERO",
        "INT",
        "EXT",
        "INTERIOR",
        "EXTERIOR",
        "DE",
        "DEL",
        "LA",
        "LAS",
        "LOS",
        "EL",
        "Y",
        "S/N",
        "SN",
    ]
)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.upper())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9@]+", " ", ascii_only).strip()


def normalise_address(text: str) -> str:
    """Upper case, no accents or punctuation, without street-type and filler words."""
    words = [w for w in _plain(text).split() if w not in _ADDRESS_NOISE]
    return " ".join(words) if len(words) >= 2 else ""


def normalise_phone(text: str) -> str:
    """The last 10 digits (Mexican numbers; drops +52, 01 and extensions after the 10th
    digit only when separated); fewer than 7 digits is no number."""
    first = re.split(r"[,;/]|EXT|ext", text)[0]
    digits = re.sub(r"\D", "", first)
    return digits[-10:] if len(digits) >= 7 else ""


def normalise_email(text: str) -> str:
    text = text.strip().lower()
    return text if "@" in text else ""


def normalise_name(text: str) -> str:
    """A person's or company's name: the sanctions matcher's normal form (legal-form suffix
    such as "S. A. de C. V." dropped, initials joined), then plain ASCII (Ñ read as N)."""
    return _plain(names.normalise(text))


@dataclass(frozen=True)
class SupplierProfile:
    """What due diligence compares. ``key`` identifies the supplier (its RFC)."""

    key: str
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    legal_representative: str = ""
    shareholders: tuple[str, ...] = ()


#: Link kinds, each with the profile values it compares and how they are normalised.
LINK_KINDS: Mapping[str, tuple[Callable[[SupplierProfile], Iterable[str]], Callable[[str], str]]]
LINK_KINDS = {
    "address": (lambda p: [p.address], normalise_address),
    "phone": (lambda p: [p.phone], normalise_phone),
    "email": (lambda p: [p.email], normalise_email),
    "legal_representative": (lambda p: [p.legal_representative], normalise_name),
    "shareholder": (lambda p: p.shareholders, normalise_name),
}


@dataclass
class Network:
    """The graph (nodes: supplier keys with ``name``; edges with ``links``: a list of
    ``{"kind", "value"}``) and the placeholder values that were ignored."""

    graph: nx.Graph
    ignored: list[dict[str, Any]] = field(default_factory=list)

    def components(self) -> list[list[str]]:
        """Connected components of two or more suppliers, largest first, each sorted."""
        found = [sorted(c) for c in nx.connected_components(self.graph) if len(c) > 1]
        return sorted(found, key=lambda c: (-len(c), c))

    def links_of(self, key: str) -> list[dict[str, Any]]:
        """Every link of one supplier: the other supplier and what they share."""
        if key not in self.graph:
            return []
        return [
            {"supplier": other, "name": self.graph.nodes[other].get("name", ""), **link}
            for other in sorted(self.graph[key])
            for link in self.graph.edges[key, other]["links"]
        ]


def shared_attributes(profiles: Iterable[SupplierProfile]) -> Network:
    """The network of suppliers sharing any normalised attribute. Every supplier is a node,
    linked or not; runs in time linear in the profiles plus the links found."""
    graph = nx.Graph()
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for profile in profiles:
        graph.add_node(profile.key, name=profile.name)
        for kind, (values, normalise) in LINK_KINDS.items():
            for raw in values(profile):
                value = normalise(raw or "")
                if value:
                    holders[kind, value].add(profile.key)
    network = Network(graph)
    for (kind, value), keys in sorted(holders.items()):
        if len(keys) < 2:
            continue
        if len(keys) > MAX_SHARED:
            network.ignored.append({"kind": kind, "value": value, "suppliers": len(keys)})
            continue
        for a, b in itertools.combinations(sorted(keys), 2):
            if graph.has_edge(a, b):
                graph.edges[a, b]["links"].append({"kind": kind, "value": value})
            else:
                graph.add_edge(a, b, links=[{"kind": kind, "value": value}])
    return network
