"""Rule inputs that belong to no contract: reading them for the rules, writing them once.

- A24 reads an institution's annual acquisitions budget (``InstitutionBudget``), the PEF
  annex's bracket for it (``PefLimit``) and the institution's art. 42 awards of the year
  (``budget_for``).
- A21 reads a supplier's rescissions on its other contracts, from their logbooks, and those
  from before BESA (``PriorRescission``) (``rescissions_for``).
- A25 reads the market research's prices from the registration; a file of them becomes a
  rectification of each contract's registration (``record_market_research``).

The writers (``set_budget``, ``set_pef_limits``, ``record_prior_rescissions``) are the one path
for the file importers (``besa import budgets|pef-limits|rescissions``) and the API: each
writes in one transaction, checks everything before writing, is idempotent (the same input
again changes nothing), then re-evaluates the contracts whose verdict its rows may change,
each in its own transaction, like a list import's re-screening. The re-evaluation covers every
row given, changed or not: the same file imported again after an interruption finishes it
(and, ``sync`` being idempotent, opens nothing twice).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from besa.exceptions import InvalidInput
from besa.interop.lists.ruleinputs import BudgetRow, MarketPrice, PefRow, RescissionRow
from besa.logbook.models import ContractState, Entry
from besa.registry.models import (
    Contract,
    ContractSupplier,
    Institution,
    InstitutionBudget,
    PefLimit,
    PriorRescission,
)
from besa.registry.validation import GENERIC_RFCS
from besa.rules.facts import base_amount, money, to_home_currency
from besa.rules.procedure import EXCEPTIONS, cites_art_42

# --- reading, for the rules ---------------------------------------------------------------


def budget_for(snapshot: Mapping[str, Any]) -> dict[str, Any] | None:
    """``Context.budget`` for a contract: None unless it is an exception to public tender
    (only A24 reads it) whose institution has a budget for the signing year."""
    terms = snapshot.get("contract") or {}
    if terms.get("procedure_type") not in EXCEPTIONS:
        return None
    code = (snapshot.get("buyer") or {}).get("institution_code")
    signed = dt.date.fromisoformat(terms["signing_date"])
    row = (
        InstitutionBudget.objects.filter(institution__code=code, fiscal_year=signed.year)
        .only("institution_id", "amount", "fiscal_year")
        .first()
    )
    if row is None:
        return None
    bracket = pef_bracket(signed.year, row.amount)
    # The contract being evaluated is counted from its snapshot: its registry row may be
    # older (a rectification) or not yet written.
    total = Decimal(0)
    others = (
        Contract.objects.filter(
            buying_unit__institution_id=row.institution_id,
            signing_date__year=signed.year,
            signing_date__lte=signed,
            procedure_type__in=EXCEPTIONS,
        )
        .exclude(ocid=snapshot.get("ocid"))
        .values_list("legal_basis", "amount", "exchange_rate", "is_open", "max_amount")
    )
    for legal_basis, amount, rate, is_open, maximum in others:
        if cites_art_42(legal_basis):
            total += ((maximum if is_open and maximum else amount) or 0) * (rate or 1)
    if cites_art_42(terms.get("legal_basis")):
        total += to_home_currency(snapshot, base_amount(snapshot))
    return {
        "fiscal_year": signed.year,
        "annual_budget": money(row.amount),
        "pef_limits": None
        if bracket is None
        else {
            "adjudicacion_directa": money(bracket.direct_award_max),
            "invitacion_tres": money(bracket.invitation_max),
        },
        "art42_total": money(total),
    }


def pef_bracket(year: int, budget: Decimal) -> PefLimit | None:
    """The PEF annex's row for an annual budget: above ``budget_above``, up to ``budget_up_to``."""
    return (
        PefLimit.objects.filter(fiscal_year=year, budget_above__lt=budget)
        .filter(Q(budget_up_to__isnull=True) | Q(budget_up_to__gte=budget))
        .order_by("-budget_above")
        .first()
    )


