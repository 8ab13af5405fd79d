"""Charts drawn on the server: an Altair (Vega-Lite) spec rendered to SVG by vl-convert.

vl-convert bundles Vega and its own JavaScript runtime, so nothing is fetched: the data are
inline values and no font or schema URL is loaded. Titles and axes come translated from the
table (the caller activates the language); every chart goes with its table, which the page
shows as the screen-reader alternative (``aria-describedby``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import altair as alt
import vl_convert
from django.utils.html import escape

from besa.reports.tables import Table

#: Longest label drawn on an axis; the full label is in the tooltip and the data table.
LABEL_LIMIT = 220
#: Bars beyond this many are left to the table (a chart of 200 bars reads as nothing).
MAX_BARS = 25


def spec(table: Table) -> dict[str, Any] | None:
    """The Vega-Lite spec of ``table``'s chart, or None when it has none or nothing to draw
    (no rows, or every value zero)."""
    if table.chart is None or not table.rows:
        return None
    label_key, value_key = table.chart
    columns = {c.key: c for c in table.columns}
    label_title, value_title = str(columns[label_key].title), str(columns[value_key].title)
    values = [
        {"label": str(row[label_key]), "value": float(row.get(value_key) or Decimal(0))}
        for row in table.rows[:MAX_BARS]
    ]
    if not any(v["value"] for v in values):
        return None  # a chart of zeros says nothing the table does not
    kind = columns[value_key].kind
    axis_format = {"money": ",.2s", "int": ",d"}.get(kind, ",.2f")
    tip_format = {"money": ",.2f", "int": ",d"}.get(kind, ",.3f")
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(color="#1f5f8b")
        .encode(
            y=alt.Y("label:N", title=label_title, sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            x=alt.X(
                "value:Q",
                title=value_title,
                axis=alt.Axis(
                    format=axis_format, tickMinStep=1 if kind == "int" else alt.Undefined
                ),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=label_title),
                alt.Tooltip("value:Q", title=value_title, format=tip_format),
            ],
        )
        .properties(title=str(table.title), width=420, height=alt.Step(18))
        .configure_view(stroke=None)
        .configure(font="DejaVu Sans")
    )
    return chart.to_dict()


def svg(table: Table) -> str:
    """The chart of ``table`` as an ``<svg>`` element ('' when it has none)."""
    found = spec(table)
    if found is None:
        return ""
    drawn: str = vl_convert.vegalite_to_svg(found)
    # vl-convert writes a bare <svg>; give it a role so it is announced as one image whose
    # description is the data table next to it.
    return drawn.replace("<svg ", f'<svg role="img" aria-label="{escape(table.title)}" ', 1)
