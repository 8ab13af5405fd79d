"""The per-process pass, vectorised: from a table of releases to the facts of a :class:`Partial`.

Every rule here is a Polars expression over whole columns (processes, submitted bids, awards),
never a Python loop over releases. It applies the filters that hold for every indicator (string
``ocid``, tender not cancelled, ``[exclusions]``), decides the per-process rules R003, R018,
R028, R030, R035 and R036, and extracts what the population indicators need (R024/R058 ratios,
R025 and R038 counts, R048 prefixes). Quirks of Cardinal 0.0.8 are kept and marked "quirk";
``indicators-cardinal.md`` §3–4 has the semantics.

Row order matters only where Cardinal lets a later line overwrite an earlier one with the same
``ocid`` (R035's value, the ``--map`` lists): every frame keeps file order.
"""

from __future__ import annotations

import polars as pl

from besa.cardinal.dates import instants, whole_days
from besa.cardinal.plan import Partial, Plan
from besa.cardinal.table import is_currency

_NOT_SUBMITTED = ["invited", "withdrawn"]
_FINAL = ["active", "cancelled", "unsuccessful"]


def _ids(column: str) -> pl.Expr:
    """The string ids of a list of references, in order (entries without one are skipped)."""
    # (drop_nulls inside eval: Polars' list.drop_nulls is slow on many short lists)
    return pl.col(column).list.eval(pl.element().struct.field("id").drop_nulls())


def _entries(column: str) -> pl.Expr:
    """How many entries a list of references has, whatever they are (``null`` included)."""
    return pl.col(column).list.len().fill_null(0)


def _zero(amount: pl.Expr) -> pl.Expr:
    # -0.0 equals 0.0 in Cardinal's comparisons; in a sort or a group key it would not.
    return pl.when(amount == 0).then(0.0).otherwise(amount)


def processes(frame: pl.DataFrame, plan: Plan) -> pl.DataFrame:
    """One row per readable process, with the tender fields the rules read and ``price_ok``."""
    tender = pl.col("tender")
    table = frame.with_row_index("row").select(
        "row",
        "ocid",
        pl.col("buyer").struct.field("id").alias("buyer"),
        tender.is_not_null().alias("has_tender"),
        tender.struct.field("status").alias("tender_status"),
        tender.struct.field("procurementMethod").alias("method"),
        tender.struct.field("procurementMethodDetails").alias("details"),
        tender.struct.field("numberOfTenderers").alias("number_of_tenderers"),
        tender.struct.field("tenderPeriod").struct.field("startDate").alias("start"),
        tender.struct.field("tenderPeriod").struct.field("endDate").alias("end"),
        tender.struct.field("procuringEntity").struct.field("id").alias("entity"),
        pl.col("awards").is_not_null().alias("has_awards"),
    )
    readable = pl.col("ocid").is_not_null() & pl.col("tender_status").ne_missing("cancelled")
    if plan.exclusions:
        readable &= ~pl.col("details").is_in(list(plan.exclusions)).fill_null(False)
    details = pl.col("details")
    if plan.price_allow:  # an allow-list wins, and then needs procurementMethodDetails
        price_ok = details.is_in(list(plan.price_allow)).fill_null(False)
    else:
        price_ok = details.is_null() | ~details.is_in(list(plan.price_deny))
    return table.filter(readable).with_columns(price_ok.alias("price_ok"))


def submitted_bids(frame: pl.DataFrame, rows: pl.Series) -> pl.DataFrame:
    """One row per submitted bid of the given processes, in array order (``pos``).

    A submitted bid has a string status other than invited or withdrawn; ``ids`` are its
    tenderers' string ids and ``entries`` the number of entries in ``tenderers``.
    """
    details = frame.with_row_index("row").select(
        "row", pl.col("bids").struct.field("details").alias("bid")
    )
    bids = (
        details.filter(pl.col("row").is_in(rows.implode()) & pl.col("bid").list.len().gt(0))
        .with_columns(pl.int_ranges(pl.col("bid").list.len()).alias("pos"))
        .explode("bid", "pos")
        .unnest("bid")
    )
    return bids.filter(
        pl.col("status").is_not_null() & ~pl.col("status").is_in(_NOT_SUBMITTED)
    ).select(
        "row",
        "pos",
        "status",
        "date",
        _ids("tenderers").alias("ids"),
        _entries("tenderers").alias("entries"),
        _zero(pl.col("value").struct.field("amount")).alias("amount"),
        pl.col("value").struct.field("amount").alias("raw_amount"),  # -0.0 kept, for division
        pl.col("value").struct.field("currency").alias("currency"),
    )


