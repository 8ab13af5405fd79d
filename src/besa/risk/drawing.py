"""A supplier network drawn as a self-contained SVG (server-rendered, no JavaScript, no CDN).

Positions come from networkx's spring layout with a fixed seed, so one graph always draws the
same way. Labels and tooltips are XML-escaped: names come from suppliers and imported data.
Pure: no Django.
"""

from __future__ import annotations

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
    positions = nx.spring_layout(graph, seed=seed) if graph.number_of_nodes() > 1 else None
    inner_w, inner_h = width - 2 * _MARGIN, height - 2 * _MARGIN

    def place(node: str) -> tuple[float, float]:
        if positions is None:
            return width / 2, height / 2
        x, y = positions[node]
        return _MARGIN + (float(x) + 1) / 2 * inner_w, _MARGIN + (float(y) + 1) / 2 * inner_h

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
