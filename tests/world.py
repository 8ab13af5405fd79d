"""A small two-institution registry with one persona per role, for tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from besa.registration import SupplierShare, register_contract
from besa.registry.models import BuyingUnit, Contract, Institution, Role, Supplier, User
from besa.registry.suppliers import register_supplier


@dataclass
class World:
    """Two institutions (A, B), two buying units each, one contract per buying unit, and one
    person per role scoped to institution A (the operator to A's first buying unit only)."""

    inst_a: Institution
    inst_b: Institution
    units: dict[str, BuyingUnit]
    contracts: dict[str, Contract]
    admin: User
    coordinator: User
    operator: User
    oversight: User
    supplier: Supplier


def make_contract(
    actor: User, unit: BuyingUnit, supplier: Supplier, **overrides: object
) -> Contract:
    fields: dict[str, object] = dict(
        number=f"C-{unit.code}-{Contract.objects.count() + 1}",
        title="Adquisición de medicamentos",
        contracting_type="adquisicion",
        procedure_type="licitacion_publica",
        award_date=dt.date(2025, 6, 2),
        signing_date=dt.date(2025, 6, 10),
        start_date=dt.date(2025, 6, 11),
        end_date=dt.date(2025, 12, 31),
        amount=Decimal("20000000.00"),
        currency="MXN",
    )
    fields.update(overrides)
    return register_contract(actor, buying_unit=unit, suppliers=[SupplierShare(supplier)], **fields)


def build_world() -> World:
    inst_a = Institution.objects.create(
        code="INSTA", name="Institución A", level="APF", kind="dependencia", rfc="EKU9003173C9"
    )
    inst_b = Institution.objects.create(
        code="INSTB", name="Institución B", level="APF", kind="entidad", rfc="SAT970701NN3"
    )
    units = {
        code: BuyingUnit.objects.create(institution=inst, code=code, name=f"UC {code}")
        for code, inst in (("A1", inst_a), ("A2", inst_a), ("B1", inst_b), ("B2", inst_b))
    }
    admin = User.objects.create_user("admin", password="x", role=Role.ADMIN)
    coordinator = User.objects.create_user(
        "coord", password="x", role=Role.COORDINATOR, institution=inst_a
    )
    operator = User.objects.create_user("oper", password="x", role=Role.OPERATOR)
    operator.buying_units.set([units["A1"]])
    oversight = User.objects.create_user("oic", password="x", role=Role.OVERSIGHT)
    oversight.oversees.set([inst_a])
    supplier = register_supplier(rfc="GODE561231GR8", name="Eduardo González")
    contracts = {code: make_contract(admin, unit, supplier) for code, unit in units.items()}
    return World(
        inst_a, inst_b, units, contracts, admin, coordinator, operator, oversight, supplier
    )