def awards(frame: pl.DataFrame, rows: pl.Series) -> pl.DataFrame:
    """One row per award of the given processes: status, supplier ids and entries, items."""
    return (
        frame.with_row_index("row")
        .select("row", "awards")
        .filter(pl.col("row").is_in(rows.implode()) & pl.col("awards").list.len().gt(0))
        .explode("awards")
        .filter(pl.col("awards").is_not_null())
        .unnest("awards")
        .select(
            "row",
            "status",
            _ids("suppliers").alias("suppliers"),
            _entries("suppliers").alias("entries"),
            "items",
        )
    )


class _Flags:
    """The per-process results of one block, as frames."""

    def __init__(self, want_maps: bool) -> None:
        self.want_maps = want_maps
        self.ocid: list[pl.DataFrame] = []
        self.tenderer: list[pl.DataFrame] = []
        self.links: list[pl.DataFrame] = []

    def processes(self, rows: pl.DataFrame, code: str, value: pl.Expr | float = 1.0) -> None:
        """Flag the processes of ``rows`` (columns row, ocid) with ``value``."""
        amount = value if isinstance(value, pl.Expr) else pl.lit(value, pl.Float64)
        self.ocid.append(rows.select("row", id="ocid", code=pl.lit(code), value=amount))

    def tenderers(self, pairs: pl.DataFrame, code: str, value: float) -> None:
        """Flag the tenderers of ``pairs`` (columns ocid, tenderer); link them with --map."""
        self.tenderer.append(
            pairs.select(id="tenderer")
            .unique()
            .with_columns(code=pl.lit(code), value=pl.lit(value, pl.Float64))
        )
        if self.want_maps:
            self.links.append(pairs.select(code=pl.lit(code), ocid="ocid", tenderer="tenderer"))

    def into(self, out: Partial) -> None:
        """Hand the frames to ``out``, process flags in file order (a later line wins)."""
        if self.ocid:
            flags = pl.concat(self.ocid).sort("row", maintain_order=True).drop("row")
            out.ocid_flags.append(flags)
        if self.tenderer:
            out.tenderer_flags.append(pl.concat(self.tenderer))
        if self.links:
            out.links.append(pl.concat(self.links))


def extract(frame: pl.DataFrame, plan: Plan, out: Partial) -> None:
    """Add the facts of the readable processes of ``frame`` to ``out``."""
    enabled = plan.enabled
    procs = processes(frame, plan)
    flags = _Flags(plan.want_maps)

    with_tender = procs.filter("has_tender")
    if "R003" in enabled:
        _r003(with_tender, plan, flags)
    if "R018" in enabled:
        single = with_tender.filter(
            (pl.col("number_of_tenderers") == 1) & pl.col("method").is_in(list(plan.r018_methods))
        )
        flags.processes(single, "R018")

    bids = submitted_bids(frame, procs.get_column("row"))
    per_process = bids.group_by("row", maintain_order=True).agg(
        submitted=pl.len(),
        disqualified=(pl.col("status") == "disqualified").sum(),
    )
    bidders = procs.join(per_process, on="row", how="inner", maintain_order="left")
    if plan.want_maps:
        ids = bids.select("row", pl.col("ids").alias("tenderer")).explode("tenderer").drop_nulls()
        listed = ids.group_by("row", maintain_order=True).agg(
            pl.col("tenderer").unique(maintain_order=True)
        )
        out.map_ocid_tenderer.append(
            listed.join(procs.select("row", "ocid"), on="row", maintain_order="left").select(
                "ocid", "tenderer"
            )
        )
    if "R028" in enabled:
        compared = bidders.filter(pl.col("price_ok") & (pl.col("submitted") > 1))
        _r028(bids, compared, flags)
    if "R038" in enabled:
        _r038(bids, bidders, plan, out)

    # The remaining rules need ``awards`` to be an array (possibly empty).
    with_awards = procs.filter("has_awards")
    all_awards = awards(frame, with_awards.get_column("row"))
    if "R048" in enabled:
        _r048(all_awards, plan, out)
    scored = bidders.filter("has_awards")
    active = all_awards.filter(pl.col("status") == "active")
    suppliers = (
        active.select("row", pl.col("suppliers").alias("supplier"))
        .explode("supplier")
        .drop_nulls()
        .unique()
    )
    award_facts = all_awards.group_by("row").agg(
        active=(pl.col("status") == "active").sum(),
        # "All awards final": any string status other than these excludes the process.
        final=~(pl.col("status").is_not_null() & ~pl.col("status").is_in(_FINAL)).any(),
    )
    scored = scored.join(award_facts, on="row", how="left").with_columns(
        pl.col("active").fill_null(0), pl.col("final").fill_null(True)
    )
    if "R030" in enabled:
        _r030(bids, scored, suppliers, flags)
    if "R036" in enabled:
        _r036(bids, scored, plan, flags)
    final = scored.filter("final")
    if "R035" in enabled:
        _r035(bids, final, suppliers, plan, flags)
    if enabled & {"R024", "R025", "R058"}:
        _ratio(bids, final, active, plan, out)

    flags.into(out)


