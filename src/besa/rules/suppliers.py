"""Supplier rules: SAT lists (A16), compliance opinions (A17), debarment (A18).

A16 and A18 read ``Context.screening``: for each supplier RFC, the list entries known to the
system, each a mapping with ``list`` (``sat_69b``, ``sat_69`` or ``sanctions``), ``status``,
``published`` and, for sanctions, the debarment's ``start`` and ``end`` (dates as
``YYYY-MM-DD`` strings or ``datetime.date``). A17 reads the compliance opinions recorded with
the registration, else those recorded on the supplier (``Context.opinions``). Generic RFCs
(foreign residents ``XEXX010101000``, general public ``XAXX010101000``) identify no Mexican
taxpayer: they are never screened nor asked for opinions. None of these rules changes with
time alone (``next_check`` is None): a new entry or a list import re-evaluates the contract.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from besa.registry.validation import GENERIC_RFCS
from besa.rules.base import Context, Finding, Verdict, rule
from besa.rules.facts import day, iso

#: The art. 69 lists (``besa.registry.models.ListName``): the demo's single ``sat_69`` and one
#: list per file SAT publishes (``besa.interop.lists.sat69``). Any entry on any of them counts.
ART_69_LISTS = frozenset(
    {
        "sat_69",
        "sat_69_firmes",
        "sat_69_no_localizados",
        "sat_69_exigibles",
        "sat_69_cancelados",
        "sat_69_sentencias",
        "sat_69_entes_omisos",
        "sat_69_csd",
    }
)
#: 69-B statuses that keep a taxpayer listed; "desvirtuado" and "sentencia_favorable" clear it.
LISTED_69B = frozenset({"presunto", "definitivo"})
#: The opinions required before signing (CFF 32-D and its IMSS and INFONAVIT counterparts).
OPINION_SOURCES = ("sat_32d", "imss", "infonavit")
#: Sanctions directory statuses that do not bar contracting (a fine, an acquittal): A18
#: ignores them. Any other status (``inhabilitado``, or none) is a debarment.
NOT_DEBARRED = frozenset({"multa", "absolutoria", "sancionatoria"})


def _as_day(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else day(str(value))


def _screened(snapshot: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [s for s in snapshot["suppliers"] if s["rfc"] not in GENERIC_RFCS]


def _entries(context: Context, rfc: str, lists: set[str]) -> Sequence[Mapping[str, Any]]:
    return [e for e in context.screening.get(rfc, ()) if e.get("list") in lists]


def execution_ended_on(snapshot: Mapping[str, Any]) -> dt.date | None:
    """The day the contract stopped being executed (closure, early termination or
    rescission), or None while it runs."""
    ends = []
    if snapshot.get("closure"):
        ends.append(day(snapshot["closure"]["date"]))
    if snapshot.get("early_termination"):
        ends.append(day(snapshot["early_termination"]["date"]))
    rescission = snapshot.get("rescission") or {}
    if rescission.get("decision") == "rescinded" and rescission.get("resolved_on"):
        ends.append(day(rescission["resolved_on"]))
    return min(ends) if ends else None


@rule(
    "A16",
    name_es="Proveedor en listas del SAT",
    name_en="Supplier on SAT lists",
    severity="H",
    legal_basis="CFF arts. 69, 69-B y 32-D",
    trigger_es=(
        "RFC de un proveedor en la lista del art. 69-B (presunto o definitivo) o del art. 69, "
        "publicado antes de la firma o durante la ejecución del contrato"
    ),
    trigger_en=(
        "A supplier RFC on the art. 69-B list (presumed or definitive) or the art. 69 list, "
        "published before signing or while the contract is executed"
    ),
)
def supplier_on_sat_lists(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A16: one finding per listed supplier, subject ``supplier:<RFC>``.

    A 69-B entry counts while its status is ``presunto`` or ``definitivo`` (``desvirtuado``
    and ``sentencia_favorable`` clear the taxpayer); any entry on an art. 69 list
    (``ART_69_LISTS``: firm or enforceable credits, not located, cancelled credits, criminal
    sentences, omissive public bodies, seal certificates without effect) counts. The entry
    must have been published (``published``; unknown counts) on or before the day execution
    ended (closure, early termination or rescission; a running contract has no end): before
    or on the signing date it is ``at_signing``, later ``during_execution``. The evidence
    names the supplier's CFDIs issued on or after the earliest publication (a ``definitivo``
    listing leaves them without fiscal effect).
    """
    terms = snapshot.get("contract")
    if terms is None:
        return Verdict()
    signed = day(terms["signing_date"])
    ended = execution_ended_on(snapshot)
    findings = []
    for supplier in _screened(snapshot):
        rfc = supplier["rfc"]
        listings = []
        for entry in _entries(context, rfc, {"sat_69b", *ART_69_LISTS}):
            status = str(entry.get("status") or "").lower()
            if entry["list"] == "sat_69b" and status not in LISTED_69B:
                continue
            published = _as_day(entry.get("published"))
            if published is not None and ended is not None and published > ended:
                continue
            moment = "at_signing" if published is None or published <= signed else (
                "during_execution")  # fmt: skip
            listings.append(
                {"list": entry["list"], "status": status, "published": iso(published),
                 "moment": moment}
            )  # fmt: skip
        if not listings:
            continue
        dates = [d for d in (_as_day(x["published"]) for x in listings) if d is not None]
        since = min(dates) if dates else None
        invoices = sorted(
            uuid
            for uuid, invoice in snapshot["invoices"].items()
            if invoice["issuer_rfc"] == rfc
            and (since is None or day(invoice["issue_date"]) >= since)
        )
        evidence = {
            "rfc": rfc,
            "supplier_name": supplier["name"],
            "signing_date": iso(signed),
            "execution_ended_on": iso(ended),
            "listings": listings,
            "invoices_after_listing": invoices,
        }
        lists = ", ".join(f"{x['list']} {x['status']}".strip() for x in listings)
        summary = f"Proveedor {rfc} en listas del SAT ({lists}) / supplier on SAT lists"
        findings.append(Finding("A16", f"supplier:{rfc}", "H", evidence, summary))
    return Verdict(tuple(findings))


