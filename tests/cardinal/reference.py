"""A deliberately naive second implementation of the 11 indicators, for differential tests.

Written from ``indicators-cardinal.md`` without looking at the engine: plain ``json`` documents,
one function per indicator, no decoding tricks, no parallelism, no folding. Its quartiles
come from numpy and its fences from exact fractions, not from the engine's statistics
module; its RFC 3339 dates are read as chrono reads them (nanoseconds, leap second 60), not
by the engine's parser. Slow, and meant to be obvious.

Where the specification leaves the result undefined, it raises :class:`Unspecified` rather
than guess.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from fractions import Fraction
from typing import Any

import numpy as np

from besa.cardinal.settings import Settings


class Unspecified(Exception):
    """The input has no result defined by ``indicators-cardinal.md`` (see where it is raised)."""


def quantile(ordered: list[float], tau: float) -> float:
    """numpy's R-8 ("median_unbiased"): independent of the engine's own quantile.

    numpy interpolates above the midpoint as ``b - (b - a)(1 - t)``, which makes an infinite
    quartile NaN; with infinite values §5's formula (statrs's) is applied as written instead.
    """
    if not ordered:
        return float("nan")
    if all(map(math.isfinite, ordered)):
        return float(np.quantile(ordered, tau, method="median_unbiased"))
    h = (len(ordered) + 1 / 3) * tau + 1 / 3
    hf = int(h)
    if hf <= 0:
        return ordered[0]
    if hf >= len(ordered):
        return ordered[-1]
    return ordered[hf - 1] + (h - hf) * (ordered[hf] - ordered[hf - 1])


def _divide(a: float, b: float) -> float:
    """``a / b`` as Rust's ``f64`` divides: by ±0.0 into ±infinity or NaN, not an exception."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(a) / np.float64(b))


#: chrono's ``DateTime::parse_from_rfc3339``: ``T``, ``t`` or a space between date and time,
#: second 00-60 (60 is a leap second), any number of fraction digits (the first 9 are kept),
#: ``Z``/``z`` or an offset of at most ±23:59.
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"(?:[Zz]|([+-])(\d{2}):(\d{2}))\Z",
    re.ASCII,
)
_NANOS = 1_000_000_000


