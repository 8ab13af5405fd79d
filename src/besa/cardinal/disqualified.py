"""R038 Excessive disqualified bids, per buyer, procuring entity and tenderer.

Per process (only if it has a submitted bid): the buyer and the procuring entity each get
(disqualified bids, submitted bids); each tenderer of each submitted bid gets (1 if that bid is
disqualified, 1). Over the population, entities below a minimum are dropped, the R-8 upper
fence of the remaining ratios is computed and ratios at or above it (if the fence is > 0) are
flagged. Quirk kept: for buyers and procuring entities ``minimum_contracting_processes`` is
compared with the number of **submitted bids**, as in Cardinal 0.0.8.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from besa.cardinal.decode import Ref
from besa.cardinal.output import Results
from besa.cardinal.plan import Counts, Partial
from besa.cardinal.process_rules import SubmittedBid
from besa.cardinal.settings import Settings
from besa.cardinal.statistics import quartiles, round4, upper_fence


def _add(counts: Counts, key: str, disqualified: int, submitted: int) -> None:
    entry = counts.get(key)
    if entry is None:
        counts[key] = [disqualified, submitted]
    else:
        entry[0] += disqualified
        entry[1] += submitted


def extract(
    ocid: str,
    submitted: Sequence[SubmittedBid],
    buyer: Ref | None,
    entity: Ref | None,
    out: Partial,
    maps: bool,
) -> None:
    """Add this process's bids to the R038 counts."""
    disqualified = 0
    tenderers = out.r038_tenderer
    for status, ids, _, _, _ in submitted:
        flag = status == "disqualified"
        disqualified += flag
        for tenderer in ids:
            entry = tenderers.get(tenderer)
            if entry is None:
                tenderers[tenderer] = [flag, 1]
            else:
                entry[0] += flag
                entry[1] += 1
    count = len(submitted)
    if buyer is not None and type(buyer.id) is str:
        _add(out.r038_buyer, buyer.id, disqualified, count)
        if maps and disqualified:
            out.map_ocid_buyer[ocid] = buyer.id
    if entity is not None and type(entity.id) is str:
        _add(out.r038_entity, entity.id, disqualified, count)
        if maps and disqualified:
            out.map_ocid_entity[ocid] = entity.id


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
        frame = pl.DataFrame(
            {
                "id": list(counts),
                "disqualified": [d for d, _ in counts.values()],
                "submitted": [n for _, n in counts.values()],
            },
            schema={"id": pl.String, "disqualified": pl.Int64, "submitted": pl.Int64},
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
            for identifier, ratio in (
                kept.filter(pl.col("ratio") >= fence).select("id", "ratio").iter_rows()
            ):
                results.flag(group, identifier, "R038", ratio)
    results.meta["R038"] = entry
