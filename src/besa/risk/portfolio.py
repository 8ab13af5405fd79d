"""``besa risk``: compute and store the risk of the registered portfolio.

``run_portfolio`` selects the contracts (optionally one institution, a signing period), reads
each contract's snapshot, computes the execution flags (``execution``), the CRI components
(``cri``), the supplier due-diligence flags (``incorporation``, lists, ``networks``), the
aggregates per buyer and supplier (``ranking``) and the BESA alerts aggregated per buyer and
supplier, and stores everything as one ``RiskRun`` with its ``RiskResult`` rows. Population
flags (R059, R060) store the fence they were compared with and every row stores the
population, so earlier runs stay explainable when later runs see a different portfolio.

``contract_rows`` turns a run's stored rows back into ``ranking.ContractRow`` for the pages.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from besa.alerts.models import Alert, AlertState
from besa.exceptions import InvalidInput
from besa.registry.models import Contract, ContractSupplier, Institution, Listing, Supplier
from besa.risk import cri, execution, incorporation, ranking, stats
from besa.risk.flag import Flag, binary, missing
from besa.risk.models import RiskResult, RiskRun, RunKind, Shareholder, SubjectKind
from besa.risk.networks import MAX_SHARED, Network, SupplierProfile, shared_attributes

#: Contract-level components that the registry cannot give (they need bid data): always
#: missing for registered contracts; imported processes compute them (``besa.risk.process``).
_NO_BID_DATA = ("SINGLEB", "SUBMP", "DECP")


@dataclass(frozen=True)
class Scope:
    """Which contracts a run (or a page) looks at."""

    institution: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    def check(self) -> Scope:
        """Raise ``InvalidInput`` naming the bad filter; return self."""
        if self.institution and not Institution.objects.filter(code=self.institution).exists():
            raise InvalidInput("institution", f"unknown institution {self.institution!r}")
        if self.since and self.until and self.since > self.until:
            raise InvalidInput("since", "since is after until")
        return self

    def describe(self) -> dict[str, Any]:
        return {
            "description": "registered contracts signed in the period, one institution or all",
            "institution": self.institution or None,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }


def select(scope: Scope) -> QuerySet[Contract]:
    contracts = Contract.objects.select_related("buying_unit__institution", "state")
    if scope.institution:
        contracts = contracts.filter(buying_unit__institution__code=scope.institution)
    if scope.since:
        contracts = contracts.filter(signing_date__gte=scope.since)
    if scope.until:
        contracts = contracts.filter(signing_date__lte=scope.until)
    return contracts.order_by("ocid")


# --- supplier due diligence ---------------------------------------------------------------


def supplier_key(supplier: Supplier) -> str:
    """How risk results name a supplier: its RFC, or for the generic RFCs shared by foreign
    suppliers, ``<RFC>:<foreign tax id>`` so that two foreign suppliers stay apart."""
    if supplier.rfc in incorporation.GENERIC:
        return f"{supplier.rfc}:{supplier.foreign_tax_id}"
    return supplier.rfc


def supplier_network(supplier_ids: Iterable[Any] | None = None) -> Network:
    """The shared-attribute network of the given suppliers (None: all), with shareholders."""
    suppliers = Supplier.objects.all()
    if supplier_ids is not None:
        suppliers = suppliers.filter(id__in=list(supplier_ids))
    holders: dict[Any, list[str]] = defaultdict(list)
    for supplier_id, name in Shareholder.objects.filter(supplier__in=suppliers).values_list(
        "supplier_id", "name"
    ):
        holders[supplier_id].append(name)
    profiles = [
        SupplierProfile(
            key=supplier_key(s),
            name=s.name,
            address=s.fiscal_address,
            phone=s.phone,
            email=s.email,
            legal_representative=s.legal_representative,
            shareholders=tuple(holders.get(s.id, ())),
        )
        for s in suppliers
    ]
    return shared_attributes(profiles)


def _listed(key: str, listings: Sequence[Listing]) -> Flag:
    if key.split(":")[0] in incorporation.GENERIC:
        return missing("LISTED", "generic RFC: lists cannot be checked")
    return binary(
        "LISTED",
        bool(listings),
        {
            "lists": sorted({f"{listing.list}: {listing.status}" for listing in listings}),
            "listings": [listing.as_screening() for listing in listings],
        },
    )


def _network_flag(rfc: str, network: Network) -> Flag:
    links = network.links_of(rfc)
    return binary("NETWORK", bool(links), {"links": links[:20], "linked_suppliers": len(links)})


# --- the run --------------------------------------------------------------------------------


def _alert_components(contract_ids: list[Any]) -> dict[Any, list[dict[str, Any]]]:
    active = Alert.objects.filter(contract_id__in=contract_ids).exclude(state=AlertState.CORRECTED)
    found: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for contract_id, rule, subject, severity, state in active.values_list(
        "contract_id", "rule", "subject", "severity", "state"
    ).order_by("rule", "subject"):
        found[contract_id].append(
            {"rule": rule, "subject": subject, "severity": severity, "state": state}
        )
    return found


def _alerts_flag(alerts: list[dict[str, Any]]) -> Flag:
    high = [a for a in alerts if a["severity"] == "H"]
    return binary(
        "ALERTS",
        bool(high),
        {"high": len(high), "rules": sorted({a["rule"] for a in alerts}), "alerts": alerts[:20]},
    )


def _snapshot(contract: Contract) -> Mapping[str, Any] | None:
    state = getattr(contract, "state", None)
    return state.snapshot if state is not None and state.snapshot else None


def run_portfolio(scope: Scope, *, as_of: dt.date | None = None) -> RiskRun:
    """Compute and store one portfolio run for ``scope``; returns the finished run.

    Writes nothing when ``scope`` is invalid (``InvalidInput`` names the filter). May be
    called repeatedly: every call adds a new run and never changes an earlier one.
    """
    scope.check()
    as_of = as_of or timezone.localdate()
    started = timezone.now()
    contracts = list(select(scope))
    links = defaultdict(list)
    for link in ContractSupplier.objects.filter(contract__in=contracts).select_related("supplier"):
        links[link.contract_id].append(link)
    alerts = _alert_components([c.id for c in contracts])
    snapshots = {c.id: _snapshot(c) for c in contracts}

    # Population flags: one figure per contract, one fence for the population.
    figures: dict[str, dict[Any, tuple[float | None, dict[str, Any]]]] = {}
    fences: dict[str, stats.Fence] = {}
    for code, measure in execution.POPULATION.items():
        figures[code] = {}
        for c in contracts:
            snapshot = snapshots[c.id]
            figures[code][c.id] = (
                measure(snapshot) if snapshot else (None, {"missing": "no logbook snapshot"})
            )
        fences[code] = stats.fence(v for v, _ in figures[code].values())

    # Buyer-level populations: Benford per institution, spend per institution-year.
    amounts_by_buyer: dict[str, list[Decimal]] = defaultdict(list)
    spend: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    count: Counter[tuple[str, int]] = Counter()
    supplier_spend: dict[tuple[str, int, str], Decimal] = defaultdict(Decimal)
    for c in contracts:
        buyer, year, amount = c.buying_unit.institution.code, c.signing_date.year, c.amount_mxn
        amounts_by_buyer[buyer].append(amount)
        spend[buyer, year] += amount
        count[buyer, year] += 1
        for link in links[c.id]:
            supplier_spend[buyer, year, supplier_key(link.supplier)] += (
                amount * link.share_percent / 100
            )
    benford = {buyer: cri.benford(amounts) for buyer, amounts in amounts_by_buyer.items()}

    rows: list[ranking.ContractRow] = []
    new_company: dict[str, Flag] = {}
    for c in contracts:
        snapshot = snapshots[c.id]
        buyer, year = c.buying_unit.institution.code, c.signing_date.year
        components: list[Flag] = []
        if snapshot is not None:
            components += execution.per_contract_flags(snapshot, as_of)
        else:
            components += [missing(code, "no logbook snapshot") for code in execution.PER_CONTRACT]
        for code in execution.POPULATION:
            value, evidence = figures[code][c.id]
            components.append(execution.fenced(code, value, evidence, fences[code]))
        components += [cri.procedure(c.procedure_type), cri.no_call_for_tenders(c.procedure_type)]
        components += [missing(code, "no bid data in the registry") for code in _NO_BID_DATA]
        components.append(benford[buyer])
        shares = [
            cri.buyer_share(
                supplier_spend[buyer, year, supplier_key(link.supplier)],
                spend[buyer, year],
                count[buyer, year],
                year,
            )
            for link in links[c.id]
        ]
        components.append(
            max(shares, key=lambda f: f.value or -1.0)
            if shares
            else missing("SHARE", "no supplier")
        )
        ages = [
            incorporation.newly_created(link.supplier.rfc, c.signing_date) for link in links[c.id]
        ]
        for link, age in zip(links[c.id], ages, strict=True):
            key = supplier_key(link.supplier)
            if age.raised or key not in new_company:
                new_company[key] = age
        components.append(
            next((a for a in ages if a.raised), ages[0] if ages else missing("NEW_COMPANY", ""))
        )
        components.append(_alerts_flag(alerts.get(c.id, [])))
        rows.append(
            ranking.ContractRow(
                ocid=c.ocid,
                label=f"{c.number} — {c.title}"[:300],
                institution=buyer,
                institution_name=c.buying_unit.institution.name,
                suppliers=[
                    (supplier_key(link.supplier), link.supplier.name) for link in links[c.id]
                ],
                amount=c.amount_mxn,
                signed_on=c.signing_date.isoformat(),
                components=components,
                score=cri.index(components),
            )
        )

    supplier_ids = {link.supplier_id for group in links.values() for link in group}
    network = supplier_network(supplier_ids)
    listings: dict[str, list[Listing]] = defaultdict(list)
    keys = {supplier_key(link.supplier) for group in links.values() for link in group}
    rfcs = {key.split(":")[0] for key in keys}
    for listing in Listing.objects.filter(rfc__in=rfcs).order_by("list", "snapshot_date"):
        listings[listing.rfc].append(listing)
    supplier_flags = {
        key: [new_company[key], _listed(key, listings.get(key, [])), _network_flag(key, network)]
        for key in keys
    }

    population = {**scope.describe(), "as_of": as_of.isoformat(), "contracts": len(contracts)}
    with transaction.atomic():
        run = RiskRun.objects.create(
            kind=RunKind.PORTFOLIO,
            institution=scope.institution,
            since=scope.since,
            until=scope.until,
            as_of=as_of,
            population=population,
            population_size=len(contracts),
            parameters=_parameters(),
            started_at=started,
        )
        _store(run, rows, supplier_flags, alerts, contracts, links)
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
    return run


def _parameters() -> dict[str, Any]:
    return {
        "new_company_days": incorporation.NEW_COMPANY_DAYS,
        "submission_bands_days": [cri.SUBMISSION_SHORT_DAYS, cri.SUBMISSION_LONG_DAYS],
        "decision_bands_days": [cri.DECISION_FAST_DAYS, cri.DECISION_SLOW_DAYS],
        "share_min_contracts": cri.SHARE_MIN_CONTRACTS,
        "benford_min_amounts": cri.BENFORD_MIN_AMOUNTS,
        "tukey": stats.TUKEY,
        "max_shared_value": MAX_SHARED,
    }


def _store(
    run: RiskRun,
    rows: list[ranking.ContractRow],
    supplier_flags: Mapping[str, Sequence[Flag]],
    alerts: Mapping[Any, list[dict[str, Any]]],
    contracts: list[Contract],
    links: Mapping[Any, list[ContractSupplier]],
) -> None:
    now = run.started_at
    common = {"run": run, "population": run.population, "population_size": run.population_size}
    results: list[RiskResult] = []

    def add(kind: str, key: str, label: str, flag: Flag, **extra: Any) -> None:
        results.append(
            RiskResult(
                subject_kind=kind,
                subject_id=key,
                subject_label=label[:300],
                code=flag.code,
                value=flag.value,
                evidence=dict(flag.evidence),
                fence=dict(flag.fence) if flag.fence is not None else None,
                computed_at=now,
                **common,
                **extra,
            )
        )

    for row in rows:
        where = {"institution": row.institution, "signed_on": row.signed_on}
        for flag in row.components:
            add(SubjectKind.CONTRACT, row.ocid, row.label, flag, **where)
        score = Flag(
            "CRI",
            row.score.value,
            {
                **row.score.evidence,
                "institution_name": row.institution_name,
                "suppliers": [list(s) for s in row.suppliers],
                "amount": format(row.amount, "f"),
            },
        )
        add(SubjectKind.CONTRACT, row.ocid, row.label, score, **where)
    for rfc, flags in supplier_flags.items():
        for flag in flags:
            add(SubjectKind.SUPPLIER, rfc, "", flag)
    for item in ranking.buyers(rows):
        evidence = {"explanation": item.explanation, **item.details}
        add(SubjectKind.BUYER, item.key, item.label, Flag("CRI", item.score, evidence),
            institution=item.key)  # fmt: skip
    for item in ranking.suppliers(rows, supplier_flags):
        evidence = {"explanation": item.explanation, "missing": item.missing, **item.details}
        add(SubjectKind.SUPPLIER, item.key, item.label, Flag("CRI", item.score, evidence))
    # BESA alerts aggregated per buyer and supplier: counts by rule, and the share of
    # contracts with an active high-severity alert.
    by_buyer: dict[str, list[Contract]] = defaultdict(list)
    by_supplier: dict[str, list[Contract]] = defaultdict(list)
    names: dict[str, str] = {}
    for c in contracts:
        by_buyer[c.buying_unit.institution.code].append(c)
        names[c.buying_unit.institution.code] = c.buying_unit.institution.name
        for link in links[c.id]:
            by_supplier[supplier_key(link.supplier)].append(c)
            names[supplier_key(link.supplier)] = link.supplier.name
    for kind, groups in ((SubjectKind.BUYER, by_buyer), (SubjectKind.SUPPLIER, by_supplier)):
        for key, members in groups.items():
            add(kind, key, names[key], _alert_summary(members, alerts),
                institution=key if kind == SubjectKind.BUYER else "")  # fmt: skip
    RiskResult.objects.bulk_create(results, batch_size=2000)


def _alert_summary(members: list[Contract], alerts: Mapping[Any, list[dict[str, Any]]]) -> Flag:
    by_rule: Counter[str] = Counter()
    flagged = 0
    for c in members:
        found = alerts.get(c.id, [])
        by_rule.update(a["rule"] for a in found)
        flagged += any(a["severity"] == "H" for a in found)
    return Flag(
        "ALERTS",
        round(flagged / len(members), 4),
        {"by_rule": dict(sorted(by_rule.items())), "contracts": len(members), "with_high": flagged},
    )


# --- reading a run back -------------------------------------------------------------------


def contract_rows(
    run: RiskRun,
    *,
    institutions: Iterable[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    ocids: Iterable[str] | None = None,
    with_evidence: bool = False,
) -> list[ranking.ContractRow]:
    """The run's contracts as ranking rows, restricted to ``institutions`` (None: all), to
    contracts signed in [since, until] and to ``ocids`` (None: all).

    By default the components come from each CRI row's summary (code → value, and the missing
    ones with their reason), without their evidence: enough to rank and count, and one row
    per contract to read. ``with_evidence`` reads every component row (evidence and fence),
    for the rows a page explains.
    """
    results = RiskResult.objects.filter(run=run, subject_kind=SubjectKind.CONTRACT)
    if institutions is not None:
        results = results.filter(institution__in=list(institutions))
    if since:
        results = results.filter(signed_on__gte=since)
    if until:
        results = results.filter(signed_on__lte=until)
    if ocids is not None:
        results = results.filter(subject_id__in=list(ocids))
    if not with_evidence:
        results = results.filter(code="CRI")
    # Plain tuples, not model instances: a ranking page reads every contract of the run.
    fields = ("subject_id", "code", "value", "evidence", "fence", "subject_label",
              "institution", "signed_on")  # fmt: skip
    grouped: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for values in results.order_by("subject_id", "code").values_list(*fields):
        grouped[values[0]].append(values)
    rows = []
    for ocid, members in grouped.items():
        score = next(m for m in members if m[1] == "CRI")
        _, _, value, evidence, _, label, institution, signed_on = score
        if with_evidence:
            components = [Flag(m[1], m[2], m[3], m[4]) for m in members if m[1] != "CRI"]
        else:
            components = [Flag(c, v) for c, v in evidence.get("components", {}).items()] + [
                missing(c, str(reason)) for c, reason in evidence.get("missing", {}).items()
            ]
        rows.append(
            ranking.ContractRow(
                ocid=ocid,
                label=label,
                institution=institution,
                institution_name=evidence.get("institution_name", ""),
                suppliers=[tuple(s) for s in evidence.get("suppliers", [])],
                amount=Decimal(evidence.get("amount", "0")),
                signed_on=signed_on.isoformat() if signed_on else None,
                components=sorted(components, key=lambda f: f.code),
                score=Flag("CRI", value, evidence),
            )
        )
    return rows


def supplier_flags(run: RiskRun, rfcs: Iterable[str]) -> dict[str, list[Flag]]:
    """The run's supplier-level flags (NEW_COMPANY, LISTED, NETWORK) for ``rfcs``."""
    found: dict[str, list[Flag]] = defaultdict(list)
    for result in RiskResult.objects.filter(
        run=run,
        subject_kind=SubjectKind.SUPPLIER,
        subject_id__in=list(rfcs),
        code__in=["NEW_COMPANY", "LISTED", "NETWORK"],
    ).order_by("subject_id", "code"):
        found[result.subject_id].append(
            Flag(result.code, result.value, result.evidence, result.fence)
        )
    return found
