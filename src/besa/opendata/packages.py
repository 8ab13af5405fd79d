"""OCDS release and record packages of a selection, streamed item by item.

Same mapping as ``besa.ocds.publish`` (one release per entry; a record per contract with its
compiled and versioned releases), with the selection's cut-off on recording applied to the
entries, so that a dump "as of" a day holds the releases of that day and before only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import IO, Any

import orjson
from django.db.models import QuerySet
from django.utils import timezone

from besa.jurisdiction import from_env
from besa.logbook.models import Entry
from besa.ocds import mapping
from besa.registry.models import Contract

CHUNK = 200


def package_chunks(
    contracts: QuerySet[Contract],
    *,
    records: bool,
    recorded_before: dt.datetime | None = None,
    uri: str = "",
    published: dt.datetime | None = None,
    counter: list[int] | None = None,
) -> Iterator[bytes]:
    """The package as byte chunks: the package metadata, then one release or record at a
    time. ``counter`` (a one-item list), when given, ends holding the number of items."""
    jurisdiction = from_env()
    key = "records" if records else "releases"
    build = mapping.record_package if records else mapping.release_package
    meta = build(
        [],
        published_date=(published or timezone.now()).isoformat(timespec="seconds"),
        publisher_name=jurisdiction.name,
        uri=uri or f"https://besa.example/{jurisdiction.code}/ocds/{key}.json",
    )
    del meta[key]
    yield orjson.dumps(meta)[:-1] + b',"' + key.encode() + b'":['
    count = 0
    for item in _items(contracts, records, recorded_before, jurisdiction.zone):
        yield (b"," if count else b"") + orjson.dumps(item)
        count += 1
    yield b"]}"
    if counter is not None:
        counter[:] = [count]


def write(out: IO[bytes], contracts: QuerySet[Contract], **options: Any) -> int:
    """Write a package (see ``package_chunks``) to ``out``; returns the number of items."""
    counter = [0]
    for chunk in package_chunks(contracts, counter=counter, **options):
        out.write(chunk)
    return counter[0]


def _items(
    contracts: QuerySet[Contract], records: bool, recorded_before: dt.datetime | None, zone: Any
) -> Iterator[dict[str, Any]]:
    for contract in contracts.only("pk", "ocid").order_by("ocid").iterator(chunk_size=CHUNK):
        entries = Entry.objects.filter(contract_id=contract.pk)
        if recorded_before is not None:
            entries = entries.filter(recorded_at__lt=recorded_before)
        chain = [e.as_chain_dict() for e in entries.order_by("sequence")]
        if not chain:
            continue
        releases = mapping.releases(chain, zone=zone)
        if records:
            yield mapping.record(contract.ocid, releases)
        else:
            yield from releases
