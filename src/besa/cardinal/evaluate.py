"""The per-process pass: from decoded releases to the facts of a :class:`Partial`.

This is the only loop over processes. It applies the filters that hold for every indicator
(string ``ocid``, tender not cancelled, ``[exclusions]``), computes what several indicators
share once (submitted bids, the all-awards-final gate) and hands each process to the rules of
the enabled indicators. Population statistics are left to the ``finalize`` functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from besa.cardinal import bid_ratio, disqualified, heterogeneous
from besa.cardinal.decode import Release
from besa.cardinal.plan import Partial, Plan
from besa.cardinal.process_rules import (
    active_supplier_ids,
    r003,
    r018,
    r028,
    r030,
    r035,
    r036,
    submitted_bids,
)

_FINAL = frozenset({"active", "cancelled", "unsuccessful"})


def readable(release: Release, plan: Plan) -> bool:
    """Whether Cardinal reads this process at all (string ocid, not cancelled, not excluded)."""
    if type(release.ocid) is not str:
        return False
    tender = release.tender
    if tender is None:
        return True
    if tender.status == "cancelled":
        return False
    details = tender.procurementMethodDetails
    return not (plan.exclusions and type(details) is str and details in plan.exclusions)


def evaluate(releases: Iterable[Release], plan: Plan, out: Partial) -> None:
    """Append the facts of each readable release to ``out``."""
    enabled = plan.enabled
    want_r003 = "R003" in enabled
    want_r018 = "R018" in enabled
    want_r028 = "R028" in enabled
    want_r030 = "R030" in enabled
    want_r035 = "R035" in enabled
    want_r036 = "R036" in enabled
    want_r038 = "R038" in enabled
    want_r048 = "R048" in enabled
    want_ratio = bool(enabled & {"R024", "R025", "R058"})
    want_final = want_ratio or want_r035
    want_maps = plan.want_maps
    ocid_flags = out.ocid_flags
    tenderer_flags = out.tenderer_flags
    links = out.links
    exclusions = plan.exclusions
    allow, deny = plan.price_allow, plan.price_deny
    for release in releases:
        # readable(), inlined (this loop runs once per process), then the price comparison
        # filter: an allow-list wins over the deny-list and then needs procurementMethodDetails.
        ocid = release.ocid
        if type(ocid) is not str:
            continue
        tender = release.tender
        if tender is None:
            method_details = None
        else:
            if tender.status == "cancelled":
                continue
            method_details = tender.procurementMethodDetails
            if type(method_details) is not str:
                method_details = None
            elif exclusions and method_details in exclusions:
                continue
        if allow:
            price_ok = method_details is not None and method_details in allow
        else:
            price_ok = method_details is None or method_details not in deny
        bids = release.bids
        submitted = submitted_bids(bids.details if bids is not None else None)
        awards = release.awards
        if tender is not None:
            if want_r003 and r003(tender, plan):
                ocid_flags.setdefault(ocid, {})["R003"] = 1.0
            if want_r018 and r018(tender, plan):
                ocid_flags.setdefault(ocid, {})["R018"] = 1.0
        if want_maps and submitted:
            ids = [i for b in submitted for i in b[1]]
            if ids:
                out.map_ocid_tenderer[ocid] = list(dict.fromkeys(ids))
        if want_r028 and price_ok and len(submitted) > 1:
            involved = r028(submitted)
            if involved:
                ocid_flags.setdefault(ocid, {})["R028"] = 1.0
                for tenderer in involved:
                    tenderer_flags.setdefault(tenderer, {})["R028"] = 1.0
                if want_maps:
                    links.extend(("R028", ocid, tenderer) for tenderer in involved)
        if want_r038 and submitted:
            entity = tender.procuringEntity if tender is not None else None
            disqualified.extract(ocid, submitted, release.buyer, entity, out, want_maps)
        if awards is None:
            continue
        if want_r048:
            heterogeneous.extract(awards, plan.r048_digits, out)
        if not submitted:
            continue
        # One pass over the awards: the active ones, and the all-awards-final gate (R024, R025,
        # R035, R058: a status other than active, cancelled or unsuccessful, such as pending or
        # invalid, excludes the whole process).
        active = []
        final = True
        for award in awards:
            status = award.status
            if status == "active":
                active.append(award)
            elif type(status) is str and status not in _FINAL:
                final = False
        suppliers = active_supplier_ids(active) if want_r030 or want_r035 else set()
        if want_r030:
            late = r030(tender, submitted, suppliers)
            if late:
                ocid_flags.setdefault(ocid, {})["R030"] = 1.0
                for tenderer in late:
                    tenderer_flags.setdefault(tenderer, {})["R030"] = 1.0
                if want_maps:
                    links.extend(("R030", ocid, tenderer) for tenderer in late)
        if want_r036 and price_ok and active and r036(submitted, plan.currency):
            ocid_flags.setdefault(ocid, {})["R036"] = 1.0
        if not want_final or not final:
            continue
        if want_r035:
            hit = r035(submitted, suppliers, plan.r035_threshold)
            if hit is not None:
                ocid_flags.setdefault(ocid, {})["R035"] = float(hit[1])
                tenderer_flags.setdefault(hit[0], {})["R035"] = 0.0
                if want_maps:
                    links.append(("R035", ocid, hit[0]))
        if want_ratio:
            if len(active) != 1:
                continue
            winners = active[0].suppliers
            if winners is None or len(winners) != 1 or type(winners[0].id) is not str:
                continue
            valid = bid_ratio.single_tenderer_valid_bids(submitted)
            if valid:
                bid_ratio.extract(ocid, winners[0].id, valid, plan, price_ok, out)
