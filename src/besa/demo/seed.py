"""Generate and load the demo data set.

Deterministic: the same ``seed`` and ``today`` give the same rows, ids included. Dates are
spread over the three years before ``today`` (default: the current date) so that the demo
always shows contracts in every stage of their life.
"""

from __future__ import annotations

import datetime as dt
import random
import string
import uuid
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.exceptions import ValidationError
from stdnum.mx import rfc as stdnum_rfc

from besa.demo import names
from besa.jurisdiction import from_env
from besa.logbook.actor import Actor
from besa.logbook.append import append, open_chain
from besa.registry.models import (
    BuyingUnit,
    Character,
    Contract,
    ContractSupplier,
    Institution,
    ProcedureType,
    Role,
    Supplier,
    User,
)
from besa.registry.registration import SupplierShare, check_contract, registration_payload

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

    def describe(self) -> str:
        return (
            f"{self.institutions} instituciones, {self.buying_units} unidades compradoras, "
            f"{self.suppliers} proveedores, {self.contracts} contratos, {self.users} usuarios"
        )


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


def load(*, seed: int = DEFAULT_SEED, today: dt.date | None = None) -> Summary:
    """Write the demo data set into an empty database, in one transaction."""
    rng = random.Random(seed)
    new_id = _Ids(rng)
    today = today or timezone.localdate()
    jurisdiction = from_env()

    with transaction.atomic():
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
        Institution.objects.bulk_create(institutions)

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
        BuyingUnit.objects.bulk_create(units)

        suppliers = _suppliers(rng, new_id, today)
        Supplier.objects.bulk_create(suppliers)

        contracts, links = _contracts(rng, new_id, today, units, suppliers, jurisdiction)
        for contract in contracts:
            check_contract(contract)  # the demo obeys the same rules as users do
        Contract.objects.bulk_create(contracts, batch_size=500)
        ContractSupplier.objects.bulk_create(links, batch_size=1000)
        _open_logbooks(contracts, links, jurisdiction.currency)

        users = _users(institutions, units)

    return Summary(len(institutions), len(units), len(suppliers), len(contracts), users)


def _open_logbooks(
    contracts: list[Contract], links: list[ContractSupplier], home_currency: str
) -> None:
    """Open each contract's logbook with its registration entry, through ``append()`` only."""
    shares: dict[uuid.UUID, list[SupplierShare]] = {}
    for link in links:
        shares.setdefault(link.contract.pk, []).append(
            SupplierShare(link.supplier, Decimal(link.share_percent))
        )
    actor = Actor.system("demo")
    zone = from_env().zone
    for contract in contracts:
        open_chain(contract)
        append(
            contract,
            "registration",
            registration_payload(contract, shares[contract.pk], home_currency),
            actor=actor,
            occurred_at=dt.datetime.combine(contract.signing_date, dt.time(10), tzinfo=zone),
            now=dt.datetime.combine(contract.signing_date, dt.time(12), tzinfo=zone),
        )


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
    jurisdiction: object,
) -> tuple[list[Contract], list[ContractSupplier]]:
    from besa.jurisdiction import Jurisdiction

    assert isinstance(jurisdiction, Jurisdiction)
    contracts: list[Contract] = []
    links: list[ContractSupplier] = []
    procedures = [p for p, _ in _PROCEDURES]
    weights = [w for _, w in _PROCEDURES]
    domestic = [s for s in suppliers if s.rfc != "XEXX010101000"]
    foreign = [s for s in suppliers if s.rfc == "XEXX010101000"]
    threshold = jurisdiction.registration_threshold
    for n in range(N_CONTRACTS):
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
    return len([admin, coordinator, operator, oversight])
