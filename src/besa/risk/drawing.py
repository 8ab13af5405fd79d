"""A supplier network drawn as a self-contained SVG (server-rendered, no JavaScript, no CDN).

Each connected group gets a cell of its own in a grid (largest first), and inside its cell
networkx's spring layout with a fixed seed places its suppliers, so groups never overlap and one
graph always draws the same way. Labels and tooltips are XML-escaped: names come from suppliers
and imported data. Pure: no Django.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

#: Colours per link kind (also the legend); unknown kinds are grey.
KIND_COLOURS = {
    "address": "#1f77b4",
    "phone": "#ff7f0e",
    "email": "#2ca02c",
    "legal_representative": "#d62728",
    "shareholder": "#9467bd",
    "co_bidding": "#8c564b",
    "rotation": "#e377c2",
    "met": "#bbbbbb",
}
_MARGIN = 60
#: Share of a cell left empty on each side, so that neighbouring groups stay apart.
_PADDING = 0.18


def positions(graph: nx.Graph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Each node's place in the unit square: one grid cell per connected group."""
    groups = sorted(
        (sorted(map(str, c)) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c)
    )
    columns = max(1, math.ceil(math.sqrt(len(groups))))
    rows = max(1, math.ceil(len(groups) / columns))
    placed: dict[str, tuple[float, float]] = {}
    for index, group in enumerate(groups):
        left, top = (index % columns) / columns, (index // columns) / rows
        width, height = 1 / columns, 1 / rows
        if len(group) == 1:
            placed[group[0]] = (left + width / 2, top + height / 2)
            continue
        layout = nx.spring_layout(graph.subgraph(group), seed=seed)
        for node, (x, y) in layout.items():
            # spring_layout returns [-1, 1]; keep the padding free on every side of the cell.
            fx = _PADDING + (float(x) + 1) / 2 * (1 - 2 * _PADDING)
            fy = _PADDING + (float(y) + 1) / 2 * (1 - 2 * _PADDING)
            placed[str(node)] = (left + fx * width, top + fy * height)
    return placed


def svg(
    graph: nx.Graph,
    *,
    width: int = 720,
    height: int = 480,
    highlight: frozenset[str] = frozenset(),
    seed: int = 7,
) -> str:
    """The graph as an ``<svg>`` element; ``highlight`` nodes are drawn larger and darker.

    Each node is a circle with its ``name`` (or key) as label and ``<title>`` tooltip; each
    edge is a line coloured by its first link kind with all kinds in its tooltip.
    """
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="risk-network">'
    ]
    if graph.number_of_nodes() == 0:
        parts.append("</svg>")
        return "".join(parts)
    unit = positions(graph, seed)
    inner_w, inner_h = width - 2 * _MARGIN, height - 2 * _MARGIN

    def place(node: str) -> tuple[float, float]:
        x, y = unit[str(node)]
        return _MARGIN + x * inner_w, _MARGIN + y * inner_h

    for a, b, data in sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        links = data.get("links") or [{"kind": "link", "value": ""}]
        colour = KIND_COLOURS.get(links[0]["kind"], "#888888")
        (x1, y1), (x2, y2) = place(a), place(b)
        tip = "; ".join(f"{link['kind']}: {link['value']}" for link in links)
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{colour}" stroke-width="{1 + min(len(links), 4)}">'
            f"<title>{escape(tip)}</title></line>"
        )
    for node in sorted(graph.nodes, key=str):
        x, y = place(node)
        name = str(graph.nodes[node].get("name") or node)
        big = node in highlight
        parts.append(
            f'<g class="node" data-key={quoteattr(str(node))}>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{9 if big else 6}" '
            f'fill="{"#b30000" if big else "#333333"}"><title>{escape(name)} ({escape(str(node))})'
            f"</title></circle>"
            f'<text x="{x + 9:.1f}" y="{y + 4:.1f}" font-size="11">{escape(name[:40])}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
