"""R048 Heterogeneous supplier: the variety of item classifications a supplier wins.

Per process: each active award with exactly one supplier (string id) contributes the first
``digits`` characters of each item's string ``classification.id``. Over the population: the
suppliers seen in at least ``minimum_contracting_processes`` processes are kept, their variety
(distinct prefixes) is compared with the R-8 upper fence (or the integer ``threshold``).
There is **no** ``> 0`` guard, and with no kept supplier the fence is NaN (``null`` in Meta).
"""

from __future__ import annotations

import math

import polars as pl

from besa.cardinal.output import Results
from besa.cardinal.plan import Partial, concat
from besa.cardinal.settings import Settings
from besa.cardinal.statistics import quartiles, round4, upper_fence


def finalize(partial: Partial, settings: Settings, results: Results) -> None:
    """Decide R048; fill ``results["Tenderer"]`` and ``results.meta["R048"]``."""
    processes = (
        concat(partial.r048_processes, {"supplier": pl.String, "n": pl.Int64})
        .group_by("supplier")
        .agg(processes=pl.col("n").sum())
    )
    variety = (
        concat(partial.r048_prefixes, {"supplier": pl.String, "prefix": pl.String})
        .group_by("supplier")
        .agg(variety=pl.col("prefix").n_unique().cast(pl.Int64))
    )
    frame = processes.join(variety, on="supplier")
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
    hits = kept.filter(pl.col("variety") >= fence)
    results.add("Tenderer", hits.select(id="supplier", code=pl.lit("R048"), value="variety"))
