"""A supplier network drawn as a self-contained SVG (server-rendered, no JavaScript, no CDN).

Each connected group gets a rectangle of its own, with an area in proportion to its size, and
the rectangles tile the whole picture; inside its rectangle networkx's spring layout with a
fixed seed places its suppliers, scaled (keeping its shape) to fill the rectangle — small groups
less, so that a pair is not drawn corner to corner — so groups never overlap, the picture's
area is used, and one graph always draws the same way.

Labels are placed, not just written: each is tried right, left, above and below its node (then
shortened), and kept only where its box lies wholly inside the picture and overlaps no other
label and no node. A label that fits nowhere is left out of the drawing (its node keeps its
tooltip; the page lists every group's members in words). So labels never clip or overlap.
Text width is estimated per character (``label_box``), generously for the sans-serif font.
Labels and tooltips are XML-escaped: names come from suppliers and imported data. Pure: no
Django.
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
#: Free border around the picture, in pixels.
_MARGIN = 14
#: Share of a cell kept free on each side, so that neighbouring groups stay apart.
_PADDING = 0.08
FONT_SIZE = 11
#: Advance of a character in em, rounded up from DejaVu Sans (the widest common sans-serif):
#: capitals and wide letters, narrow ones, spaces and punctuation, everything else.
_WIDE, _NARROW, _THIN, _OTHER = 0.80, 0.32, 0.36, 0.64
_GAP = 3
#: Longest label drawn; a label that does not fit is then tried shorter.
LENGTHS = (40, 20, 12)
SIDES = (
    "right",
    "left",
    "above",
    "below",
    "above-right",
    "below-right",
    "above-left",
    "below-left",
)

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def positions(
    graph: nx.Graph, seed: int = 7, aspect: float = 1.5
) -> dict[str, tuple[float, float]]:
    """Each node's place in the unit square: one rectangle per connected group, with an area
    in proportion to the group's size (a binary split along the longer side, so the
    rectangles tile the whole picture). ``aspect`` is the picture's width / height."""
    groups = sorted(
        (sorted(map(str, c)) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c)
    )
    cells: list[tuple[list[str], float, float, float, float]] = []
    _tile(groups, 0.0, 0.0, aspect, 1.0, cells)
    placed: dict[str, tuple[float, float]] = {}
    for group, left, top, width, height in cells:
        left, width = left / aspect, width / aspect
        if len(group) == 1:
            placed[group[0]] = (left + width / 2, top + height / 2)
            continue
        # spring_layout gives its seeded starting points to nodes in iteration order, and a
        # subgraph view smaller than half its graph iterates a set (order varies with
        # PYTHONHASHSEED): hand it the group's nodes in sorted order instead.
        ordered = nx.Graph()
        ordered.add_nodes_from(group)
        ordered.add_edges_from(graph.subgraph(group).edges(data=True))
        layout = nx.spring_layout(ordered, seed=seed)
        xs = [float(p[0]) for p in layout.values()]
        ys = [float(p[1]) for p in layout.values()]
        # One scale for both axes (in heights of the picture), so a group keeps its shape;
        # small groups stay compact, larger ones fill their rectangle.
        fill = min(1.0, 0.35 + 0.1 * len(group)) * (1 - 2 * _PADDING)
        spans = max(xs) - min(xs), max(ys) - min(ys)
        scale = fill * min(
            width * aspect / spans[0] if spans[0] else math.inf,
            height / spans[1] if spans[1] else math.inf,
        )
        scale = 0.0 if math.isinf(scale) else scale
        centre = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        for node, (x, y) in layout.items():
            placed[str(node)] = (
                left + width / 2 + (float(x) - centre[0]) * scale / aspect,
                top + height / 2 + (float(y) - centre[1]) * scale,
            )
    return placed


def _weight(group: list[str]) -> int:
    return len(group) + 1  # a lone supplier still needs room for its label


def _tile(
    groups: list[list[str]],
    left: float,
    top: float,
    width: float,
    height: float,
    out: list[tuple[list[str], float, float, float, float]],
) -> None:
    """Split the rectangle among ``groups`` (largest first) in proportion to their weights."""
    if not groups:
        return
    if len(groups) == 1:
        out.append((groups[0], left, top, width, height))
        return
    total = sum(map(_weight, groups))
    running, cut = 0, 1
    for index, group in enumerate(groups[:-1], start=1):
        running += _weight(group)
        cut = index
        if running * 2 >= total:
            break
    share = sum(map(_weight, groups[:cut])) / total
    if width >= height:
        _tile(groups[:cut], left, top, width * share, height, out)
        _tile(groups[cut:], left + width * share, top, width * (1 - share), height, out)
    else:
        _tile(groups[:cut], left, top, width, height * share, out)
        _tile(groups[cut:], left, top + height * share, width, height * (1 - share), out)


