"""The demo's execution histories: pure, deterministic, valid, clean unless told otherwise, and
each seeded defect shows its symptom (checked on the planned entries, not through alerts)."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from tests.world import World, make_contract

from besa.demo import histories, seed
from besa.demo.histories import DEFECTS, PlannedEntry
from besa.jurisdiction import Regime, load
from besa.logbook import kinds, state
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.models import ContractState, Entry
from besa.registry.models import Contract

TODAY = dt.date(2026, 11, 1)
MX = load("mx-federal")
BUYER_RFC = "SSA630502CU1"
SUPPLIERS = (("CMA150315K2A", "Comercializadora del Altiplano, S.A. de C.V."),
             ("DNO120101AB3", "Distribuidora del Norte, S.A. de C.V."))  # fmt: skip

#: A contract signed ~2 years ago whose one-year term is long over, and one half-way through.
FINISHED: dict[str, Any] = {"signed_days_ago": 800, "term": 365}
RUNNING: dict[str, Any] = {"signed_days_ago": 250, "term": 365}


def registration(
    *,
    signed_days_ago: int,
    term: int,
    advance: str = "20",
    guarantee: str = "10",
    penalty: str = "1.00",
    currency: str = "MXN",
    joint: bool = False,
    is_open: bool = False,
    procedure: str = "licitacion_publica",
) -> dict[str, Any]:
    signed = TODAY - dt.timedelta(days=signed_days_ago)
    start = signed + dt.timedelta(days=3)
    amount = "25000000.00" if currency == "MXN" else "1350000.00"
    contract: dict[str, Any] = {
        "number": "SSA-C-045",
        "title": "Adquisición de medicamentos del cuadro básico",
        "procedure_type": procedure,
        "contracting_type": "adquisicion",
        "character": "nacional" if currency == "MXN" else "internacional",
        "regime": MX.regime_for(signed).code,
        "award_date": (signed - dt.timedelta(days=6)).isoformat(),
        "signing_date": signed.isoformat(),
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=term)).isoformat(),
        "amount": amount,
        "currency": currency,
        "is_open": is_open,
        "multiyear": term > 365,
        "advance_percent": advance,
        "guarantee_percent": guarantee,
        "penalty_rate_percent": penalty,
    }
    if procedure != "licitacion_publica":
        contract["exception_justification"] = "Dictamen de excepción a la licitación pública"
    if currency != "MXN":
        contract["exchange_rate"] = "18.25"
    if is_open:
        contract["min_amount"], contract["max_amount"] = "10000000.00", amount
    suppliers = SUPPLIERS if joint else SUPPLIERS[:1]
    shares = ("60", "40") if joint else ("100",)
    return {
        "contract": contract,
        "buyer": {
            "institution_code": "SSA",
            "institution_name": "Secretaría de Salud",
            "institution_rfc": BUYER_RFC,
            "buying_unit_code": "SSA-01",
            "buying_unit_name": "Dirección General de Recursos Materiales",
            "level": "APF",
        },
        "suppliers": [
            {"rfc": rfc, "name": name, "share_percent": share}
            for (rfc, name), share in zip(suppliers, shares, strict=True)
        ],
        "home_currency": "MXN",
        "compliance": [],
    }


def regime_of(registration: Mapping[str, Any]) -> Regime:
    return MX.regime(registration["contract"]["regime"])


def plan(
    registration: Mapping[str, Any], defects: frozenset[str] = frozenset(), *, rng_seed: int = 1
) -> tuple[dict[str, Any], list[PlannedEntry]]:
    rng = random.Random(rng_seed)
    completed = histories.complete_registration(rng, registration, defects=defects)
    entries = histories.plan_history(
        rng,
        completed,
        TODAY,
        regime=regime_of(registration),
        calendar=MX.calendar,
        beneficiary=MX.guarantee_beneficiary,
        zone=MX.zone,
        defects=defects,
    )
    return completed, entries


def replay(registration: Mapping[str, Any], entries: Sequence[PlannedEntry]) -> dict[str, Any]:
    """Validate every payload against the state of its moment, as append() does, and fold."""
    current = state.initial_state("ocds-test")
    signed = dt.date.fromisoformat(registration["contract"]["signing_date"])
    items: list[tuple[str, Mapping[str, Any], dt.datetime, Sequence[Mapping[str, Any]]]] = [
        ("registration", registration, dt.datetime.combine(signed, dt.time(10), dt.UTC), ())
    ]
    items += [(e.kind, e.payload, e.occurred_at, e.documents) for e in entries]
    for sequence, (kind, payload, occurred_at, documents) in enumerate(items, 1):
        clean = kinds.validate_payload(kind, payload, current if sequence > 1 else None)
        entry = {
            "id": str(uuid.UUID(int=sequence)),
            "ocid": "ocds-test",
            "sequence": sequence,
            "kind": kind,
            "occurred_at": occurred_at.isoformat(),
            "recorded_at": occurred_at.isoformat(),
            "payload": clean,
            "documents": kinds.validate_documents(list(documents)),
        }
        current = state.apply(current, entry)
    return current


# --- Symptoms: what each defect looks like in the entries ----------------------------------


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def symptoms(
    registration: Mapping[str, Any], entries: Sequence[PlannedEntry], today: dt.date = TODAY
) -> set[str]:
    """The defects whose symptoms show in a history (a small oracle, independent of the
    planner: it reads only the payloads)."""
    regime = regime_of(registration)
    terms = registration["contract"]
    signed, end = _day(terms["signing_date"]), _day(terms["end_date"])
    amount = Decimal(terms["amount"])
    base = Decimal(terms.get("max_amount") or terms["amount"])
    percent = Decimal(terms["guarantee_percent"])
    of: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        assert entry.occurred_at.date() < today, entry
        of.setdefault(entry.kind, []).append(entry.payload)
    found: set[str] = set()

    budgets = of.get("budget_sufficiency", []) + (
        [registration["budget_sufficiency"]] if "budget_sufficiency" in registration else []
    )
    if any(_day(b["date"]) > signed for b in budgets):
        found.add("late_budget")

    guarantees = of.get("guarantee", [])
    opened = [g for g in guarantees if g.get("action", "new") in ("new", "exemption")]
    performance = [g for g in opened if g["type"] == "performance"]
    if not performance:
        found.add("missing_guarantee")
    else:
        first = performance[0]
        if _day(first["date_received"]) > signed + dt.timedelta(
            days=regime.performance_guarantee_days
        ):
            found.add("late_guarantee")
        if first.get("action") != "exemption":
            if Decimal(first["amount"]) < base * percent / 100:
                found.add("short_guarantee")
            if _day(first["valid_until"]) < end:
                found.add("expired_guarantee")

    due: dict[str, dt.date] = {}
    amounts: dict[str, Decimal] = {}
    for schedule in of.get("deliverable_schedule", []):
        for planned in schedule["deliverables"]:
            due[planned["deliverable_id"]] = _day(planned["due_date"])
            amounts[planned["deliverable_id"]] = Decimal(planned["amount"])
    deliveries = of.get("delivery", [])
    penalties = of.get("penalty", [])
    rate = Decimal(terms["penalty_rate_percent"])
    for delivery in deliveries:
        deliverable = delivery["deliverable_id"]
        if delivery["result"] != "accepted":
            found.add("rejected_delivery")
        if _day(delivery["date"]) > due[deliverable]:
            levied = [p for p in penalties if p.get("deliverable_id") == deliverable]
            if not levied:
                found.add("late_delivery_no_penalty")
            for penalty in levied:
                days = penalty["days_late"]
                expected = (amounts[deliverable] * rate / 100 * days).quantize(Decimal("0.01"))
                if Decimal(penalty["applied_amount"]) < Decimal(penalty["calculated_amount"]):
                    found.add("penalty_underapplied")
                elif Decimal(penalty["calculated_amount"]) == expected:
                    found.add("late_delivery")
    ended = [_day(t["date"]) for t in of.get("early_termination", [])]
    ended += [_day(r["date"]) for r in of.get("rescission", []) if r["stage"] == "notice"]
    suspended = [_day(s["date"]) for s in of.get("suspension", []) if s["action"] == "suspend"]
    resumed = any(s["action"] == "resume" for s in of.get("suspension", []))
    stops = ended + ([] if resumed else suspended)
    delivered = {d["deliverable_id"] for d in deliveries}
    for deliverable, when in due.items():
        overdue = deliverable not in delivered and when < today - dt.timedelta(days=1)
        if overdue and not any(stop <= when for stop in stops):
            found.add("missing_delivery")

    invoices = {i["uuid"]: i for i in of.get("invoice", [])}
    payments = of.get("payment", [])
    paid_on: dict[str, list[dt.date]] = {}
    for payment in payments:
        for cfdi in payment["invoice_uuids"]:
            paid_on.setdefault(cfdi, []).append(_day(payment["date"]))
            if Decimal(payment["amount"]) > Decimal(invoices[cfdi]["total"]):
                found.add("overpayment")
    for cfdi, invoice in invoices.items():
        paused = 0
        if "corrected_invoice_date" in invoice:
            paused = (
                _day(invoice["corrected_invoice_date"]) - _day(invoice["deficiency_letter_date"])
            ).days
        limit = _day(invoice["date_received"]) + dt.timedelta(days=regime.payment_days + paused)
        if cfdi not in paid_on and limit < today:
            found.add("unpaid_invoice")
        if cfdi in paid_on and min(paid_on[cfdi]) > limit:
            found.add("late_payment")
        if len(paid_on.get(cfdi, [])) > 1:
            found.add("overpayment")
    accepted = [_day(d["date"]) for d in deliveries if Decimal(d["quantity_accepted"]) > 0]
    first_accepted = min(accepted, default=dt.date.max)
    if any(_day(p["date"]) < first_accepted for p in payments if not p.get("is_advance")):
        found.add("payment_without_delivery")
    amendments = of.get("amendment", [])
    current = amount + sum((Decimal(a.get("amount_change", 0)) for a in amendments), Decimal(0))
    if sum(Decimal(p["amount"]) for p in payments) > current * Decimal("1.16") + 1:
        found.add("overpayment")
    increase = sum((Decimal(a["amount_change"]) for a in amendments if "amount_change" in a), 0)
    if increase * 100 > amount * regime.amendment_max_percent:
        found.add("amendment_over_20")
    in_force = end
    for amendment in amendments:
        if _day(amendment["signing_date"]) > in_force:
            found.add("late_amendment")
        in_force = _day(amendment.get("new_end_date", in_force.isoformat()))
    advance_guarantees = [_day(g["date_received"]) for g in opened if g["type"] == "advance"]
    for payment in payments:
        if payment.get("is_advance") and not any(
            day <= _day(payment["date"]) for day in advance_guarantees
        ):
            found.add("advance_without_guarantee")
    if in_force + dt.timedelta(days=regime.closure_days) < today and not of.get("closure"):
        found.add("no_closure")
    if of.get("rescission"):
        found.add("rescission")
    if any("justification_document" not in t for t in of.get("early_termination", [])):
        found.add("early_termination_no_justification")
    if of.get("suspension"):
        found.add("suspension")

    penalised = sum((Decimal(p["calculated_amount"]) for p in penalties), Decimal(0))
    held = [Decimal(g["amount"]) for g in performance if g.get("action") != "exemption"]
    cap = held[0] if held else base * percent / 100
    if penalties and penalised >= cap and not of.get("rescission"):
        found.add("penalty_cap")
    award = terms.get("award_date")
    if award and (signed - _day(award)).days > regime.formalisation_days:
        found.add("late_formalisation")
    exceptions = ("adjudicacion_directa", "invitacion_tres", "adjudicacion_negociacion")
    if terms["procedure_type"] in exceptions and not terms.get("exception_justification"):
        found.add("no_exception_basis")
    median = terms.get("market_median_amount")
    if median and base * 100 > Decimal(median) * (100 + regime.unacceptable_price_percent):
        found.add("anomalous_price")
    for opinion in registration.get("compliance", []):
        if opinion["result"] != "positive" or _day(opinion["valid_until"]) < signed:
            found.add("negative_opinion")
    return found


def shape_for(defect: str) -> dict[str, Any]:
    """A registration whose dates leave room for ``defect``."""
    for shape in (
        FINISHED,
        RUNNING,
        {**RUNNING, "procedure": "adjudicacion_directa"},
        {**FINISHED, "advance": "0"},
    ):
        candidate = registration(**shape)
        if histories.applicable(defect, candidate, TODAY, regime=regime_of(candidate)):
            return candidate
    raise AssertionError(f"no test contract fits {defect}")


# --- Pure planning ------------------------------------------------------------------------


def test_planning_imports_no_django() -> None:
    code = (
        "import sys, besa.demo.histories; "
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_planning_is_deterministic_and_leaves_its_inputs_alone() -> None:
    base = registration(**FINISHED)
    before = repr(base)
    first = plan(base, frozenset({"late_payment", "late_budget"}), rng_seed=3)
    second = plan(base, frozenset({"late_payment", "late_budget"}), rng_seed=3)
    assert first == second
    assert repr(base) == before
    assert plan(base, rng_seed=4) != plan(base, rng_seed=3)


def test_only_what_happened_before_today_is_planned() -> None:
    young = registration(signed_days_ago=20, term=365)
    _, entries = plan(young)
    assert entries and all(e.occurred_at.date() < TODAY for e in entries)
    assert {e.kind for e in entries} <= {"guarantee", "deliverable_schedule", "invoice",
                                         "payment"}  # fmt: skip
    _, finished = plan(registration(**FINISHED))
    kinds_seen = [e.kind for e in finished]
    assert "closure" in kinds_seen and kinds_seen[-1] == "guarantee"  # released after closure
    assert [e.occurred_at for e in finished] == sorted(e.occurred_at for e in finished)


#: Contracts of every kind the demo has, and two it does not (no guarantee, no penalty).
CLEAN_SHAPES: dict[str, dict[str, Any]] = {
    "finished": FINISHED,
    "running": RUNNING,
    "no-advance": {**FINISHED, "advance": "0"},
    "usd": {**FINISHED, "currency": "USD"},
    "joint": {**FINISHED, "joint": True},
    "open": {**FINISHED, "is_open": True},
    "exempt": {**FINISHED, "guarantee": "0", "penalty": "0"},
    "multiyear": {"signed_days_ago": 1000, "term": 730},
    "short": {"signed_days_ago": 120, "term": 90},
}


@pytest.mark.parametrize("shape", CLEAN_SHAPES.values(), ids=CLEAN_SHAPES.keys())
def test_a_clean_history_is_valid_and_shows_no_defect(shape: dict[str, Any]) -> None:
    base = registration(**shape)
    for rng_seed in range(15):
        completed, entries = plan(base, rng_seed=rng_seed)
        replay(completed, entries)
        assert symptoms(completed, entries) == set(), rng_seed


def test_a_clean_history_follows_the_contract() -> None:
    completed, entries = plan(registration(**FINISHED), rng_seed=2)
    final = replay(completed, entries)
    terms = completed["contract"]
    signed = _day(terms["signing_date"])
    assert final["status"] == "closed"
    assert _day(completed["budget_sufficiency"]["date"]) < signed
    assert {o["source"] for o in completed["compliance"]} == {"sat_32d", "imss", "infonavit"}
    (guarantee,) = [
        e.payload for e in entries if e.kind == "guarantee" and e.payload["type"] == "performance"
        and e.payload.get("action", "new") == "new"
    ]  # fmt: skip
    assert guarantee["beneficiary"] == MX.guarantee_beneficiary
    assert Decimal(guarantee["amount"]) == Decimal(terms["amount"]) / 10
    assert 1 <= (_day(guarantee["date_received"]) - signed).days <= 10
    assert _day(guarantee["valid_until"]) > _day(terms["end_date"])
    deliverables = final["deliverables"].values()
    assert 2 <= len(deliverables) <= 6
    assert sum(Decimal(d["amount"]) for d in deliverables) == Decimal(terms["amount"])
    for invoice in final["invoices"].values():
        assert invoice["issuer_rfc"] == SUPPLIERS[0][0]
        assert invoice["receiver_rfc"] == BUYER_RFC
        taxable = Decimal(invoice["subtotal"]) - Decimal(invoice.get("discount", 0))
        assert Decimal(invoice["taxes"]) == (taxable * Decimal("0.16")).quantize(Decimal("0.01"))
        assert len(invoice["payment_entry_ids"]) == 1
    paid = Decimal(final["totals"]["paid"])
    assert abs(paid - Decimal(terms["amount"]) * Decimal("1.16")) < 1
    assert Decimal(final["closure"]["balance_owed_to_supplier"]) == 0
    assert {g["status"] for g in final["guarantees"].values()} == {"released"}


def test_a_foreign_currency_contract_is_paid_in_its_currency() -> None:
    _, entries = plan(registration(**FINISHED, currency="USD"))
    payments = [e.payload for e in entries if e.kind == "payment"]
    assert payments
    assert {(p["currency"], p["exchange_rate"]) for p in payments} == {("USD", "18.25")}


# --- Defects ------------------------------------------------------------------------------


def test_every_defect_is_documented() -> None:
    assert set(histories.ALERTS) == set(DEFECTS)
    assert len(set(DEFECTS)) == len(DEFECTS) == 29
    assert set(DEFECTS) >= histories.OUTSIDE_HISTORY


#: Defects shown by the planned registration and entries (the others: see below).
IN_HISTORY = [d for d in DEFECTS if d not in histories.OUTSIDE_HISTORY]


@pytest.mark.parametrize("defect", IN_HISTORY)
def test_each_defect_shows_its_symptom_in_a_valid_history(defect: str) -> None:
    base = shape_for(defect)
    for rng_seed in range(12):
        completed, entries = plan(base, frozenset({defect}), rng_seed=rng_seed)
        replay(completed, entries)
        assert defect in symptoms(completed, entries), rng_seed


def test_a_late_registration_is_recorded_after_the_deadline() -> None:
    base = shape_for("late_registration")
    signed = _day(base["contract"]["signing_date"])
    regime = regime_of(base)
    deadline = MX.calendar.add_business_days(signed, regime.registration_business_days)
    for rng_seed in range(12):

        def day(defects: frozenset[str], rng_seed: int = rng_seed) -> dt.date:
            return histories.registration_day(
                random.Random(rng_seed), base, TODAY, regime=regime, calendar=MX.calendar,
                defects=defects,
            )  # fmt: skip

        assert day(frozenset()) == signed
        late = day(frozenset({"late_registration"}))
        assert deadline < late < TODAY and (late - signed).days <= 30


def test_an_unknown_defect_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown defects"):
        plan(registration(**FINISHED), frozenset({"bribery"}))


def test_defects_are_assigned_to_a_deterministic_minority() -> None:
    first = histories.assign_defects(random.Random(9), 2000)
    assert first == histories.assign_defects(random.Random(9), 2000)
    assert sum(1 for d in first if not d) / 2000 == pytest.approx(histories.CLEAN_SHARE, abs=0.02)
    assert max(len(d) for d in first) == 2
    for defect in DEFECTS:
        share = sum(1 for d in first if defect in d) / 2000
        low, high = histories.share(defect)
        assert low - 0.001 <= share <= 2 * high, defect
    for found in first:
        a, *rest = sorted(found) or [""]
        for b in rest:
            assert histories.compatible(frozenset({a}), b)


def test_the_full_demo_plans_valid_histories_with_the_promised_defects() -> None:
    """All 2,000 demo contracts, planned in memory: each history validates entry by entry,
    each seeded defect shows, and the clean three quarters show none."""
    planned = seed.plans_for(7, TODAY)
    assert len(planned) == 2000
    counts = dict.fromkeys(DEFECTS, 0)
    for contract in planned:
        replay(contract.registration, contract.entries)
        found = symptoms(contract.registration, contract.entries)
        shown = contract.defects - histories.OUTSIDE_HISTORY
        assert shown <= found, (contract.ocid, contract.defects, found)
        if not contract.defects:
            assert found == set(), (contract.ocid, found)
        for defect in contract.defects:
            counts[defect] += 1
    for defect, count in counts.items():
        low, high = histories.share(defect)
        # The list defects need a supplier's only contract: as many as there are.
        floor = 0 if defect in histories.LISTED else low / 2
        assert count >= 1 and floor <= count / 2000 <= 2 * high, (defect, count)
    clean = sum(1 for c in planned if not c.defects)
    assert 0.70 <= clean / 2000 <= 0.80
    assert seed.defects_for(7, TODAY) == {c.ocid: c.defects for c in planned if c.defects}


# --- Through append(), on the database ----------------------------------------------------


def test_every_defect_appends_through_append(world: World) -> None:
    actor = Actor.system("test")
    unit = world.units["A1"]
    # The defects of the registration itself (its terms, its opinions) are not appended here.
    on_registration = {"late_formalisation", "no_exception_basis", "anomalous_price",
                       "negative_opinion"}  # fmt: skip
    for defect in (d for d in IN_HISTORY if d not in on_registration):
        terms = shape_for(defect)["contract"]
        for rng_seed in range(2):
            contract = make_contract(
                world.admin,
                unit,
                world.supplier,
                award_date=_day(terms["award_date"]),
                signing_date=_day(terms["signing_date"]),
                start_date=_day(terms["start_date"]),
                end_date=_day(terms["end_date"]),
                advance_percent=Decimal(20),
                penalty_rate_percent=Decimal(1),
            )
            registered = Entry.objects.get(contract=contract, sequence=1).payload
            _, entries = plan(registered, frozenset({defect}), rng_seed=rng_seed)
            assert defect in symptoms(registered, entries)
            for entry in entries:
                append(
                    contract,
                    entry.kind,
                    entry.payload,
                    actor=actor,
                    occurred_at=entry.occurred_at,
                    documents=entry.documents,
                    now=entry.earliest_recording(dt.timedelta(hours=2)),
                )
            head = ContractState.objects.get(contract=contract)
            assert head.last_sequence == 1 + len(entries)
            expected = replay(registered, entries)
            assert head.status == expected["status"]
            assert head.snapshot["totals"] == expected["totals"]


def test_a_small_demo_loads_deterministically_with_its_defects(db: None) -> None:
    def load_and_read() -> tuple[seed.Summary, list[tuple[str, int, str, Any]]]:
        with transaction.atomic():
            summary = seed.load(seed=5, today=TODAY, n_contracts=150)
            rows = sorted(Entry.objects.values_list("ocid", "sequence", "kind", "payload"))
            transaction.set_rollback(True)  # the logbook is append-only: roll back instead
        return summary, rows

    summary, first = load_and_read()
    assert len(first) == summary.entries > 150 * 8
    assert summary.defects == seed.defects_for(5, TODAY, n_contracts=150)
    assert 0 < len(summary.defects) < 150 / 2
    assert "150 contratos" in summary.describe() and "asientos" in summary.describe()
    again, second = load_and_read()
    assert second == first
    assert again.defects == summary.defects
    assert Contract.objects.count() == 0  # rolled back


def test_the_summary_counts_entries_and_defects() -> None:
    summary = seed.Summary(30, 120, 400, 2000, 4, entries=23456,
                           defects={"ocds-x": frozenset({"late_payment"})})  # fmt: skip
    line = summary.describe()
    assert "2000 contratos, 23 456 asientos" in line
    assert "1999 contratos sin defectos" in line and "late_payment 1" in line
    assert summary.defect_counts()["late_payment"] == 1