def _r003(with_tender: pl.DataFrame, plan: Plan, flags: _Flags) -> None:
    """Short submission period: fewer whole days than the threshold for this procedure."""
    rows = with_tender.filter(pl.col("start").is_not_null() & pl.col("end").is_not_null())
    if plan.r003_methods:
        rows = rows.filter(pl.col("method").is_in(list(plan.r003_methods)))
    start, end = instants(rows.get_column("start")), instants(rows.get_column("end"))
    rows = rows.with_columns(
        start_s=start.get_column("seconds"),
        start_n=start.get_column("nanos"),
        end_s=end.get_column("seconds"),
        end_n=end.get_column("nanos"),
    )
    threshold: pl.Expr = pl.lit(plan.r003_threshold)
    if plan.r003_details:
        keys = [key for key, _ in plan.r003_details]
        values = [value for _, value in plan.r003_details]
        threshold = pl.col("details").replace_strict(
            keys, values, default=plan.r003_threshold, return_dtype=pl.Int64
        )
    short = rows.filter(whole_days("start_s", "start_n", "end_s", "end_n") < threshold)
    flags.processes(short, "R003")


def _r028(bids: pl.DataFrame, compared: pl.DataFrame, flags: _Flags) -> None:
    """Identical bid prices.

    Quirk: a price (amount, currency) is compared only with the tenderer set stored **last**
    under it, so each bid is compared with the previous bid at the same price: where the two
    sets differ, both sets are involved.
    """
    # Sorted by price within each process, a bid's predecessor at the same (row, amount,
    # currency) is the bid whose set was stored last under that price.
    same_price = (
        (pl.col("row") == pl.col("row").shift(1))
        & (pl.col("amount") == pl.col("amount").shift(1))
        & (pl.col("currency") == pl.col("currency").shift(1))
    ).fill_null(False)
    priced = (
        bids.filter(
            pl.col("row").is_in(compared.get_column("row").implode())
            & (pl.col("ids").list.len() > 0)
            & pl.col("amount").is_not_null()
            & is_currency(pl.col("currency"))
        )
        .sort("row", "amount", "currency", "pos")
        .with_columns(same_price.alias("same"))
    )
    # Only bids that share a price with another bid of their process can be involved.
    shared = priced.filter(pl.col("same") | pl.col("same").shift(-1).fill_null(False))
    shared = shared.with_row_index("bid")
    # The tenderer set of a bid as a sorted list (Polars' list.sort is slow on many short
    # lists; a sort of the exploded ids is not).
    sets = (
        shared.select("bid", pl.col("ids").alias("set"))
        .explode("set")
        .unique()
        .sort("bid", "set")
        .group_by("bid", maintain_order=True)
        .agg("set")
    )
    marked = (
        shared.join(sets, on="bid", maintain_order="left")
        .with_columns(
            (same_price & (pl.col("set") != pl.col("set").shift(1)))
            .fill_null(False)
            .alias("changed")
        )
        .with_columns(
            (pl.col("changed") | pl.col("changed").shift(-1).fill_null(False)).alias("involved")
        )
    )
    involved = (
        marked.filter("involved")
        .select("row", pl.col("set").alias("tenderer"))
        .explode("tenderer")
        .unique()
        .join(compared.select("row", "ocid"), on="row")
    )
    flags.processes(involved.select("row", "ocid").unique(), "R028")
    flags.tenderers(involved, "R028", 1.0)


