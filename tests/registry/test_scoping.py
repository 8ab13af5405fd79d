"""The role × scope matrix: who reads and who writes which contracts."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from tests.world import World, make_contract

from besa.exceptions import PermissionDenied
from besa.registry.models import BuyingUnit, Contract, Role, User

# persona -> (contracts it reads, contracts it writes), by buying unit code
MATRIX = {
    "admin": ({"A1", "A2", "B1", "B2"}, {"A1", "A2", "B1", "B2"}),
    "coordinator": ({"A1", "A2"}, {"A1", "A2"}),
    "operator": ({"A1"}, {"A1"}),
    "oversight": ({"A1", "A2"}, set()),
}


def _codes(qs: object) -> set[str]:
    return {c.buying_unit.code for c in qs}  # type: ignore[attr-defined]


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_each_role_reads_exactly_its_scope(world: World, persona: str) -> None:
    user = getattr(world, persona)
    assert _codes(Contract.objects.visible_to(user)) == MATRIX[persona][0]


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_each_role_writes_exactly_its_scope(world: World, persona: str) -> None:
    user = getattr(world, persona)
    assert _codes(Contract.objects.writable_by(user)) == MATRIX[persona][1]
    assert {u.code for u in BuyingUnit.objects.writable_by(user)} == MATRIX[persona][1]


@pytest.mark.parametrize("persona", sorted(MATRIX))
@pytest.mark.parametrize("unit", ["A1", "A2", "B1", "B2"])
def test_registering_outside_scope_is_refused_and_writes_nothing(
    world: World, persona: str, unit: str
) -> None:
    user = getattr(world, persona)
    before = Contract.objects.count()
    if unit in MATRIX[persona][1]:
        make_contract(user, world.units[unit], world.supplier)
        assert Contract.objects.count() == before + 1
    else:
        with pytest.raises(PermissionDenied):
            make_contract(user, world.units[unit], world.supplier)
        assert Contract.objects.count() == before


def test_a_citizen_reads_the_public_register_but_writes_nothing(world: World) -> None:
    citizen = AnonymousUser()
    assert _codes(Contract.objects.visible_to(citizen)) == {"A1", "A2", "B1", "B2"}
    assert not Contract.objects.writable_by(citizen).exists()
    assert not BuyingUnit.objects.writable_by(citizen).exists()


def test_a_deactivated_operator_loses_all_access(world: World) -> None:
    world.operator.is_active = False
    world.operator.save()
    assert not Contract.objects.visible_to(world.operator).exists()
    assert not Contract.objects.writable_by(world.operator).exists()


def test_a_coordinator_without_an_institution_sees_nothing(world: World) -> None:
    orphan = User.objects.create_user("orphan", password="x", role=Role.COORDINATOR)
    assert not Contract.objects.visible_to(orphan).exists()