def _civil_days(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (year 0 included, as in chrono)."""
    year -= month <= 2
    era = year // 400
    of_era = year - era * 400
    of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    of_era_day = of_era * 365 + of_era // 4 - of_era // 100 + of_year
    return era * 146097 + of_era_day - 719468


def _month_length(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def rfc3339(text: Any) -> tuple[int, int, int] | None:
    """A timestamp as chrono holds it in UTC: (day, second of day, nanoseconds), or ``None``.

    As in chrono, a leap second ``hh:mm:60.f`` is second 59 with ``1_000_000_000 + f``
    nanoseconds, wherever it falls.
    """
    match = _RFC3339.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    year, month, day, hour, minute, second = map(int, match.groups()[:6])
    fraction, sign, offset_hours, offset_minutes = match.groups()[6:]
    if not (1 <= month <= 12 and 1 <= day <= _month_length(year, month)):
        return None
    if hour > 23 or minute > 59 or second > 60:
        return None
    offset = 0
    if sign:
        if int(offset_hours) > 23 or int(offset_minutes) > 59:
            return None
        offset = (int(offset_hours) * 3600 + int(offset_minutes) * 60) * (-1 if sign == "-" else 1)
    nanos = int((fraction or "").ljust(9, "0")[:9])
    if second == 60:
        second, nanos = 59, nanos + _NANOS
    seconds = hour * 3600 + minute * 60 + second - offset
    return _civil_days(year, month, day) + seconds // 86400, seconds % 86400, nanos


def num_days(start: tuple[int, int, int], end: tuple[int, int, int]) -> int:
    """chrono's ``(end - start).num_days()``: whole days, truncated toward zero.

    ``NaiveDateTime::signed_duration_since``: the days apart, plus the times of day apart, where
    a leap second on the earlier side of the subtraction counts as one more second.
    """
    seconds = (end[0] - start[0]) * 86400 + end[1] - start[1]
    if end[1] > start[1] and start[2] >= _NANOS:
        seconds += 1
    elif end[1] < start[1] and end[2] >= _NANOS:
        seconds -= 1
    nanos = seconds * _NANOS + end[2] - start[2]
    days = abs(nanos) // (86400 * _NANOS)
    return days if nanos >= 0 else -days


def _exact(a: float, b: float, c: float) -> float:
    if not all(np.isfinite((a, b, c))):
        return a * b + c
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def lower_fence(q1: float, q3: float) -> float:
    return _exact(q3 - q1, -1.5, q1)


def upper_fence(q1: float, q3: float) -> float:
    return _exact(q3 - q1, 1.5, q3)


def _num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _list(value: Any) -> list[Any]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _ids(references: Any) -> list[str]:
    return [r["id"] for r in _list(references) if isinstance(r.get("id"), str)]


def indicators(lines: list[str], settings: Settings) -> dict[str, Any]:
    """Cardinal's output (without Meta) for JSON lines."""
    docs = []
    for line in lines:
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        tender = _dict(doc.get("tender")) if isinstance(doc, dict) else {}
        if not isinstance(doc, dict) or not isinstance(doc.get("ocid"), str):
            continue
        if tender.get("status") == "cancelled":
            continue
        details = tender.get("procurementMethodDetails")
        if details in settings.get("exclusions", "procurement_method_details", ()):
            continue
        docs.append(doc)
    out: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    enabled = settings.enabled
    currency = settings.currency or _first_currency(docs)
    for doc in docs:
        tender = _dict(doc.get("tender"))
        details = tender.get("procurementMethodDetails")
        allow, deny = (
            settings.price_comparison_procurement_methods,
            settings.no_price_comparison_procurement_methods,
        )
        compared = (details in allow) if allow else (details not in deny)
        bids = [
            b
            for b in _list(_dict(doc.get("bids")).get("details"))
            if isinstance(b.get("status"), str)
        ]
        submitted = [b for b in bids if b["status"] not in ("invited", "withdrawn")]
        awards = doc.get("awards")
        if "R003" in enabled:
            _r003(doc, tender, settings, out)
        if "R018" in enabled:
            number, method = tender.get("numberOfTenderers"), tender.get("procurementMethod")
            if (
                type(number) is int
                and number == 1
                and method in settings.get("R018", "procurement_methods", ("open", "selective"))
            ):
                out["OCID"][doc["ocid"]]["R018"] = 1.0
        if "R028" in enabled and compared:
            last: dict[Any, set[str]] = {}
            hit: set[str] = set()
            for b in submitted:
                value = _dict(b.get("value"))
                ids = set(_ids(b.get("tenderers")))
                if (
                    not ids
                    or not _num(value.get("amount"))
                    or not isinstance(value.get("currency"), str)
                ):
                    continue
                key = (float(value["amount"]), value["currency"])
                if key in last and last[key] != ids:
                    hit |= last[key] | ids
                last[key] = ids
            for t in hit:
                out["Tenderer"][t]["R028"] = 1.0
            if hit:
                out["OCID"][doc["ocid"]]["R028"] = 1.0
        if not isinstance(awards, list):
            continue
        active = [a for a in _list(awards) if a.get("status") == "active"]
        suppliers = {i for a in active for i in _ids(a.get("suppliers"))}
        if "R030" in enabled:
            end = _dict(tender.get("tenderPeriod")).get("endDate")
            for b in submitted:
                if (
                    isinstance(end, str)
                    and b["status"] == "valid"
                    and isinstance(b.get("date"), str)
                    and b["date"] > end
                ):
                    for t in _ids(b.get("tenderers")):
                        if t in suppliers:
                            out["OCID"][doc["ocid"]]["R030"] = 1.0
                            out["Tenderer"][t]["R030"] = 1.0
        if "R036" in enabled and compared and active:
            priced = [
                b
                for b in submitted
                if _num(_dict(b.get("value")).get("amount"))
                and _dict(b.get("value")).get("currency") == currency
            ]
            if priced:
                lowest = min(
                    priced, key=lambda b: float(b["value"]["amount"])
                )  # min keeps the first
                if lowest["status"] == "disqualified" and any(
                    b["status"] == "valid" for b in priced
                ):
                    out["OCID"][doc["ocid"]]["R036"] = 1.0
        final = isinstance(_dict(doc.get("bids")).get("details"), list) and all(
            not isinstance(a.get("status"), str)
            or a["status"] in ("active", "cancelled", "unsuccessful")
            for a in _list(awards)
        )
        if "R035" in enabled and final:
            valid = {
                t for b in submitted if b["status"] == "valid" for t in _ids(b.get("tenderers"))
            }
            dq = {
                t
                for b in submitted
                if b["status"] == "disqualified"
                for t in _ids(b.get("tenderers"))
            } - valid
            if (
                len(valid) == 1
                and valid == suppliers
                and len(dq) >= max(1, settings.get("R035", "threshold", 1))
            ):
                out["OCID"][doc["ocid"]]["R035"] = float(len(dq))
                out["Tenderer"][next(iter(valid))]["R035"] = 0.0
    _population(docs, settings, currency, out)
    return {
        group: {k: dict(v) for k, v in entries.items()} for group, entries in out.items() if entries
    }


def _first_currency(docs: list[dict[str, Any]]) -> str | None:
    for doc in docs:
        for b in _list(_dict(doc.get("bids")).get("details")):
            value = _dict(b.get("value"))
            submitted = isinstance(b.get("status"), str) and b["status"] not in (
                "invited",
                "withdrawn",
            )
            if submitted and _num(value.get("amount")) and isinstance(value.get("currency"), str):
                return value["currency"]
    return None


def _r003(doc: dict[str, Any], tender: dict[str, Any], settings: Settings, out: Any) -> None:
    methods = settings.get("R003", "procurement_methods", ())
    if methods and tender.get("procurementMethod") not in methods:
        return
    period = _dict(tender.get("tenderPeriod"))
    start = rfc3339(period.get("startDate"))
    end = rfc3339(period.get("endDate"))
    if start is None or end is None:
        return
    threshold = settings.mapping("R003.procurement_method_details").get(
        tender.get("procurementMethodDetails"), settings.get("R003", "threshold", 15)
    )
    if num_days(start, end) < threshold:
        out["OCID"][doc["ocid"]]["R003"] = 1.0


def _population(docs: list[dict[str, Any]], settings: Settings, currency: Any, out: Any) -> None:
    enabled = settings.enabled
    by_ocid: dict[str, tuple[float, str, str]] = {}
    r025: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    r038: dict[str, dict[str, list[int]]] = {
        g: defaultdict(lambda: [0, 0]) for g in ("Buyer", "ProcuringEntity", "Tenderer")
    }
    r048: dict[str, tuple[set[str], set[int]]] = defaultdict(lambda: (set(), set()))
    for index, doc in enumerate(docs):
        tender = _dict(doc.get("tender"))
        details = tender.get("procurementMethodDetails")
        allow, deny = (
            settings.price_comparison_procurement_methods,
            settings.no_price_comparison_procurement_methods,
        )
        compared = (details in allow) if allow else (details not in deny)
        bids = [
            b
            for b in _list(_dict(doc.get("bids")).get("details"))
            if isinstance(b.get("status"), str)
        ]
        submitted = [b for b in bids if b["status"] not in ("invited", "withdrawn")]
        if submitted:
            dq = sum(b["status"] == "disqualified" for b in submitted)
            for group, ref in (
                ("Buyer", doc.get("buyer")),
                ("ProcuringEntity", tender.get("procuringEntity")),
            ):
                if isinstance(_dict(ref).get("id"), str):
                    r038[group][ref["id"]][0] += dq
                    r038[group][ref["id"]][1] += len(submitted)
            for b in submitted:
                for t in _ids(b.get("tenderers")):
                    r038["Tenderer"][t][0] += b["status"] == "disqualified"
                    r038["Tenderer"][t][1] += 1
        awards = doc.get("awards")
        if not isinstance(awards, list):
            continue
        for a in _list(awards):
            if (
                a.get("status") == "active"
                and len(a.get("suppliers") or []) == 1
                and _ids(a.get("suppliers"))
            ):
                for item in _list(a.get("items")):
                    code = _dict(item.get("classification")).get("id")
                    if isinstance(code, str):
                        entry = r048[_ids(a["suppliers"])[0]]
                        entry[0].add(code[: settings.get("R048", "digits", 2)])
                        entry[1].add(index)
        final = isinstance(_dict(doc.get("bids")).get("details"), list) and all(
            not isinstance(a.get("status"), str)
            or a["status"] in ("active", "cancelled", "unsuccessful")
            for a in _list(awards)
        )
        active = [a for a in _list(awards) if a.get("status") == "active"]
        if (
            not final
            or len(active) != 1
            or len(active[0].get("suppliers") or []) != 1
            or not _ids(active[0]["suppliers"])
        ):
            continue
        winner = _ids(active[0]["suppliers"])[0]
        valid = [
            b
            for b in submitted
            if b["status"] == "valid"
            and len(b.get("tenderers") or []) == 1
            and _ids(b["tenderers"])
        ]
        for t in {_ids(b["tenderers"])[0] for b in valid}:
            r025[t][0] += t == winner
            r025[t][1] += 1
        if not compared:
            continue
        priced = [
            (_ids(b["tenderers"])[0], float(b["value"]["amount"]))
            for b in valid
            if _num(_dict(b.get("value")).get("amount")) and b["value"].get("currency") == currency
        ]
        mine = [amount for t, amount in priced if t == winner]
        others = [(amount, t) for t, amount in priced if t != winner]
        if mine and others:
            second, runner = min(others, key=lambda pair: pair[0])
            if second >= min(mine):
                ratio = _divide(second - min(mine), min(mine))  # 0 wins: ±inf, or NaN on a tie
                # Cardinal keeps the ratios in a map keyed by ocid: a later line replaces one.
                by_ocid[doc["ocid"]] = (ratio, winner, runner)
    ratios = [(ocid, *rest) for ocid, rest in by_ocid.items()]
    values = sorted(r[1] for r in ratios)
    fenced = ("R024" in enabled and settings.get("R024", "threshold") is None) or (
        "R058" in enabled and settings.get("R058", "threshold") is None
    )
    if fenced and any(math.isnan(v) for v in values):
        # A NaN ratio (a winning bid of 0 tied by the runner-up) cannot be sorted: §5 does not
        # say where it goes, and statrs 0.16 (min/max propagate NaN, quickselect compares with
        # `<`) gives no defined order either. Compared with a threshold it is simply not flagged.
        raise Unspecified("a NaN second-lowest-bid ratio among the R024/R058 quartiles")
    q1, q3 = quantile(values, 0.25), quantile(values, 0.75)
    if "R024" in enabled:
        fence = settings.get("R024", "threshold", lower_fence(q1, q3))
        if (settings.get("R024", "threshold") is not None or q1 > 0) and fence > 0:
            for ocid, ratio, winner, runner in ratios:
                if ratio <= fence:
                    out["OCID"][ocid]["R024"] = ratio
                    out["Tenderer"][winner]["R024"] = 0.0
                    out["Tenderer"][runner]["R024"] = 0.0
    if "R058" in enabled:
        fence = settings.get("R058", "threshold", upper_fence(q1, q3))
        if fence > 0:
            for ocid, ratio, winner, _ in ratios:
                if ratio >= fence:
                    out["OCID"][ocid]["R058"] = ratio
                    out["Tenderer"][winner]["R058"] = 0.0
    if "R025" in enabled:
        shares = {t: won / seen for t, (won, seen) in r025.items()}
        top = quantile(
            sorted(seen for _, seen in r025.values()), settings.get("R025", "percentile", 75) / 100
        )
        a, b = quantile(sorted(shares.values()), 0.25), quantile(sorted(shares.values()), 0.75)
        fence = settings.get("R025", "threshold", lower_fence(a, b))
        if (settings.get("R025", "threshold") is not None or a > 0) and fence > 0:
            for t, share in shares.items():
                if r025[t][1] >= top and share <= fence:
                    out["Tenderer"][t]["R025"] = share
    if "R038" in enabled:
        for group, counts in r038.items():
            key = (
                "minimum_submitted_bids" if group == "Tenderer" else "minimum_contracting_processes"
            )
            kept = {k: d / n for k, (d, n) in counts.items() if n >= settings.get("R038", key, 2)}
            if not kept:
                continue
            a, b = quantile(sorted(kept.values()), 0.25), quantile(sorted(kept.values()), 0.75)
            fence = settings.get("R038", "threshold", upper_fence(a, b))
            for k, share in kept.items():
                if fence > 0 and share >= fence:
                    out[group][k]["R038"] = share
    if "R048" in enabled:
        kept48 = {
            s: len(p)
            for s, (p, seen) in r048.items()
            if len(seen) >= settings.get("R048", "minimum_contracting_processes", 20)
        }
        a, b = quantile(sorted(kept48.values()), 0.25), quantile(sorted(kept48.values()), 0.75)
        fence = settings.get("R048", "threshold", upper_fence(a, b))
        for s, variety in kept48.items():
            if variety >= fence:
                out["Tenderer"][s]["R048"] = float(variety)
