"""R024, R025 and R058: the winner against the other valid bids of a single-award process.

Extraction (per process, in the workers) follows Cardinal's SecondLowestBidRatio helper:
all awards final, exactly one active award with exactly one supplier ``S``, and the valid bids
that have exactly one tenderer. Finalisation (once, over the population) computes R-8
quartiles and fences with Polars columns and flags the outliers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from besa.cardinal.output import Results
from besa.cardinal.plan import Partial, Plan
from besa.cardinal.process_rules import SubmittedBid
from besa.cardinal.settings import Settings
from besa.cardinal.statistics import lower_fence, percentile_fence, quartiles, round4, upper_fence

_NUMBER = (int, float)


def single_tenderer_valid_bids(submitted: Sequence[SubmittedBid]) -> list[tuple[str, SubmittedBid]]:
    """(tenderer id, bid) for each valid bid with exactly one tenderer that has a string id."""
    return [(b[1][0], b) for b in submitted if b[0] == "valid" and b[2] == 1 and b[1]]


def extract(
    ocid: str,
    supplier: str,
    bids: list[tuple[str, SubmittedBid]],
    plan: Plan,
    price_ok: bool,
    out: Partial,
) -> None:
    """Append this process's R025 rows and, if it is price-compared, its R024/R058 ratio."""
    enabled = plan.enabled
    if "R025" in enabled:
        counts = out.r025
        for tenderer in {tenderer for tenderer, _ in bids}:  # once per process
            entry = counts.get(tenderer)
            if entry is None:
                counts[tenderer] = [tenderer == supplier, 1]
            else:
                entry[0] += tenderer == supplier
                entry[1] += 1
    if not price_ok or ("R024" not in enabled and "R058" not in enabled):
        return
    currency = plan.currency
    winner: float | None = None
    second: float | None = None
    runner_up = ""
    for tenderer, (_, _, _, value, _) in bids:
        if value is None or type(value.amount) not in _NUMBER:
            continue
        if value.currency != currency:
            out.currency_mismatches.append((ocid, value.currency))
            continue
        amount = float(value.amount)
        if tenderer == supplier:
            if winner is None or amount < winner:
                winner = amount
        elif second is None or amount < second:
            second, runner_up = amount, tenderer
    # "Otherwise the award criteria weren't price-only": the winner must hold the lowest bid.
    if winner is None or second is None or second < winner:
        return
    difference = second - winner
    # Rust divides by zero into NaN or infinity; Python would raise.
    ratio = difference / winner if winner else (math.nan if difference == 0 else math.inf)
    out.ratio_ocid.append(ocid)
    out.ratio_value.append(ratio)
    out.ratio_winner.append(supplier)
    out.ratio_runner_up.append(runner_up)


def finalize(partial: Partial, settings: Settings, results: Results) -> None:
    """Decide R024, R025 and R058 over the whole population; fill ``results`` and ``meta``."""
    enabled = settings.enabled
    if "R024" in enabled or "R058" in enabled:
        ratios = pl.DataFrame(
            {
                "ocid": partial.ratio_ocid,
                "ratio": partial.ratio_value,
                "winner": partial.ratio_winner,
                "runner_up": partial.ratio_runner_up,
            },
            schema={
                "ocid": pl.String,
                "ratio": pl.Float64,
                "winner": pl.String,
                "runner_up": pl.String,
            },
        )
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
                hits = ratios.filter(pl.col("ratio") <= fence)
                for ocid, ratio, winner, runner_up in hits.iter_rows():
                    results.flag("OCID", ocid, "R024", ratio)
                    results.flag("Tenderer", winner, "R024", 0.0, ocid)
                    results.flag("Tenderer", runner_up, "R024", 0.0, ocid)
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
                hits = ratios.filter(pl.col("ratio") >= fence)
                for ocid, ratio, winner, _ in hits.iter_rows():
                    results.flag("OCID", ocid, "R058", ratio)
                    results.flag("Tenderer", winner, "R058", 0.0, ocid)
    if "R025" in enabled:
        _finalize_r025(partial, settings, results)


def _finalize_r025(partial: Partial, settings: Settings, results: Results) -> None:
    totals = pl.DataFrame(
        {
            "tenderer": list(partial.r025),
            "numerator": [won for won, _ in partial.r025.values()],
            "denominator": [seen for _, seen in partial.r025.values()],
        },
        schema={"tenderer": pl.String, "numerator": pl.Int64, "denominator": pl.Int64},
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
        for tenderer, ratio in hits.select("tenderer", "ratio").iter_rows():
            results.flag("Tenderer", tenderer, "R025", ratio)
