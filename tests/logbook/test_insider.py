"""An insider with full database access rewrites history consistently inside the database:
``besa verify`` still names what broke, because the checkpoints are checked against the
deployment's trusted key and against their published copy outside the database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection
from tests.logbook.test_append import SUFFICIENCY
from tests.world import World

from besa.exceptions import ConfigurationError
from besa.logbook import publication, triggers
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.chain import GENESIS, entry_hash
from besa.logbook.checkpoints import make_checkpoint
from besa.logbook.merkle import EMPTY_ROOT, merkle_root
from besa.logbook.models import Checkpoint, ContractState, Entry
from besa.logbook.verify import Report, verify


@contextmanager
def insider() -> Iterator[None]:
    """Database rights: the triggers are dropped for the rewrite and put back afterwards, so
    that nothing but the history itself shows the change."""
    triggers.drop(connection)
    yield
    triggers.create(connection)


def _sufficiencies(world: World, unit: str, count: int) -> None:
    for n in range(count):
        append(
            world.contracts[unit],
            "budget_sufficiency",
            {**SUFFICIENCY, "oficio_number": f"OF/{unit}/{n}"},
            actor=Actor.of(world.operator if unit == "A1" else world.admin),
        )


def _sql(statement: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _pk(value: object) -> object:
    return value.hex if connection.vendor == "sqlite" else value  # type: ignore[attr-defined]


def _rechain(contract_id: object) -> None:
    """Recompute every hash of one contract's chain from its stored content, as an insider
    who edited an entry would, and point the chain head at the new last hash."""
    previous = GENESIS
    for entry in Entry.objects.filter(contract_id=contract_id).order_by("sequence"):
        as_dict = entry.as_chain_dict()
        as_dict["prev_hash"] = previous
        new_hash = entry_hash(previous, as_dict, entry.salt)
        _sql(
            "UPDATE logbook_entry SET prev_hash = %s, hash = %s WHERE seq = %s",
            [previous, new_hash, entry.seq],
        )
        previous = new_hash
    _sql(
        "UPDATE logbook_contractstate SET last_hash = %s WHERE contract_id = %s",
        [previous, _pk(contract_id)],
    )


def _resign_every_checkpoint_with(key: Ed25519PrivateKey) -> None:
    """Delete the checkpoints and make them again over the edited entries, signed with the
    insider's own key (stored in the rows, as the real key is)."""
    rows = list(Checkpoint.objects.order_by("number"))
    _sql("DELETE FROM logbook_checkpoint", [])
    previous = EMPTY_ROOT
    public = key.public_key().public_bytes_raw().hex()
    for row in rows:
        hashes = Entry.objects.filter(seq__gte=row.first_seq, seq__lte=row.last_seq)
        row.merkle_root = merkle_root(hashes.order_by("seq").values_list("hash", flat=True))
        row.previous_root, row.public_key = previous, public
        row.signature = key.sign(row.message()).hex()
        row.save(force_insert=True)
        previous = row.merkle_root


def _describe(report: Report) -> list[str]:
    return [b.describe() for b in report.breaks]


def test_an_untouched_logbook_verifies_against_its_published_checkpoints(world: World) -> None:
    _sufficiencies(world, "A1", 2)
    make_checkpoint()
    _sufficiencies(world, "B1", 1)
    make_checkpoint()
    report = verify()
    assert report.intact, _describe(report)
    assert (report.checkpoints, report.published) == (2, 2)


def test_a_payload_edited_rechained_and_resigned_with_another_key_is_found(
    world: World,
) -> None:
    _sufficiencies(world, "A1", 3)
    make_checkpoint()
    target = Entry.objects.get(contract=world.contracts["A1"], sequence=3)
    edited = {**target.payload, "amount": "1.00"}
    with insider():
        _sql(
            "UPDATE logbook_entry SET payload = %s WHERE seq = %s", [json.dumps(edited), target.seq]
        )
        _rechain(target.contract_id)
        _resign_every_checkpoint_with(Ed25519PrivateKey.generate())

    breaks = _describe(verify())
    # The chain itself is consistent again: only the key and the published copy tell.
    assert not any(b.startswith(target.ocid) for b in breaks)
    assert breaks[0].startswith("checkpoint 1: signature is not valid for any trusted")
    assert "checkpoint 1: differs from its published copy in merkle_root, signature" in breaks


