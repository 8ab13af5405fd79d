"""R024, R025 and R058: the winner against the other valid bids of a single-award process.

Extraction (per block, in :mod:`besa.cardinal.facts`) follows Cardinal's SecondLowestBidRatio
helper: all awards final, exactly one active award with exactly one supplier ``S``, and the
valid bids that have exactly one tenderer. Finalisation (once, over the population) computes
R-8 quartiles and fences with Polars columns and flags the outliers.
"""

from __future__ import annotations

import polars as pl

from besa.cardinal.output import Results
from besa.cardinal.plan import Partial, concat
from besa.cardinal.settings import Settings
from besa.cardinal.statistics import lower_fence, percentile_fence, quartiles, round4, upper_fence


def finalize(partial: Partial, settings: Settings, results: Results) -> None:
    """Decide R024, R025 and R058 over the whole population; fill ``results`` and ``meta``."""
    enabled = settings.enabled
    if "R024" in enabled or "R058" in enabled:
        # Cardinal keeps the ratios in a map keyed by ocid: a later line with the same ocid
        # replaces an earlier one, in the population as in the results.
        ratios = concat(
            partial.ratios,
            {"ocid": pl.String, "ratio": pl.Float64, "winner": pl.String, "runner_up": pl.String},
        ).unique("ocid", keep="last", maintain_order=True)
        ordered = ratios.get_column("ratio").sort().to_list()
        q1, q3 = quartiles(ordered)
        if "R024" in enabled:
            threshold = settings.get("R024", "threshold")
            if threshold is None:
                fence = lower_fence(q1, q3)
                results.meta["R024"] = {
                    "q1": round4(q1),
                    "q3": round4(q3),
                    "lower_fence": round4(fence),
                }
                flagged = q1 > 0 and fence > 0
            else:
                fence = threshold
                results.meta["R024"] = {"lower_fence": round4(fence)}
                flagged = fence > 0
            if flagged:
                hits = ratios.filter(_compares(pl.col("ratio") <= fence))
                _flag(results, hits, "R024", ("winner", "runner_up"))
        if "R058" in enabled:
            threshold = settings.get("R058", "threshold")
            if threshold is None:
                fence = upper_fence(q1, q3)
                results.meta["R058"] = {
                    "q1": round4(q1),
                    "q3": round4(q3),
                    "upper_fence": round4(fence),
                }
            else:
                fence = threshold
                results.meta["R058"] = {"upper_fence": round4(fence)}
            if fence > 0:
                hits = ratios.filter(_compares(pl.col("ratio") >= fence))
                _flag(results, hits, "R058", ("winner",))
    if "R025" in enabled:
        _finalize_r025(partial, settings, results)


def _finalize_r025(partial: Partial, settings: Settings, results: Results) -> None:
    totals = (
        concat(partial.r025, {"tenderer": pl.String, "won": pl.Int64, "seen": pl.Int64})
        .group_by("tenderer")
        .agg(numerator=pl.col("won").sum(), denominator=pl.col("seen").sum())
    )
    totals = totals.with_columns((pl.col("numerator") / pl.col("denominator")).alias("ratio"))
    denominators = totals.get_column("denominator").sort().to_list()
    ratios = totals.get_column("ratio").sort().to_list()
    top = percentile_fence(denominators, settings.get("R025", "percentile", 75))
    q1, q3 = quartiles(ratios)
    threshold = settings.get("R025", "threshold")
    if threshold is None:
        fence = lower_fence(q1, q3)
        results.meta["R025"] = {
            "q1": round4(q1),
            "q3": round4(q3),
            "upper_fence": round4(top),
            "lower_fence": round4(fence),
        }
        flagged = q1 > 0 and fence > 0
    else:
        fence = threshold
        results.meta["R025"] = {"upper_fence": round4(top), "lower_fence": round4(fence)}
        flagged = fence > 0
    if flagged:
        hits = totals.filter((pl.col("denominator") >= top) & (pl.col("ratio") <= fence))
        results.add("Tenderer", hits.select(id="tenderer", code=pl.lit("R025"), value="ratio"))


def _flag(results: Results, hits: pl.DataFrame, code: str, tenderers: tuple[str, ...]) -> None:
    """Flag the processes with their ratio and the given tenderers (0.0), linked for Maps."""
    results.add("OCID", hits.select(id="ocid", code=pl.lit(code), value="ratio"))
    for column in tenderers:
        results.add("Tenderer", hits.select(id=column, code=pl.lit(code), value=pl.lit(0.0)))
        results.link(hits.select(code=pl.lit(code), ocid="ocid", tenderer=column))


def _compares(comparison: pl.Expr) -> pl.Expr:
    """An IEEE comparison of the ratio: false for NaN (Polars orders NaN above every number)."""
    return comparison & pl.col("ratio").is_not_nan()