def _r038(bids: pl.DataFrame, bidders: pl.DataFrame, plan: Plan, out: Partial) -> None:
    """Disqualified and submitted bids per buyer, procuring entity and tenderer."""
    for column, target in (("buyer", out.r038_buyer), ("entity", out.r038_entity)):
        known = bidders.filter(pl.col(column).is_not_null())
        target.append(
            known.group_by(column)
            .agg(pl.col("disqualified").sum(), pl.col("submitted").sum())
            .rename({column: "id"})
        )
        if plan.want_maps:
            maps = out.map_ocid_buyer if column == "buyer" else out.map_ocid_entity
            maps.append(known.filter(pl.col("disqualified") > 0).select("ocid", column))
    # Each tenderer id of each submitted bid counts, repeated ids included.
    out.r038_tenderer.append(
        bids.select(
            pl.col("ids").alias("id"),
            (pl.col("status") == "disqualified").cast(pl.Int64).alias("disqualified"),
        )
        .explode("id")
        .drop_nulls("id")
        .group_by("id")
        .agg(pl.col("disqualified").sum(), pl.len().cast(pl.Int64).alias("submitted"))
    )


def _r048(all_awards: pl.DataFrame, plan: Plan, out: Partial) -> None:
    """Classification prefixes of the items of active awards with a single supplier."""
    single = all_awards.filter(
        (pl.col("status") == "active")
        & (pl.col("entries") == 1)
        & (pl.col("suppliers").list.len() == 1)
    )
    prefixes = (
        single.select(
            "row",
            pl.col("suppliers").list.first().alias("supplier"),
            pl.col("items")
            .list.eval(pl.element().struct.field("classification"))
            .list.eval(pl.element().struct.field("id"))
            .alias("code"),
        )
        .explode("code")
        .drop_nulls("code")
        .with_columns(pl.col("code").str.head(plan.r048_digits).alias("prefix"))
    )
    out.r048_prefixes.append(prefixes.select("supplier", "prefix").unique())
    # A process counts once per supplier, however many classified items it has.
    out.r048_processes.append(
        prefixes.group_by("supplier").agg(pl.col("row").n_unique().cast(pl.Int64).alias("n"))
    )


def _r030(
    bids: pl.DataFrame,
    scored: pl.DataFrame,
    suppliers: pl.DataFrame,
    flags: _Flags,
) -> None:
    """Late bid won: active suppliers with a valid bid dated after the tender period's end.

    Quirk: dates are compared as **strings**. There is no all-awards-final gate.
    """
    ends = scored.filter(pl.col("end").is_not_null()).select("row", "ocid", "end")
    late = (
        bids.filter((pl.col("status") == "valid") & pl.col("date").is_not_null())
        .join(ends, on="row")
        .filter(pl.col("date") > pl.col("end"))
        .select("row", "ocid", pl.col("ids").alias("tenderer"))
        .explode("tenderer")
        .join(suppliers, left_on=["row", "tenderer"], right_on=["row", "supplier"], how="semi")
        .unique()
    )
    flags.processes(late.select("row", "ocid").unique(), "R030")
    flags.tenderers(late, "R030", 1.0)


def _main_currency(plan: Plan) -> pl.Expr:
    currency = pl.col("currency")
    return currency.is_null() if plan.currency is None else currency == plan.currency


def _r036(bids: pl.DataFrame, scored: pl.DataFrame, plan: Plan, flags: _Flags) -> None:
    """Lowest bid disqualified (among bids in the main currency; some valid bid priced).

    Quirk: on a tie the **first** bid in array order is the lowest.
    """
    candidates = scored.filter(pl.col("price_ok") & (pl.col("active") > 0))
    priced = bids.filter(
        pl.col("row").is_in(candidates.get_column("row").implode())
        & pl.col("amount").is_not_null()
        & _main_currency(plan).fill_null(False)
    )
    lowest = (
        priced.sort("row", "amount", "pos")
        .group_by("row", maintain_order=True)
        .agg(
            pl.col("status").first().alias("lowest"),
            (pl.col("status") == "valid").any().alias("any_valid"),
        )
        .filter((pl.col("lowest") == "disqualified") & pl.col("any_valid"))
    )
    flags.processes(candidates.join(lowest, on="row", how="semi"), "R036")