def rescissions_for(snapshot: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """``Context.rescissions`` for a contract: empty unless the contract is rescinded (only
    A21's second-rescission finding reads it). A rescission on another contract is the
    latest resolution entry of that contract when it rescinded (``decision`` absent or
    ``rescinded``)."""
    rescission = snapshot.get("rescission") or {}
    if rescission.get("decision") != "rescinded":
        return {}
    rfcs = sorted({s["rfc"] for s in snapshot.get("suppliers", []) if s["rfc"] not in GENERIC_RFCS})
    if not rfcs:
        return {}
    links = list(
        ContractSupplier.objects.filter(supplier__rfc__in=rfcs)
        .exclude(contract__ocid=snapshot.get("ocid"))
        .values_list(
            "supplier__rfc",
            "contract_id",
            "contract__number",
            "contract__buying_unit__institution__code",
        )
    )
    ids = {c for _, c, _, _ in links}
    # A rectified stage counts as corrected (the logbook's effective payload).
    corrected = {
        str(payload.get("corrects")): payload.get("payload") or {}
        for payload in Entry.objects.filter(kind="rectification", contract_id__in=ids)
        .order_by("seq")
        .values_list("payload", flat=True)
    }
    latest: dict[Any, dict[str, Any]] = {}
    for contract_id, uuid, payload in (
        Entry.objects.filter(kind="rescission", contract_id__in=ids)
        .order_by("seq")
        .values_list("contract_id", "uuid", "payload")
    ):
        payload = corrected.get(str(uuid), payload)
        if payload.get("stage") == "resolution":
            latest[contract_id] = payload
        elif payload.get("stage") == "notice":  # a new procedure: the earlier outcome is moot
            latest.pop(contract_id, None)
    found: dict[str, list[dict[str, Any]]] = {}
    for rfc, contract_id, number, institution in links:
        resolution = latest.get(contract_id)
        if resolution is None or resolution.get("decision", "rescinded") != "rescinded":
            continue
        found.setdefault(rfc, []).append(
            {"date": resolution["date"], "source": "logbook", "contract": number,
             "institution": institution}
        )  # fmt: skip
    for row in PriorRescission.objects.filter(rfc__in=rfcs):
        found.setdefault(row.rfc, []).append(
            {"date": row.rescinded_on.isoformat(), "source": "import",
             "contract": row.contract_number, "institution": row.institution_code}
        )  # fmt: skip
    return found


# --- writing ------------------------------------------------------------------------------


@dataclass
class InputReport:
    """What one write of rule inputs did: rows created, changed and already so, and the
    re-evaluation of the contracts it concerns."""

    created: int = 0
    changed: int = 0
    unchanged: int = 0
    reevaluated: int = 0
    opened: int = 0
    corrected: int = 0
    opened_by_rule: dict[str, int] = field(default_factory=dict)


def _where(line: int, name: str) -> str:
    return f"line {line}" if line else name


def set_budgets(rows: Sequence[BudgetRow], *, source: str, now: dt.datetime) -> InputReport:
    """Store each institution's budget for its year (replacing an earlier amount). Raises
    ``InvalidInput`` naming the line (or field) of the first unknown institution or repeated
    (institution, year) before writing anything."""
    codes = {r.institution_code for r in rows}
    institutions = {i.code: i for i in Institution.objects.filter(code__in=codes)}
    seen: dict[tuple[str, int], int] = {}
    for row in rows:
        if row.institution_code not in institutions:
            raise InvalidInput(
                _where(row.line, "institution"),
                f"institución desconocida / unknown institution {row.institution_code!r}",
            )
        key = (row.institution_code, row.fiscal_year)
        if key in seen:
            raise InvalidInput(
                _where(row.line, "fiscal_year"),
                f"{key[0]} {key[1]} repetido (línea {seen[key]}) / repeated (line {seen[key]})",
            )
        seen[key] = row.line
    report = InputReport()
    touched: list[tuple[Institution, int]] = []
    with transaction.atomic():
        for row in rows:
            institution = institutions[row.institution_code]
            current = InstitutionBudget.objects.filter(
                institution=institution, fiscal_year=row.fiscal_year
            ).first()
            touched.append((institution, row.fiscal_year))
            if current is not None and current.amount == row.amount:
                report.unchanged += 1
                continue
            if current is None:
                InstitutionBudget.objects.create(
                    institution=institution,
                    fiscal_year=row.fiscal_year,
                    amount=row.amount,
                    source=source[:300],
                    recorded_at=now,
                )
                report.created += 1
            else:
                current.amount, current.source, current.recorded_at = row.amount, source[:300], now
                current.save(update_fields=["amount", "source", "recorded_at"])
                report.changed += 1
    ids: set[Any] = set()
    for institution, year in touched:
        ids |= _exceptions(year, Q(buying_unit__institution=institution))
    _reevaluate(ids, now, report)
    return report


def set_pef_limits(rows: Sequence[PefRow], *, source: str, now: dt.datetime) -> InputReport:
    """Replace the PEF annex of each year the rows cover with exactly these brackets. The
    brackets of a year must not overlap and only the last may be open-ended; a year whose
    brackets are already exactly these changes nothing. ``InvalidInput`` names the line."""
    by_year: dict[int, list[PefRow]] = {}
    for row in rows:
        by_year.setdefault(row.fiscal_year, []).append(row)
    for brackets in by_year.values():
        brackets.sort(key=lambda r: r.budget_above)
        for before, after in itertools.pairwise(brackets):
            if before.budget_up_to is None or before.budget_up_to > after.budget_above:
                raise InvalidInput(
                    _where(after.line, "budget_above"),
                    f"el tramo se traslapa con el de la línea {before.line} / the bracket "
                    f"overlaps the one on line {before.line}",
                )
    report = InputReport()
    years = []
    with transaction.atomic():
        for year, brackets in by_year.items():
            wanted = [_pef_key(r) for r in brackets]
            stored = [
                _pef_key(r)
                for r in PefLimit.objects.filter(fiscal_year=year).order_by("budget_above")
            ]
            years.append(year)
            if wanted == stored:
                report.unchanged += len(brackets)
                continue
            report.changed += len(stored)
            PefLimit.objects.filter(fiscal_year=year).delete()
            PefLimit.objects.bulk_create(
                PefLimit(
                    fiscal_year=year,
                    budget_above=r.budget_above,
                    budget_up_to=r.budget_up_to,
                    direct_award_max=r.direct_award_max,
                    invitation_max=r.invitation_max,
                    source=source[:300],
                    recorded_at=now,
                )
                for r in brackets
            )
            report.created += len(brackets)
    ids: set[Any] = set()
    for year in years:
        ids |= _exceptions(year, Q())
    _reevaluate(ids, now, report)
    return report


def _pef_key(row: PefRow | PefLimit) -> tuple[Any, ...]:
    return (row.budget_above, row.budget_up_to, row.direct_award_max, row.invitation_max)


def record_prior_rescissions(
    rows: Sequence[RescissionRow], *, source: str, now: dt.datetime
) -> InputReport:
    """Store rescissions from before BESA; a row already stored (same RFC, institution and
    contract) with the same dates is left alone, one with other dates is an error naming
    its line (a correction is a deliberate act, not a re-import)."""
    report = InputReport()
    rfcs: set[str] = set()
    for row in rows:
        if row.rescinded_on > now.date():
            raise InvalidInput(
                _where(row.line, "rescinded_on"),
                f"fecha futura / a date in the future: {row.rescinded_on}",
            )
    with transaction.atomic():
        for row in rows:
            rfcs.add(row.rfc)
            current = PriorRescission.objects.filter(
                rfc=row.rfc,
                institution_code=row.institution_code,
                contract_number=row.contract_number,
            ).first()
            if current is not None:
                if (current.rescinded_on, current.notice_on) != (row.rescinded_on, row.notice_on):
                    raise InvalidInput(
                        _where(row.line, "rescinded_on"),
                        f"{row.contract_number} ya registrada con fecha {current.rescinded_on} / "
                        f"already recorded with date {current.rescinded_on}",
                    )
                report.unchanged += 1
                continue
            PriorRescission.objects.create(
                rfc=row.rfc,
                supplier_name=row.supplier_name[:300],
                institution_code=row.institution_code,
                contract_number=row.contract_number,
                rescinded_on=row.rescinded_on,
                notice_on=row.notice_on,
                source=source[:300],
                recorded_at=now,
            )
            report.created += 1
    ids = set(
        Entry.objects.filter(
            kind="rescission", contract__contractsupplier__supplier__rfc__in=sorted(rfcs)
        ).values_list("contract_id", flat=True)
    )
    _reevaluate(ids, now, report)
    return report


def record_market_research(
    prices: Sequence[MarketPrice], *, source: str, now: dt.datetime
) -> InputReport:
    """Set each contract's ``market_research_prices`` to its prices in the file, by appending
    a rectification of its registration (the registration's terms are the one place they
    live). A contract whose registration already holds exactly these prices is left alone.
    All contracts or none: the appends share one transaction, so a refused payload (the
    registration's own ``market_median_amount`` is not the new prices' median) or an unknown
    ocid names the contract's first line and writes nothing. The appends evaluate A25 as
    any entry does."""
    from besa.logbook.actor import Actor
    from besa.logbook.append import append

    by_ocid: dict[str, list[MarketPrice]] = {}
    for price in prices:
        by_ocid.setdefault(price.ocid, []).append(price)
    if any(len(group) > 100 for group in by_ocid.values()):
        group = next(g for g in by_ocid.values() if len(g) > 100)
        raise InvalidInput(
            _where(group[100].line, "market_research_prices"),
            "más de 100 precios para un contrato / more than 100 prices for one contract",
        )
    contracts = {c.ocid: c for c in Contract.objects.filter(ocid__in=list(by_ocid))}
    for ocid, group in by_ocid.items():
        if ocid not in contracts:
            raise InvalidInput(
                _where(group[0].line, "ocid"), f"contrato desconocido / unknown contract {ocid}"
            )
    report = InputReport()
    actor = Actor.system("import:market-research")
    with transaction.atomic():
        for ocid, group in by_ocid.items():
            contract = contracts[ocid]
            state = ContractState.objects.select_for_update().get(pk=contract.pk)
            registration = next(i for i in state.snapshot["log"] if i["kind"] == "registration")
            terms = registration["payload"]["contract"]
            wanted = [p.price for p in group]
            current = [Decimal(v) for v in terms.get("market_research_prices") or ()]
            if current == wanted:
                report.unchanged += 1
                continue
            payload = {
                **registration["payload"],
                "contract": {**terms, "market_research_prices": [str(p) for p in wanted]},
            }
            rectification = {
                "corrects": registration["id"],
                "reason": f"Investigación de mercado importada ({source})"[:2000],
                "payload": payload,
            }
            try:
                append(contract, "rectification", rectification, actor=actor, now=now)
            except InvalidInput as exc:
                raise InvalidInput(_where(group[0].line, exc.field), exc.message) from None
            if current:
                report.changed += 1
            else:
                report.created += 1
    return report


def _exceptions(year: int, scope: Q) -> set[Any]:
    """Exceptions to public tender signed in ``year`` within ``scope``: A24's contracts."""
    return set(
        Contract.objects.filter(
            scope, signing_date__year=year, procedure_type__in=EXCEPTIONS
        ).values_list("pk", flat=True)
    )


def _reevaluate(ids: Iterable[Any], now: dt.datetime, report: InputReport) -> None:
    from besa.interop.lists.rescreen import reevaluate

    done = reevaluate(
        ContractState.objects.filter(pk__in=list(ids)).values_list("pk", flat=True), now
    )
    report.reevaluated = done.contracts
    report.opened = done.opened
    report.corrected = done.corrected
    report.opened_by_rule = done.opened_by_rule
