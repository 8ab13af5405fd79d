"""append(): the single writer — chain, projection, idempotency, scope, all or nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.utils import DatabaseError
from tests.world import World

from besa.exceptions import InvalidInput, PermissionDenied
from besa.logbook import state, triggers
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.chain import GENESIS
from besa.logbook.models import ContractState, Entry

SUFFICIENCY = {
    "oficio_number": "DGPyP/0456/2025",
    "date": "2025-06-01",
    "amount": "20000000.00",
    "fiscal_year": 2025,
    "budget_key": "2025-12-610-2-1-01-00-001-25301-1-1-09",
}


def test_registering_a_contract_opens_its_chain_with_the_registration_entry(world: World) -> None:
    contract = world.contracts["A1"]
    (entry,) = Entry.objects.filter(contract=contract)
    assert (entry.sequence, entry.kind, entry.prev_hash) == (1, "registration", GENESIS)
    assert entry.payload["buyer"]["institution_rfc"] == "EKU9003173C9"
    head = ContractState.objects.get(contract=contract)
    assert (head.last_sequence, head.last_hash) == (1, entry.hash)


def test_each_append_links_to_the_previous_entry_and_updates_the_projection(world: World) -> None:
    contract = world.contracts["A1"]
    first = Entry.objects.get(contract=contract)
    entry = append(contract, "budget_sufficiency", SUFFICIENCY, actor=Actor.of(world.operator))
    assert (entry.sequence, entry.prev_hash) == (2, first.hash)
    head = ContractState.objects.get(contract=contract)
    assert head.last_hash == entry.hash
    entries = [e.as_chain_dict() for e in Entry.objects.filter(contract=contract)]
    assert head.snapshot == state.fold(entries)


def test_a_retried_append_with_the_same_key_writes_one_entry(world: World) -> None:
    contract = world.contracts["A1"]
    actor = Actor.of(world.operator)
    first = append(contract, "budget_sufficiency", SUFFICIENCY, actor=actor, idempotency_key="k1")
    again = append(contract, "budget_sufficiency", SUFFICIENCY, actor=actor, idempotency_key="k1")
    assert again.pk == first.pk
    assert Entry.objects.filter(contract=contract).count() == 2
    with pytest.raises(InvalidInput) as err:
        append(
            world.contracts["A2"],
            "budget_sufficiency",
            SUFFICIENCY,
            actor=Actor.of(world.admin),
            idempotency_key="k1",
        )
    assert err.value.field == "idempotency_key"


@pytest.mark.parametrize("persona", ["operator", "oversight"])
def test_nobody_appends_outside_its_write_scope(world: World, persona: str) -> None:
    target = world.contracts["A2"] if persona == "operator" else world.contracts["A1"]
    with pytest.raises(PermissionDenied):
        append(target, "budget_sufficiency", SUFFICIENCY, actor=Actor.of(getattr(world, persona)))
    assert Entry.objects.filter(contract=target).count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**SUFFICIENCY, "amount": "0"}, "payload.amount"),
        ({**SUFFICIENCY, "amount": "-100.00"}, "payload.amount"),
        ({**SUFFICIENCY, "surprise": 1}, "payload.surprise"),
    ],
)
def test_a_bad_payload_names_the_field_and_writes_nothing(
    world: World, payload: dict[str, object], field: str
) -> None:
    contract = world.contracts["A1"]
    before = ContractState.objects.get(contract=contract)
    with pytest.raises(InvalidInput) as err:
        append(contract, "budget_sufficiency", payload, actor=Actor.of(world.operator))
    assert err.value.field == field
    assert Entry.objects.filter(contract=contract).count() == 1
    after = ContractState.objects.get(contract=contract)
    assert (after.last_sequence, after.snapshot) == (before.last_sequence, before.snapshot)


def test_an_unknown_kind_is_refused(world: World) -> None:
    with pytest.raises(InvalidInput) as err:
        append(world.contracts["A1"], "bribe", {}, actor=Actor.of(world.operator))
    assert err.value.field == "kind"


@pytest.mark.parametrize(
    "statement", ["UPDATE logbook_entry SET kind = 'x'", "DELETE FROM logbook_entry"]
)
def test_the_database_refuses_to_update_or_delete_entries(world: World, statement: str) -> None:
    triggers.create(connection)
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute(statement)