def _r035(
    bids: pl.DataFrame,
    final: pl.DataFrame,
    suppliers: pl.DataFrame,
    plan: Plan,
    flags: _Flags,
) -> None:
    """All except the winning bid disqualified: the only valid tenderer is the only supplier.

    The value is the number of other tenderers with a disqualified bid, if at least the
    threshold.
    """
    ids = (
        bids.filter(pl.col("row").is_in(final.get_column("row").implode()))
        .select("row", "status", pl.col("ids").alias("tenderer"))
        .explode("tenderer")
        .drop_nulls("tenderer")
    )
    valid = (
        ids.filter(pl.col("status") == "valid")
        .group_by("row")
        .agg(pl.col("tenderer").n_unique().alias("n_valid"), pl.col("tenderer").first())
        .filter(pl.col("n_valid") == 1)
    )
    winners = (
        suppliers.group_by("row")
        .agg(pl.len().alias("n_suppliers"), pl.col("supplier").first())
        .filter(pl.col("n_suppliers") == 1)
        .join(valid, left_on=["row", "supplier"], right_on=["row", "tenderer"])
    )
    others = (
        ids.filter(pl.col("status") == "disqualified")
        .join(winners.select("row", "supplier"), on="row")
        .filter(pl.col("tenderer") != pl.col("supplier"))
        .group_by("row")
        .agg(pl.col("tenderer").n_unique().alias("count"))
    )
    hits = (
        final.select("row", "ocid")
        .join(winners.select("row", "supplier"), on="row")
        .join(others, on="row", how="left")
        .with_columns(pl.col("count").fill_null(0))
        .filter(pl.col("count") >= plan.r035_threshold)
        .sort("row")
    )
    flags.processes(hits, "R035", pl.col("count").cast(pl.Float64))
    flags.tenderers(hits.select("ocid", tenderer="supplier"), "R035", 0.0)


def _ratio(
    bids: pl.DataFrame, final: pl.DataFrame, active: pl.DataFrame, plan: Plan, out: Partial
) -> None:
    """R025 counts and the R024/R058 second-lowest bid ratio of single-award processes.

    The single active award must have exactly one supplier with a string id; only valid bids
    with exactly one tenderer (with a string id) take part.
    """
    enabled = plan.enabled
    single = (
        final.filter(pl.col("active") == 1)
        .join(active, on="row")
        .filter((pl.col("entries") == 1) & (pl.col("suppliers").list.len() == 1))
        .select("row", "ocid", "price_ok", pl.col("suppliers").list.first().alias("supplier"))
    )
    valid = bids.filter(
        (pl.col("status") == "valid") & (pl.col("entries") == 1) & (pl.col("ids").list.len() == 1)
    ).select(
        "row",
        "pos",
        pl.col("ids").list.first().alias("tenderer"),
        "amount",
        "raw_amount",
        "currency",
    )
    valid = valid.join(single, on="row")
    if "R025" in enabled:
        out.r025.append(
            valid.select("row", "tenderer", "supplier")
            .unique()
            .group_by("tenderer")
            .agg(
                (pl.col("tenderer") == pl.col("supplier")).sum().cast(pl.Int64).alias("won"),
                pl.len().cast(pl.Int64).alias("seen"),
            )
        )
    if "R024" not in enabled and "R058" not in enabled:
        return
    priced = valid.filter(pl.col("price_ok") & pl.col("amount").is_not_null())
    in_currency = _main_currency(plan).fill_null(False)
    out.currency_mismatches += priced.filter(~in_currency).height
    priced = priced.filter(in_currency).with_columns(
        (pl.col("tenderer") == pl.col("supplier")).alias("wins")
    )
    lowest = (
        priced.sort("row", "amount", "pos")
        .group_by("row", "wins", maintain_order=True)
        .agg(pl.col("amount", "raw_amount", "tenderer").first())
    )
    winner = lowest.filter("wins").select("row", winner="amount", winner_raw="raw_amount")
    second = lowest.filter(~pl.col("wins")).select(
        "row", "amount", "raw_amount", runner_up="tenderer"
    )
    # "Otherwise the award criteria weren't price only": the winner must hold the lowest bid.
    # The ratio is computed on the amounts as written: dividing by 0.0 or -0.0 gives ±infinity
    # or NaN, as in Rust.
    difference = pl.col("raw_amount") - pl.col("winner_raw")
    ratios = (
        single.join(winner, on="row")
        .join(second, on="row")
        .filter(pl.col("amount") >= pl.col("winner"))
        .sort("row")
        .select(
            "ocid",
            (difference / pl.col("winner_raw")).alias("ratio"),
            pl.col("supplier").alias("winner"),
            "runner_up",
        )
    )
    out.ratios.append(ratios)