def test_the_last_entries_deleted_with_their_checkpoint_are_found(world: World) -> None:
    _sufficiencies(world, "A1", 1)
    make_checkpoint()
    _sufficiencies(world, "A1", 2)
    second = make_checkpoint()
    assert second is not None
    # Delete the last two entries and the checkpoint that covers them; rewind the head.
    with insider():
        _sql("DELETE FROM logbook_checkpoint WHERE number = %s", [second.number])
        _sql("DELETE FROM logbook_entry WHERE seq >= %s", [second.first_seq])
        last = Entry.objects.filter(contract=world.contracts["A1"]).order_by("-sequence")[0]
        _sql(
            "UPDATE logbook_contractstate SET last_sequence = %s, last_hash = %s "
            "WHERE contract_id = %s",
            [last.sequence, last.hash, _pk(last.contract_id)],
        )

    breaks = _describe(verify())
    assert breaks == [
        f"checkpoint 2: is published (entries {second.first_seq}–{second.last_seq}, "
        f"{second.as_published()['created_at']}) but missing from the database, and 2 of its "
        "2 entries are gone or altered: a deleted checkpoint or a database restored from an "
        "older copy"
    ]


def test_a_middle_checkpoint_deleted_is_found(world: World) -> None:
    for unit in ("A1", "A2", "B1"):
        _sufficiencies(world, unit, 1)
        make_checkpoint()
    with insider():
        _sql("DELETE FROM logbook_checkpoint WHERE number = 2", [])

    breaks = _describe(verify())
    assert "checkpoint 3: checkpoint 2 is missing from the database" in breaks
    assert "checkpoint 3: does not chain to the previous checkpoint" in breaks
    assert any(b.startswith("checkpoint 2: is published") for b in breaks)


def test_a_published_checkpoint_removed_from_the_copy_is_found(world: World) -> None:
    for unit in ("A1", "A2"):
        _sufficiencies(world, unit, 1)
        make_checkpoint()
    log = publication.configured()
    assert isinstance(log, publication.DirectoryLog)
    (log.path / f"{1:012d}.json").unlink()

    breaks = _describe(verify())
    assert any("published checkpoint 1 is missing from the published copy" in b for b in breaks)
    assert any(b.startswith("checkpoint 1: is not in the published copy") for b in breaks)


def test_besa_refuses_to_sign_a_checkpoint_with_a_key_the_deployment_does_not_trust(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sufficiencies(world, "A1", 1)
    # The deployment trusts only another key: what the local key signs is not trusted.
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    monkeypatch.setenv("BESA_CHECKPOINT_PUBLIC_KEY", other)
    with pytest.raises(ConfigurationError, match="BESA_CHECKPOINT_PUBLIC_KEY"):
        make_checkpoint()
    assert not Checkpoint.objects.exists()


def test_a_retired_key_is_trusted_only_for_the_checkpoints_it_signed(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sufficiencies(world, "A1", 1)
    first = make_checkpoint()
    assert first is not None
    retired = first.public_key
    new_key = Ed25519PrivateKey.generate()
    new_public = new_key.public_key().public_bytes_raw().hex()
    monkeypatch.setenv("BESA_CHECKPOINT_PUBLIC_KEY", f"{new_public},{retired}@1")
    assert verify().intact  # checkpoint 1 was signed by the key retired after it
    # The retired key signs a checkpoint 2 (a leaked old key): refused.
    _sufficiencies(world, "A2", 1)
    monkeypatch.delenv("BESA_CHECKPOINT_PUBLIC_KEY")
    second = make_checkpoint()
    assert second is not None
    monkeypatch.setenv("BESA_CHECKPOINT_PUBLIC_KEY", f"{new_public},{retired}@1")
    breaks = _describe(verify())
    assert breaks[0].startswith("checkpoint 2: signature is not valid for any trusted")


def test_an_entry_appended_after_a_checkpoint_does_not_break_verification(
    world: World,
) -> None:
    _sufficiencies(world, "A1", 1)
    make_checkpoint()
    _sufficiencies(world, "A1", 1)  # not checkpointed yet: the chain covers it
    assert verify().intact
    assert ContractState.objects.get(contract=world.contracts["A1"]).last_sequence == 3