def label_box(x: float, y: float, text: str, side: str, radius: float) -> tuple[Box, str, float]:
    """The box of ``text`` placed on ``side`` of a node at (x, y): (box, text-anchor, baseline
    y). The box is what the text may cover; it is what the overlap checks use."""
    width = text_width(text)
    height = FONT_SIZE * 1.25
    if side == "right":
        x0, y0 = x + radius + _GAP, y - height / 2
    elif side == "left":
        x0, y0 = x - radius - _GAP - width, y - height / 2
    elif side == "above":
        x0, y0 = x - width / 2, y - radius - _GAP - height
    elif side == "below":
        x0, y0 = x - width / 2, y + radius + _GAP
    else:  # a corner: "above-right", "below-left"…
        vertical, horizontal = side.split("-")
        x0 = x + radius if horizontal == "right" else x - radius - width
        y0 = y - radius - height if vertical == "above" else y + radius
    return (x0, y0, x0 + width, y0 + height), "start", y0 + height * 0.78


def text_width(text: str) -> float:
    """An upper estimate of ``text``'s width in pixels at FONT_SIZE."""
    em = 0.0
    for char in text:
        if char.isupper() or char in "mwMW@%&":
            em += _WIDE
        elif char in "ijlt.,;:'!|()[]fr":
            em += _NARROW
        elif char in " -·":
            em += _THIN
        else:
            em += _OTHER
    return em * FONT_SIZE


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _short(name: str, limit: int) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def place_labels(
    nodes: list[tuple[str, float, float, float, str]], width: float, height: float
) -> dict[str, tuple[Box, str]]:
    """Labels for ``nodes`` = (key, x, y, radius, name), in priority order: {key: (box, text)}
    for the labels that fit; every returned box is inside the picture and overlaps no other
    returned box and no node's circle."""
    circles = [(x - r, y - r, x + r, y + r) for _k, x, y, r, _n in nodes]
    taken: list[Box] = []
    placed: dict[str, tuple[Box, str]] = {}
    for key, x, y, radius, name in nodes:
        for text in dict.fromkeys(_short(name, n) for n in LENGTHS):
            for side in SIDES:
                box, _anchor, _base = label_box(x, y, text, side, radius)
                inside = box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height
                if (
                    inside
                    and not any(_overlaps(box, other) for other in taken)
                    and not any(_overlaps(box, c) for c in circles)
                ):
                    taken.append(box)
                    placed[key] = (box, text)
                    break
            if key in placed:
                break
    return placed


def svg(
    graph: nx.Graph,
    *,
    width: int = 960,
    height: int = 640,
    highlight: frozenset[str] = frozenset(),
    seed: int = 7,
) -> str:
    """The graph as an ``<svg>`` element; ``highlight`` nodes are drawn larger and darker.

    Each node is a circle with its ``name`` (or key) as tooltip and, where it fits, as label;
    each edge is a line coloured by its first link kind with all kinds in its tooltip.
    """
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" class="risk-network" '
        f'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" '
        f'style="max-width:{width}px">'
    ]
    if graph.number_of_nodes() == 0:
        parts.append("</svg>")
        return "".join(parts)
    unit = positions(graph, seed, aspect=width / height)
    inner_w, inner_h = width - 2 * _MARGIN, height - 2 * _MARGIN

    def place(node: object) -> tuple[float, float]:
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
    ordered = sorted(graph.nodes, key=lambda n: (n not in highlight, -graph.degree(n), str(n)))
    nodes = [
        (
            str(n),
            *place(n),
            9.0 if n in highlight else 6.0,
            str(graph.nodes[n].get("name") or n),
        )
        for n in ordered
    ]
    labels = place_labels(nodes, width, height)
    for key, x, y, radius, name in sorted(nodes, key=lambda n: n[0]):
        big = radius > 6
        parts.append(
            f'<g class="node" data-key={quoteattr(key)}>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{int(radius)}" '
            f'fill="{"#b30000" if big else "#333333"}"><title>{escape(name)} ({escape(key)})'
            f"</title></circle>"
        )
        if key in labels:
            box, text = labels[key]
            baseline = box[1] + (box[3] - box[1]) * 0.78
            parts.append(
                f'<text x="{box[0]:.1f}" y="{baseline:.1f}" font-size="{FONT_SIZE}" '
                'paint-order="stroke" stroke="#ffffff" stroke-width="3" '
                f'data-box="{box[0]:.1f} {box[1]:.1f} {box[2]:.1f} {box[3]:.1f}">'
                f"{escape(text)}</text>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
