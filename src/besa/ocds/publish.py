"""Publishing the logbook as OCDS: releases and records of registered contracts, streamed.

Each entry becomes one release (``besa.ocds.mapping``); a contract's record is its releases
with the compiled and versioned releases merged by ocdsmerge from the vendored schema.
Packages are written item by item, so memory stays flat in the number of contracts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import orjson
from django.db.models import QuerySet
from django.utils import timezone

from besa.jurisdiction import from_env
from besa.logbook.models import Entry
from besa.ocds import mapping
from besa.registry.models import Contract


def contract_releases(contract_id: Any) -> list[dict[str, Any]]:
    """The OCDS releases of one contract, one per logbook entry, in logbook order."""
    entries = [
        e.as_chain_dict()
        for e in Entry.objects.filter(contract_id=contract_id).order_by("sequence")
    ]
    return mapping.releases(entries, zone=from_env().zone)


def contract_record(contract: Contract) -> dict[str, Any]:
    """The OCDS record of one contract (releases, compiledRelease, versionedRelease)."""
    return mapping.record(contract.ocid, contract_releases(contract.pk))


def write_package(
    out: IO[bytes], contracts: QuerySet[Contract], *, records: bool, uri: str = ""
) -> int:
    """Write a release or record package of ``contracts`` to ``out``; returns items written."""
    published = timezone.now().isoformat(timespec="seconds")
    publisher = from_env().name
    base_uri = uri or f"https://besa.example/{from_env().code}/ocds.json"
    empty: dict[str, Any]
    if records:
        empty = mapping.record_package(
            [], published_date=published, publisher_name=publisher, uri=base_uri
        )
        key = "records"
    else:
        empty = mapping.release_package(
            [], published_date=published, publisher_name=publisher, uri=base_uri
        )
        key = "releases"
    meta = {k: v for k, v in empty.items() if k != key}
    head = orjson.dumps(meta)[:-1] + b',"' + key.encode() + b'":['
    out.write(head)
    count = 0
    for item in _items(contracts, records=records):
        out.write((b"," if count else b"") + orjson.dumps(item))
        count += 1
    out.write(b"]}")
    return count


def _items(contracts: QuerySet[Contract], *, records: bool) -> Iterator[dict[str, Any]]:
    for contract in contracts.order_by("ocid").iterator(chunk_size=200):
        if records:
            yield contract_record(contract)
        else:
            yield from contract_releases(contract.pk)
