"""``besa verify``'s streaming scan reads exactly what the ORM reads: every entry's hashed
fields as ``Entry.as_chain_dict`` spells them, on whichever database the suite runs on; and
the hand-written HMAC of the commitments equals the standard library's."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

import pytest
from tests.logbook.test_append import SUFFICIENCY
from tests.world import World

from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.disclosure import hmac_sha256
from besa.logbook.models import Entry
from besa.logbook.verify import ROW_FIELDS, entry_rows


@pytest.mark.parametrize("key_bytes", [0, 1, 32, 63, 64, 65, 200])
def test_the_commitment_hmac_equals_the_standard_librarys(key_bytes: int) -> None:
    for size in (0, 5, 64, 1000):
        key, message = secrets.token_bytes(key_bytes), secrets.token_bytes(size)
        assert hmac_sha256(key, message) == hmac.new(key, message, hashlib.sha256).hexdigest()


def test_the_streaming_scan_yields_what_the_orm_reads(world: World) -> None:
    operator = Actor.of(world.operator)
    # Instants the chain spells with care: no microseconds, a non-UTC offset, a leap day,
    # the small hours of a year's first day in UTC.
    moments = [
        dt.datetime(2024, 2, 29, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=-6))),
        dt.datetime(2025, 1, 1, 0, 0, 0, 1, tzinfo=dt.UTC),
        dt.datetime(2025, 6, 30, 12, 0, tzinfo=dt.UTC),
    ]
    for n, moment in enumerate(moments):
        append(
            world.contracts["A1"],
            "budget_sufficiency",
            {**SUFFICIENCY, "oficio_number": f'OF/ñ/{n} ünïcödé \u2028 "quoted"'},
            actor=operator,
            occurred_at=moment,
        )
    rows = list(entry_rows(chunk_size=2))
    entries = list(Entry.objects.order_by("contract_id", "sequence"))
    assert len(rows) == len(entries) > len(moments)
    for row, entry in zip(rows, entries, strict=True):
        got = dict(zip(ROW_FIELDS, row, strict=True))
        expected = entry.as_chain_dict()
        assert got["contract_id"] == entry.contract_id
        assert got["salt"] == entry.salt
        assert got["uuid"] == expected["id"]
        for name in ("ocid", "sequence", "kind", "occurred_at", "recorded_at", "actor",
                     "payload", "documents", "prev_hash", "hash"):  # fmt: skip
            assert got[name] == expected[name], name
