"""R038 Excessive disqualified bids, per buyer, procuring entity and tenderer.

Per process (only if it has a submitted bid): the buyer and the procuring entity each get
(disqualified bids, submitted bids); each tenderer of each submitted bid gets (1 if that bid is
disqualified, 1). Over the population, entities below a minimum are dropped, the R-8 upper
fence of the remaining ratios is computed and ratios at or above it (if the fence is > 0) are
flagged. Quirk kept: for buyers and procuring entities ``minimum_contracting_processes`` is
compared with the number of **submitted bids**, as in Cardinal 0.0.8.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from besa.cardinal.output import Results
from besa.cardinal.plan import Partial, concat
from besa.cardinal.settings import Settings
from besa.cardinal.statistics import quartiles, round4, upper_fence


def finalize(partial: Partial, settings: Settings, results: Results) -> None:
    """Decide R038 for the three groups; fill ``results`` and ``results.meta["R038"]``."""
    threshold = settings.get("R038", "threshold")
    minimum_processes = settings.get("R038", "minimum_contracting_processes", 2)
    groups = (
        ("Buyer", partial.r038_buyer, minimum_processes),
        ("ProcuringEntity", partial.r038_entity, minimum_processes),
        ("Tenderer", partial.r038_tenderer, settings.get("R038", "minimum_submitted_bids", 2)),
    )
    entry: dict[str, Any] = {}
    for group, counts, minimum in groups:
        frame = (
            concat(counts, {"id": pl.String, "disqualified": pl.Int64, "submitted": pl.Int64})
            .group_by("id")
            .agg(pl.col("disqualified").sum(), pl.col("submitted").sum())
        )
        kept = frame.filter(pl.col("submitted") >= minimum).with_columns(
            (pl.col("disqualified") / pl.col("submitted")).alias("ratio")
        )
        if kept.height == 0:
            continue
        if threshold is None:
            q1, q3 = quartiles(kept.get_column("ratio").sort().to_list())
            fence = upper_fence(q1, q3)
            entry.update(
                {
                    f"{group}_q1": round4(q1),
                    f"{group}_q3": round4(q3),
                    f"{group}_upper_fence": round4(fence),
                }
            )
        else:
            fence = threshold
            entry[f"{group}_upper_fence"] = round4(fence)
        if fence > 0:
            hits = kept.filter(pl.col("ratio") >= fence)
            results.add(group, hits.select("id", code=pl.lit("R038"), value="ratio"))
    results.meta["R038"] = entry
