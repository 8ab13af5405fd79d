"""besa verify: intact history exits 0; an edit or a deletion behind the application's back
exits 1 naming the entry. Runs on whichever database the suite runs on (SQLite and PostgreSQL
in CI)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import connection
from tests.logbook.test_append import SUFFICIENCY
from tests.world import World

from besa.logbook import triggers
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.checkpoints import make_checkpoint
from besa.logbook.models import Checkpoint, Entry
from besa.logbook.verify import verify


@pytest.fixture
def history(world: World) -> World:
    operator = Actor.of(world.operator)
    for n in range(3):
        append(
            world.contracts["A1"],
            "budget_sufficiency",
            {**SUFFICIENCY, "oficio_number": f"OF/{n}"},
            actor=operator,
        )
    return world


def _run_verify(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        call_command("verify")
    except SystemExit as exit_:
        return int(exit_.code or 0), capsys.readouterr().err
    return 0, capsys.readouterr().out


def _sql(statement: str, params: list[object]) -> None:
    triggers.drop(connection)  # an insider with database rights…
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
    triggers.create(connection)  # …who covers their tracks


def test_an_intact_logbook_verifies(history: World, capsys: pytest.CaptureFixture[str]) -> None:
    make_checkpoint()
    code, out = _run_verify(capsys)
    assert code == 0
    assert "intact: 7 entries in 4 contracts, 1 checkpoints" in out


def test_one_edited_byte_of_one_payload_is_found_and_named(
    history: World, capsys: pytest.CaptureFixture[str]
) -> None:
    target = Entry.objects.get(contract=history.contracts["A1"], sequence=3)
    text = json.dumps(target.payload)
    edited = text.replace("OF/1", "OF/7")
    assert len(edited) == len(text) and edited != text
    _sql("UPDATE logbook_entry SET payload = %s WHERE seq = %s", [edited, target.seq])
    code, err = _run_verify(capsys)
    assert code == 1
    assert f"{target.ocid} #3" in err and "edited" in err


def test_a_deleted_entry_is_found_and_named(
    history: World, capsys: pytest.CaptureFixture[str]
) -> None:
    target = Entry.objects.get(contract=history.contracts["A1"], sequence=2)
    _sql("DELETE FROM logbook_entry WHERE seq = %s", [target.seq])
    code, err = _run_verify(capsys)
    assert code == 1
    assert f"{target.ocid} #2: entry missing" in err


def test_deleting_the_last_entry_is_found_through_the_chain_head(history: World) -> None:
    target = Entry.objects.get(contract=history.contracts["A1"], sequence=4)
    _sql("DELETE FROM logbook_entry WHERE seq = %s", [target.seq])
    report = verify()
    assert not report.intact
    assert report.breaks[0].ocid == target.ocid and report.breaks[0].sequence == 4


def test_rewriting_an_entry_and_its_hash_is_caught_by_the_checkpoint(history: World) -> None:
    make_checkpoint()
    target = Entry.objects.get(contract=history.contracts["A2"], sequence=1)
    # A careful insider recomputes the edited entry's hash (it is the chain head's last entry,
    # so nothing downstream breaks) and the head too; only the signed checkpoint still knows.
    from besa.logbook.chain import entry_hash

    edited = target.as_chain_dict()
    edited["payload"] = {**edited["payload"], "home_currency": "USD"}
    new_hash = entry_hash(edited["prev_hash"], edited, target.salt)
    _sql(
        "UPDATE logbook_entry SET payload = %s, hash = %s WHERE seq = %s",
        [json.dumps(edited["payload"]), new_hash, target.seq],
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE logbook_contractstate SET last_hash = %s WHERE contract_id = %s",
            [
                new_hash,
                target.contract_id.hex if connection.vendor == "sqlite" else target.contract_id,
            ],
        )
    report = verify()
    assert [b.describe() for b in report.breaks] == [
        "checkpoint 1: Merkle root differs from the stored entries"
    ]


def test_a_forged_checkpoint_signature_is_refused(history: World) -> None:
    checkpoint = make_checkpoint()
    assert checkpoint is not None
    _sql(
        "UPDATE logbook_checkpoint SET signature = %s WHERE number = %s",
        ["00" * 64, checkpoint.number],
    )
    report = verify()
    assert [b.describe() for b in report.breaks] == [
        "checkpoint 1: signature is not valid for any trusted checkpoint key (the row names "
        f"key {checkpoint.public_key[:16]}…)",
        "checkpoint 1: differs from its published copy in signature",
    ]


def test_checkpoints_chain_and_cover_only_new_entries(history: World) -> None:
    first = make_checkpoint()
    assert make_checkpoint() is None
    append(
        history.contracts["B1"], "budget_sufficiency", SUFFICIENCY, actor=Actor.of(history.admin)
    )
    second = make_checkpoint()
    assert first is not None and second is not None
    assert (second.first_seq, second.entry_count) == (first.last_seq + 1, 1)
    assert second.previous_root == first.merkle_root
    assert Checkpoint.objects.count() == 2 and verify().intact
