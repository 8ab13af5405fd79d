"""Generate and load the demo data set.

Deterministic: the same ``seed`` and ``today`` give the same rows, ids included (except the
logbook entries' own ids), and the same logbook payloads. Dates are spread over the three years
before ``today`` (default: the current date) so that the demo always shows contracts in every
stage of their life.

Each contract's logbook is opened with its registration and then given its execution history
(``besa.demo.histories``), written through ``append()`` only. About a quarter of the contracts
carry one or two seeded defects (bad practices of domain.md §4); which ones is kept out of the
logbook, in ``Summary.defects`` and ``defects_for(seed, today)``, for the alert tests. The
list defects (``histories.LISTED``) are not in the logbook either: they are ``Listing`` rows
for the contract's supplier, which is then that supplier's only contract, so that no clean
contract shares its listing.
"""

from __future__ import annotations

import datetime as dt
import random
import string
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from types import MappingProxyType
from typing import Any

from django.db import transaction
from django.utils import timezone
from stdnum.exceptions import ValidationError
from stdnum.mx import rfc as stdnum_rfc

from besa.demo import audits as demo_audits
from besa.demo import histories, names, networks
from besa.jurisdiction import Jurisdiction, from_env
from besa.logbook.actor import Actor
from besa.logbook.append import append, hooks_suspended, open_chain
from besa.logbook.kinds.audit import AUDIT_KINDS
from besa.logbook.models import ContractState, Entry
from besa.registration import SupplierShare, registration_payload
from besa.registry.models import (
    BuyingUnit,
    Character,
    Contract,
    ContractSupplier,
    Institution,
    Listing,
    ListName,
    ProcedureType,
    Role,
    Supplier,
    User,
)
from besa.registry.terms import check_contract
from besa.risk.models import Shareholder
from besa.signin.devices import give_demo_device

DEFAULT_SEED = 2021_10_01  #: BESA's launch date, as a memorable default

N_UNITS_PER_INSTITUTION = 4
N_SUPPLIERS = 400
N_CONTRACTS = 2000


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    password: str


DEMO_ACCOUNTS = (
    DemoAccount("admin", "admin", "besa-admin-2026"),
    DemoAccount("coordinator", "coordinador", "besa-coord-2026"),
    DemoAccount("operator", "operador", "besa-oper-2026"),
    DemoAccount("oversight", "fiscalizador", "besa-oic-2026"),
)


@dataclass(frozen=True)
class Summary:
    institutions: int
    buying_units: int
    suppliers: int
    contracts: int
    users: int
    #: Logbook entries written (registrations included).
    entries: int = 0
    #: The seeded defects of each contract that has any, by ocid (``histories.DEFECTS``).
    defects: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({}), compare=False
    )

    def defect_counts(self) -> dict[str, int]:
        """How many contracts carry each defect, in ``histories.DEFECTS`` order."""
        counts = dict.fromkeys(histories.DEFECTS, 0)
        for found in self.defects.values():
            for defect in found:
                counts[defect] += 1
        return counts

    def describe(self) -> str:
        line = (
            f"{self.institutions} instituciones, {self.buying_units} unidades compradoras, "
            f"{self.suppliers} proveedores, {self.contracts} contratos, "
            f"{_count(self.entries)} asientos, {self.users} usuarios"
        )
        if not self.defects:
            return line
        seeded = ", ".join(f"{name} {n}" for name, n in self.defect_counts().items() if n)
        clean = self.contracts - len(self.defects)
        return f"{line}\n{clean} contratos sin defectos; defectos sembrados: {seeded}"


def _count(n: int) -> str:
    """Spanish style: thousands grouped with a space from five digits on (2000, 23 456)."""
    return str(n) if n < 10_000 else f"{n:,}".replace(",", " ")


def is_empty() -> bool:
    """True when no institution exists yet (the demo never overwrites real data)."""
    return not Institution.objects.exists()


