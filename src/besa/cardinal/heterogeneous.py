"""R048 Heterogeneous supplier: the variety of item classifications a supplier wins.

Per process: each active award with exactly one supplier (string id) contributes the first
``digits`` characters of each item's string ``classification.id``. Over the population: the
suppliers seen in at least ``minimum_contracting_processes`` processes are kept, their variety
(distinct prefixes) is compared with the R-8 upper fence (or the integer ``threshold``).
There is **no** ``> 0`` guard, and with no kept supplier the fence is NaN (``null`` in Meta).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from besa.cardinal.decode import Award
from besa.cardinal.output import Results
from besa.cardinal.plan import Partial
from besa.cardinal.settings import Settings
from besa.cardinal.statistics import quartiles, round4, upper_fence


def extract(awards: Sequence[Award], digits: int, out: Partial) -> None:
    """Add this process's classification prefixes to each single supplier of an active award."""
    counted: set[str] = set()
    varieties = out.r048
    for award in awards:
        if award.status != "active" or not award.items:
            continue
        suppliers = award.suppliers
        if suppliers is None or len(suppliers) != 1 or type(suppliers[0].id) is not str:
            continue
        supplier = suppliers[0].id
        for item in award.items:
            classification = item.classification
            if classification is None or type(classification.id) is not str:
                continue
            entry = varieties.get(supplier)
            if entry is None:
                entry = varieties[supplier] = (set(), [0])
            entry[0].add(classification.id[:digits])
            if supplier not in counted:  # the process counts once, at its first classified item
                counted.add(supplier)
                entry[1][0] += 1


def finalize(partial: Partial, settings: Settings, results: Results) -> None:
    """Decide R048; fill ``results["Tenderer"]`` and ``results.meta["R048"]``."""
    frame = pl.DataFrame(
        {
            "supplier": list(partial.r048),
            "processes": [count[0] for _, count in partial.r048.values()],
            "variety": [len(prefixes) for prefixes, _ in partial.r048.values()],
        },
        schema={"supplier": pl.String, "processes": pl.Int64, "variety": pl.Int64},
    )
    minimum = settings.get("R048", "minimum_contracting_processes", 20)
    kept = frame.filter(pl.col("processes") >= minimum)
    q1, q3 = quartiles(kept.get_column("variety").sort().to_list())
    threshold = settings.get("R048", "threshold")
    if threshold is None:
        fence = upper_fence(q1, q3)
        results.meta["R048"] = {"q1": round4(q1), "q3": round4(q3), "upper_fence": round4(fence)}
    else:
        fence = float(threshold)
        results.meta["R048"] = {"upper_fence": round4(fence)}
    if math.isnan(fence):
        return
    for supplier, variety in (
        kept.filter(pl.col("variety") >= fence).select("supplier", "variety").iter_rows()
    ):
        results.flag("Tenderer", supplier, "R048", float(variety))