@rule(
    "A17",
    name_es="Opinión de cumplimiento (32-D) ausente, negativa o vencida",
    name_en="Compliance opinion (32-D) missing, negative or expired",
    severity="H",
    legal_basis=(
        "CFF art. 32-D; regla de la RMF del SAT; IMSS ACDO.AS2.HCT.300925/288.P.DIR; reglas "
        "del INFONAVIT"
    ),
    trigger_es=(
        "A la firma, la opinión del SAT, del IMSS o del INFONAVIT de un proveedor falta, es "
        "negativa o está vencida (vigencia: valid_until, o compliance_opinion_validity_days "
        "días naturales desde su fecha)"
    ),
    trigger_en=(
        "At signing, a supplier's SAT, IMSS or INFONAVIT opinion is missing, negative or "
        "expired (valid until valid_until, else compliance_opinion_validity_days natural days "
        "after its date)"
    ),
    parameters=("compliance_opinion_validity_days",),
)
def compliance_opinion(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A17: one finding per supplier, subject ``supplier:<RFC>``, listing in ``problems``
    each source (``sat_32d``, ``imss``, ``infonavit``) whose opinion at signing is:

    - ``missing``: no opinion of that source dated on or before the signing date (one dated
      after signing does not count);
    - ``negative``: the latest such opinion is negative;
    - ``expired``: the latest such opinion is positive but no longer valid on the signing day:
      its ``valid_until`` (else its date + ``compliance_opinion_validity_days``) is before it.
      Valid until the signing day itself is in time.

    An opinion without ``supplier_rfc`` belongs to the first supplier. When the registration
    entry carries no opinion for a supplier, the opinions recorded on the supplier
    (``context.opinions``) are judged instead, and the evidence says so
    (``opinions_from: "supplier"``). Suppliers with a
    generic RFC (foreign residents) are exempt. The amount threshold above which opinions are
    required (often quoted as 300,000 MXN) is far below BESA's registration threshold, so it
    is not checked.
    """
    terms = snapshot.get("contract")
    if terms is None or not snapshot["suppliers"]:
        return Verdict()
    signed = day(terms["signing_date"])
    validity = context.regime.compliance_opinion_validity_days
    first = snapshot["suppliers"][0]["rfc"]
    findings = []
    for supplier in _screened(snapshot):
        rfc = supplier["rfc"]
        problems: list[dict[str, Any]] = []
        registered = [o for o in snapshot["compliance"] if (o.get("supplier_rfc") or first) == rfc]
        recorded = registered or list(context.opinions.get(rfc, ()))
        for source in OPINION_SOURCES:
            opinions = [o for o in recorded if o["source"] == source]
            before = [o for o in opinions if day(o["date"]) <= signed]
            if not before:
                later = sorted(o["date"] for o in opinions)
                problems.append({"source": source, "problem": "missing", "dated_after": later})
                continue
            latest = max(before, key=lambda o: o["date"])
            until = _as_day(latest.get("valid_until")) or day(latest["date"]) + dt.timedelta(
                days=validity
            )
            if latest["result"] != "positive":
                problem = "negative"
            elif until < signed:
                problem = "expired"
            else:
                continue
            problems.append(
                {"source": source, "problem": problem, "date": latest["date"],
                 "result": latest["result"], "valid_until": iso(until),
                 "folio": latest.get("folio")}
            )  # fmt: skip
        if not problems:
            continue
        evidence = {
            "rfc": rfc,
            "supplier_name": supplier["name"],
            "signing_date": iso(signed),
            "validity_days": validity,
            "problems": problems,
        }
        if recorded and not registered:
            evidence["opinions_from"] = "supplier"
        named = ", ".join(f"{p['source']} {p['problem']}" for p in problems)
        summary = f"Opiniones de cumplimiento de {rfc}: {named} / compliance opinions"
        findings.append(Finding("A17", f"supplier:{rfc}", "H", evidence, summary))
    return Verdict(tuple(findings))


@rule(
    "A18",
    name_es="Proveedor sancionado o inhabilitado",
    name_en="Supplier sanctioned or debarred",
    severity="H",
    legal_basis="LAASSP arts. 50 y 60",
    trigger_es=(
        "Inhabilitación del proveedor (Directorio de Proveedores y Contratistas Sancionados) "
        "vigente en la fecha del fallo o de la firma"
    ),
    trigger_en=(
        "A debarment of the supplier (Directory of Sanctioned Suppliers and Contractors) in "
        "force on the award or signing date"
    ),
)
def debarred_supplier(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A18: one finding per supplier, subject ``supplier:<RFC>``, when a ``sanctions`` entry
    is in force on the award date or the signing date: ``start`` on or before that day and
    ``end`` on or after it (no ``end``: indefinite; no ``start``: in force since ever). A
    debarment starting after signing does not void a contract already signed (art. 60).
    Entries with a status in ``NOT_DEBARRED`` (a fine only, an acquittal) are ignored."""
    terms = snapshot.get("contract")
    if terms is None:
        return Verdict()
    moments = {"award": _as_day(terms.get("award_date")), "signing": day(terms["signing_date"])}
    findings = []
    for supplier in _screened(snapshot):
        rfc = supplier["rfc"]
        sanctions = []
        for entry in _entries(context, rfc, {"sanctions"}):
            if str(entry.get("status") or "").lower() in NOT_DEBARRED:
                continue
            start, end = _as_day(entry.get("start")), _as_day(entry.get("end"))
            in_force = [
                name
                for name, on in moments.items()
                if on is not None and (start is None or start <= on) and (end is None or on <= end)
            ]
            if in_force:
                sanctions.append(
                    {"start": iso(start), "end": iso(end),
                     "published": iso(_as_day(entry.get("published"))),
                     "status": entry.get("status"), "in_force_on": in_force}
                )  # fmt: skip
        if not sanctions:
            continue
        evidence = {
            "rfc": rfc,
            "supplier_name": supplier["name"],
            "award_date": iso(moments["award"]),
            "signing_date": iso(moments["signing"]),
            "sanctions": sanctions,
        }
        summary = f"Proveedor {rfc} inhabilitado al contratar / supplier debarred when contracted"
        findings.append(Finding("A18", f"supplier:{rfc}", "H", evidence, summary))
    return Verdict(tuple(findings))


__all__ = [
    "LISTED_69B",
    "NOT_DEBARRED",
    "OPINION_SOURCES",
    "compliance_opinion",
    "debarred_supplier",
    "execution_ended_on",
    "supplier_on_sat_lists",
]