class _Ids:
    """Deterministic UUIDs drawn from the seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


def make_rfc(rng: random.Random, letters: int, founded: dt.date) -> str:
    """A valid RFC with a correct check digit (3 letters: company, 4: person)."""
    while True:
        stem = "".join(rng.choice(string.ascii_uppercase) for _ in range(letters))
        stem += founded.strftime("%y%m%d")
        stem += rng.choice("123456789ABCDEFGHIJKLMNPQRSTUV")  # SAT's homoclave alphabet
        stem += rng.choice("123456789ABCDEFGHIJKLMNPQRSTUVWXYZ")
        rfc = stem + stdnum_rfc.calc_check_digit(stem)
        try:
            # Skips the rare stems SAT never issues (e.g. banned words in personal RFCs).
            return stdnum_rfc.validate(rfc, validate_check_digits=True)
        except ValidationError:
            continue


@dataclass
class _Demo:
    """The demo data set, generated in memory (no database)."""

    institutions: list[Institution]
    units: list[BuyingUnit]
    suppliers: list[Supplier]
    contracts: list[Contract]
    links: list[ContractSupplier]
    #: The registration payload of each contract (without its opening evidence), by index.
    registrations: list[dict[str, Any]]
    #: The seeded defects of each contract, by index.
    defects: list[frozenset[str]]
    #: The list entries of the list defects' suppliers (unsaved).
    listings: list[Listing] = field(default_factory=list)
    #: Shareholders linking some suppliers (``besa.demo.networks``), written after them.
    shareholders: list[networks.PlantedShareholder] = field(default_factory=list)

    def defects_by_ocid(self) -> Mapping[str, frozenset[str]]:
        pairs = zip(self.contracts, self.defects, strict=True)
        return MappingProxyType({c.ocid: found for c, found in pairs if found})


def _generate(seed: int, today: dt.date, n_contracts: int, jurisdiction: Jurisdiction) -> _Demo:
    """Everything ``load`` writes, built in memory from the seed (no database access)."""
    rng = random.Random(seed)
    new_id = _Ids(rng)
    institutions = [
        Institution(
            id=new_id(),
            code=code,
            name=name,
            level=level,
            kind=kind,
            rfc=make_rfc(rng, 3, dt.date(1943 + i, 1 + i % 12, 1 + i % 28)),
        )
        for i, (code, name, level, kind) in enumerate(names.INSTITUTIONS)
    ]
    units = []
    for inst in institutions:
        for k in range(N_UNITS_PER_INSTITUTION):
            kind = names.UNIT_KINDS[(k + len(inst.code)) % len(names.UNIT_KINDS)]
            units.append(
                BuyingUnit(
                    id=new_id(),
                    institution=inst,
                    code=f"{inst.code}-{k + 1:02d}",
                    name=f"{kind} — {inst.code}",
                    head=_person(rng),
                )
            )
    suppliers = _suppliers(rng, new_id, today)
    shareholders = networks.plant(seed, suppliers)
    contracts, links = _contracts(rng, new_id, today, units, suppliers, jurisdiction, n_contracts)
    shares: dict[uuid.UUID, list[SupplierShare]] = {}
    for link in links:
        shares.setdefault(link.contract.pk, []).append(
            SupplierShare(link.supplier, Decimal(link.share_percent))
        )
    registrations = [
        registration_payload(c, shares[c.pk], jurisdiction.currency) for c in contracts
    ]

    # A listing names a supplier, not a contract: the list defects go to a supplier's only
    # contract, so that no other (clean) contract of that supplier is listed too.
    contracts_of: dict[uuid.UUID, int] = {}
    for link in links:
        contracts_of[link.supplier.pk] = contracts_of.get(link.supplier.pk, 0) + 1
    alone = {link.contract.pk for link in links if contracts_of[link.supplier.pk] == 1}

    def eligible(index: int, defects: frozenset[str]) -> bool:
        registration = registrations[index]
        regime = jurisdiction.regime(registration["contract"]["regime"])
        if defects & histories.LISTED and contracts[index].pk not in alone:
            return False
        return histories.fits(defects, registration, today, regime=regime)

    # A generator of its own, so that choosing defects never shifts the registry's data.
    defects = histories.assign_defects(
        random.Random(f"besa-demo-defects:{seed}"), len(contracts), eligible=eligible
    )
    for index, contract in enumerate(contracts):
        if defects[index]:
            # The defects that bend the registered terms: the contract's row must agree.
            completed = histories.complete_registration(
                _history_rng(seed, contract), registrations[index], defects=defects[index]
            )["contract"]
            award = completed.get("award_date")
            contract.award_date = dt.date.fromisoformat(award) if award else None
            contract.exception_justification = completed.get("exception_justification", "")
            registrations[index] = registration_payload(
                contract, shares[contract.pk], jurisdiction.currency
            )
    listings = _listings(seed, today, contracts, links, defects)
    return _Demo(
        institutions,
        units,
        suppliers,
        contracts,
        links,
        registrations,
        defects,
        listings,
        shareholders,
    )


def _history_rng(seed: int, contract: Contract) -> random.Random:
    """One generator per contract: a contract's history never depends on another's."""
    return random.Random(f"besa-demo-history:{seed}:{contract.ocid}")


def _listings(
    seed: int,
    today: dt.date,
    contracts: list[Contract],
    links: list[ContractSupplier],
    defects: list[frozenset[str]],
) -> list[Listing]:
    """The list entries of the list defects: the supplier on the SAT 69-B list (presunto or
    definitivo) published 10–200 days before signing (A16), or debarred from 30–400 days
    before the award until 90–900 days after signing (A18). The snapshot is of ``today``."""
    rng = random.Random(f"besa-demo-listings:{seed}")
    supplier_of = {link.contract.pk: link.supplier for link in links}
    listings = []
    for contract, found in zip(contracts, defects, strict=True):
        supplier = supplier_of[contract.pk]
        signed = contract.signing_date
        if "listed_69b" in found:
            published = signed - dt.timedelta(days=rng.randint(10, 200))
            listings.append(
                Listing(
                    rfc=supplier.rfc, name=supplier.name, list=ListName.SAT_69B,
                    status=rng.choice(("presunto", "definitivo")), published=published,
                    source="demo", snapshot_date=today,
                )
            )  # fmt: skip
        if "sanctioned_supplier" in found:
            awarded = contract.award_date or signed
            start = awarded - dt.timedelta(days=rng.randint(30, 400))
            listings.append(
                Listing(
                    rfc=supplier.rfc, name=supplier.name, list=ListName.SANCTIONS,
                    status="inhabilitado", published=start, start=start,
                    end=signed + dt.timedelta(days=rng.randint(90, 900)),
                    source="demo", snapshot_date=today,
                )
            )  # fmt: skip
    return listings


def load(
    *, seed: int = DEFAULT_SEED, today: dt.date | None = None, n_contracts: int = N_CONTRACTS
) -> Summary:
    """Write the demo data set into an empty database, in one transaction.

    ``n_contracts`` makes a smaller demo (for tests); the default is ``N_CONTRACTS``.
    """
    today = today or timezone.localdate()
    jurisdiction = from_env()
    demo = _generate(seed, today, n_contracts, jurisdiction)

    with transaction.atomic():
        Institution.objects.bulk_create(demo.institutions)
        BuyingUnit.objects.bulk_create(demo.units)
        Supplier.objects.bulk_create(demo.suppliers)
        Shareholder.objects.bulk_create(
            Shareholder(supplier=s.supplier, name=s.name, share_percent=s.share_percent)
            for s in demo.shareholders
        )
        for contract in demo.contracts:
            check_contract(contract)  # the demo obeys the same rules as users do
        Contract.objects.bulk_create(demo.contracts, batch_size=500)
        ContractSupplier.objects.bulk_create(demo.links, batch_size=1000)
        Listing.objects.bulk_create(demo.listings)  # before the alerts are evaluated
        with hooks_suspended():
            entries = _write_logbooks(demo, seed, today, jurisdiction)
        _evaluate_alerts(today, jurisdiction)
        users = _users(demo.institutions, demo.units)
        touched = demo_audits.seed(
            today,
            jurisdiction,
            oversight=User.objects.get(role=Role.OVERSIGHT),
            operator=User.objects.get(role=Role.OPERATOR),
        )
        _evaluate_alerts(today, jurisdiction, ocids=touched)
        entries += Entry.objects.filter(kind__in=AUDIT_KINDS).count()

    return Summary(
        len(demo.institutions),
        len(demo.units),
        len(demo.suppliers),
        len(demo.contracts),
        users,
        entries=entries,
        defects=demo.defects_by_ocid(),
    )


def defects_for(
    seed: int = DEFAULT_SEED, today: dt.date | None = None, *, n_contracts: int = N_CONTRACTS
) -> Mapping[str, frozenset[str]]:
    """The seeded defects of each demo contract that has any, by ocid, exactly as
    ``load(seed=seed, today=today, n_contracts=n_contracts)`` seeds them. Recomputed in
    memory: reads and writes no database."""
    today = today or timezone.localdate()
    return _generate(seed, today, n_contracts, from_env()).defects_by_ocid()


@dataclass(frozen=True)
class PlannedContract:
    """One demo contract as ``load`` writes its logbook (see ``plans_for``)."""

    ocid: str
    registration: dict[str, Any]
    defects: frozenset[str]
    entries: list[histories.PlannedEntry]
    #: When the registration entry is recorded (noon of ``histories.registration_day``).
    registered_at: dt.datetime
    #: The list entries of the contract's suppliers, by RFC, as rules read them
    #: (``besa.rules.Context.screening``).
    screening: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def plans_for(
    seed: int = DEFAULT_SEED, today: dt.date | None = None, *, n_contracts: int = N_CONTRACTS
) -> list[PlannedContract]:
    """Every demo contract's registration payload, defects and planned history, exactly as
    ``load`` appends them, computed in memory (no database): for tests and inspection."""
    today = today or timezone.localdate()
    jurisdiction = from_env()
    demo = _generate(seed, today, n_contracts, jurisdiction)
    listed: dict[str, list[dict[str, Any]]] = {}
    for listing in demo.listings:
        listed.setdefault(listing.rfc, []).append(listing.as_screening())
    planned = []
    for index, contract in enumerate(demo.contracts):
        registration, entries, registered_at = _plan(demo, index, seed, today, jurisdiction)
        rfcs = {s["rfc"] for s in registration["suppliers"]}
        screening = {rfc: listed[rfc] for rfc in sorted(rfcs & set(listed))}
        planned.append(
            PlannedContract(
                contract.ocid, registration, demo.defects[index], entries, registered_at,
                screening,
            )
        )  # fmt: skip
    return planned


def _plan(
    demo: _Demo, index: int, seed: int, today: dt.date, jurisdiction: Jurisdiction
) -> tuple[dict[str, Any], list[histories.PlannedEntry], dt.datetime]:
    """The completed registration payload, the planned history of contract ``index`` and
    when its registration is recorded."""
    contract = demo.contracts[index]
    defects = demo.defects[index]
    rng = _history_rng(seed, contract)
    registration = histories.complete_registration(rng, demo.registrations[index], defects=defects)
    entries = histories.plan_history(
        rng,
        registration,
        today,
        regime=jurisdiction.regime(contract.regime),
        calendar=jurisdiction.calendar,
        beneficiary=jurisdiction.guarantee_beneficiary,
        zone=jurisdiction.zone,
        defects=defects,
    )
    registered = histories.registration_day(
        random.Random(f"besa-demo-registered:{seed}:{contract.ocid}"),
        registration,
        today,
        regime=jurisdiction.regime(contract.regime),
        calendar=jurisdiction.calendar,
        defects=defects,
    )
    return registration, entries, dt.datetime.combine(registered, dt.time(12), jurisdiction.zone)


#: An entry is recorded this long after it happened (the duty is "in real time")…
_RECORDING_DELAY = dt.timedelta(hours=2)
#: …and at least this long after the contract's previous entry.
_TICK = dt.timedelta(seconds=1)


def _write_logbooks(demo: _Demo, seed: int, today: dt.date, jurisdiction: Jurisdiction) -> int:
    """Open each contract's logbook with its registration entry and append its history,
    through ``append()`` only. Returns the number of entries written."""
    actor = Actor.system("demo")
    zone = jurisdiction.zone
    real_now = timezone.now()
    written = 0
    for index, contract in enumerate(demo.contracts):
        registration, planned, recorded = _plan(demo, index, seed, today, jurisdiction)
        open_chain(contract)
        signed = contract.signing_date
        # Noon of the signing day, or later for ``late_registration``: every later entry is
        # recorded after it.
        append(
            contract,
            "registration",
            registration,
            actor=actor,
            occurred_at=dt.datetime.combine(signed, dt.time(10), tzinfo=zone),
            now=min(recorded, real_now),
        )
        appended = 0
        for entry in planned:
            if entry.earliest_recording(dt.timedelta(0)) > real_now:
                # A fact planned after the real present (a corrected invoice due next week)
                # has not happened yet: the logbook refuses it, and so does the rest of the
                # contract's history, which may build on it.
                break
            # Recorded a little after it happened, in logbook order, and never later than the
            # real present (a demo may be generated for a "today" in the future).
            recorded = max(entry.earliest_recording(_RECORDING_DELAY), recorded + _TICK)
            append(
                contract,
                entry.kind,
                entry.payload,
                actor=actor,
                occurred_at=entry.occurred_at,
                documents=entry.documents,
                now=min(recorded, real_now),
            )
            appended += 1
        written += 1 + appended
    return written


def _evaluate_alerts(
    today: dt.date, jurisdiction: Jurisdiction, ocids: list[str] | None = None
) -> None:
    """Run every contract's rules (or those of ``ocids``) once, as of the end of the demo's
    ``today`` (or now, if that is earlier), and store their alerts and next deadlines."""
    from besa.alerts.evaluation import sync

    end_of_day = dt.datetime.combine(today, dt.time(23, 59), tzinfo=jurisdiction.zone)
    moment = min(end_of_day, timezone.now())
    heads = ContractState.objects.order_by("ocid")
    if ocids is not None:
        heads = heads.filter(ocid__in=ocids)
    for head in heads.iterator(chunk_size=200):
        sync(head, moment)
        head.save(update_fields=["next_check_at"])


def _person(rng: random.Random) -> str:
    last1, last2, first = rng.choice(names.PERSON_NAMES)
    return f"{first} {last1} {last2}"


def _suppliers(rng: random.Random, new_id: _Ids, today: dt.date) -> list[Supplier]:
    suppliers: list[Supplier] = []
    seen: set[str] = set()
    for country_name, country in names.FOREIGN_SUPPLIERS:
        suppliers.append(
            Supplier(
                id=new_id(),
                rfc="XEXX010101000",
                name=country_name,
                person_type="moral",
                country=country,
                foreign_tax_id=f"{country}-{rng.randrange(10**8):08d}",
            )
        )
    while len(suppliers) < N_SUPPLIERS:
        physical = rng.random() < 0.1
        founded = today - dt.timedelta(days=rng.randrange(200, 30 * 365))
        rfc = make_rfc(rng, 4 if physical else 3, founded)
        if rfc in seen:
            continue
        seen.add(rfc)
        if physical:
            name = _person(rng)
        else:
            name = (
                f"{rng.choice(names.SUPPLIER_FIRST)} {rng.choice(names.SUPPLIER_SECOND)} "
                f"{rng.choice(names.SUPPLIER_SUFFIX)}"
            )
        n = len(suppliers)
        suppliers.append(
            Supplier(
                id=new_id(),
                rfc=rfc,
                name=name,
                person_type="fisica" if physical else "moral",
                fiscal_address=(
                    f"Calle {rng.choice(names.SUPPLIER_SECOND)} {rng.randrange(1, 999)}, "
                    f"C.P. {rng.randrange(10000, 99999)}"
                ),
                legal_representative=_person(rng),
                email=f"contacto{n}@proveedor{n}.example.mx",
                phone=f"55{rng.randrange(10**8):08d}",
            )
        )
    return suppliers


_PROCEDURES = (
    (ProcedureType.DIRECT_AWARD, 0.55),
    (ProcedureType.INVITATION, 0.12),
    (ProcedureType.OPEN_TENDER, 0.30),
    (ProcedureType.REVERSE_AUCTION, 0.03),
)


def _contracts(
    rng: random.Random,
    new_id: _Ids,
    today: dt.date,
    units: list[BuyingUnit],
    suppliers: list[Supplier],
    jurisdiction: Jurisdiction,
    n_contracts: int = N_CONTRACTS,
) -> tuple[list[Contract], list[ContractSupplier]]:
    contracts: list[Contract] = []
    links: list[ContractSupplier] = []
    procedures = [p for p, _ in _PROCEDURES]
    weights = [w for _, w in _PROCEDURES]
    domestic = [s for s in suppliers if s.rfc != "XEXX010101000"]
    foreign = [s for s in suppliers if s.rfc == "XEXX010101000"]
    threshold = jurisdiction.registration_threshold
    for n in range(n_contracts):
        unit = units[rng.randrange(len(units))]
        signing = today - dt.timedelta(days=rng.randrange(15, 3 * 365))
        regime = jurisdiction.regime_for(signing)
        procedure = rng.choices(procedures, weights)[0]
        if procedure == ProcedureType.REVERSE_AUCTION and regime.code != "LAASSP-2025":
            procedure = ProcedureType.OPEN_TENDER
        award = signing - dt.timedelta(days=rng.randrange(1, 15))
        start = signing + dt.timedelta(days=rng.randrange(0, 10))
        end = start + dt.timedelta(days=rng.choice((90, 180, 270, 365, 540, 730)))
        ctype = rng.choices(("adquisicion", "servicio", "arrendamiento"), (0.55, 0.35, 0.10))[0]
        currency, rate = "MXN", None
        roll = rng.random()
        if roll < 0.05:
            currency, rate = "USD", Decimal(rng.randrange(1650, 2050)) / 100
        elif roll < 0.055:
            currency, rate = "EUR", Decimal(rng.randrange(1850, 2250)) / 100
        amount_mxn = threshold * Decimal(str(round(rng.lognormvariate(0.8, 0.9), 3) + 1))
        amount = (amount_mxn / (rate or 1)).quantize(Decimal("0.01"))
        is_open = rng.random() < 0.25
        contract = Contract(
            id=new_id(),
            number=f"{unit.code}-{signing.year}-{n + 1:05d}",
            procedure_number=_procedure_number(
                ProcedureType(procedure), unit.code, n, signing.year
            ),
            buying_unit=unit,
            title=rng.choice(names.OBJECTS[ctype]),
            contracting_type=ctype,
            procedure_type=procedure,
            character=Character.INTERNATIONAL if currency != "MXN" else Character.NATIONAL,
            legal_basis=_legal_basis(procedure, regime.code),
            exception_justification=(
                "Dictamen de excepción a la licitación pública"
                if procedure in (ProcedureType.DIRECT_AWARD, ProcedureType.INVITATION)
                else ""
            ),
            regime=regime.code,
            award_date=award,
            signing_date=signing,
            start_date=start,
            end_date=end,
            amount=amount,
            vat_amount=(amount * Decimal("0.16")).quantize(Decimal("0.01")),
            currency=currency,
            exchange_rate=rate,
            is_open=is_open,
            min_amount=(amount * Decimal("0.4")).quantize(Decimal("0.01"), ROUND_CEILING)
            if is_open
            else None,
            max_amount=amount if is_open else None,
            multiyear=(end - start).days > 365,
            advance_percent=Decimal(rng.choice((0, 0, 0, 10, 20, 30))),
            guarantee_percent=Decimal(10),
            penalty_rate_percent=Decimal(rng.choice(("0.50", "1.00", "2.00"))),
        )
        contract.ocid = jurisdiction.ocid(str(contract.id))
        contracts.append(contract)
        if currency != "MXN":
            links.append(ContractSupplier(contract=contract, supplier=rng.choice(foreign)))
        elif rng.random() < 0.08:  # joint proposal
            a, b = rng.sample(domestic, 2)
            links.append(ContractSupplier(contract=contract, supplier=a, share_percent=60))
            links.append(ContractSupplier(contract=contract, supplier=b, share_percent=40))
        else:
            # A few suppliers win much more often, as in real markets (and for risk analytics).
            index = min(int(rng.paretovariate(1.2)) - 1, len(domestic) - 1)
            pick = domestic[index] if rng.random() < 0.3 else rng.choice(domestic)
            links.append(ContractSupplier(contract=contract, supplier=pick))
    return contracts, links


def _procedure_number(procedure: ProcedureType, unit_code: str, n: int, year: int) -> str:
    prefix = {
        ProcedureType.DIRECT_AWARD: "AA",
        ProcedureType.INVITATION: "IA",
        ProcedureType.OPEN_TENDER: "LA",
        ProcedureType.REVERSE_AUCTION: "SI",
    }.get(procedure, "XX")
    return f"{prefix}-{unit_code}-E{n + 1}-{year}"


def _legal_basis(procedure: str, regime: str) -> str:
    if procedure == ProcedureType.DIRECT_AWARD:
        return "Art. 41 fr. I LAASSP" if regime == "LAASSP-2000" else "Art. 54 fr. I LAASSP 2025"
    if procedure == ProcedureType.INVITATION:
        return "Art. 42 LAASSP" if regime == "LAASSP-2000" else "Art. 55 LAASSP 2025"
    return "Art. 26 fr. I LAASSP" if regime == "LAASSP-2000" else "Art. 35 LAASSP 2025"


def _users(institutions: list[Institution], units: list[BuyingUnit]) -> int:
    first = institutions[0]
    accounts = {a.role: a for a in DEMO_ACCOUNTS}
    admin = User.objects.create_user(
        accounts["admin"].username,
        password=accounts["admin"].password,
        role=Role.ADMIN,
        is_staff=True,
        is_superuser=True,
        first_name="Administración",
        last_name="Central",
    )
    coordinator = User.objects.create_user(
        accounts["coordinator"].username,
        password=accounts["coordinator"].password,
        role=Role.COORDINATOR,
        institution=first,
        first_name="Coordinación",
        last_name=first.code,
    )
    operator = User.objects.create_user(
        accounts["operator"].username,
        password=accounts["operator"].password,
        role=Role.OPERATOR,
        first_name="Operación",
        last_name=first.code,
    )
    operator.buying_units.set([u for u in units if u.institution_id == first.id][:2])
    oversight = User.objects.create_user(
        accounts["oversight"].username,
        password=accounts["oversight"].password,
        role=Role.OVERSIGHT,
        first_name="Órgano Interno",
        last_name="de Control",
    )
    oversight.oversees.set(institutions[:3])
    # Oversight and administrators need a second factor: the demo's authenticator key is
    # public (README), and `besa demo` shows the current code on the verification page.
    for user in (admin, oversight):
        give_demo_device(user)
    return len([admin, coordinator, operator, oversight])
