"""A contract's verifiable record: every entry in its public (hashed) form, its hash, and a
Merkle inclusion proof against a published signed checkpoint.

Anyone can check it with the standalone verifier (``besa.logbook.verify_record``, standard
library only) against their own copy of the published checkpoints, and the deployment with
``besa verify --record FILE``. What the record holds for each entry:

- ``content``: the entry's hashed form (``besa.logbook.disclosure``): personal data (the user
  who appended it, an individual's RFC, CURP and name) is a salted commitment, so the hash can
  be recomputed while nothing personal is disclosed. Entries from before commitments have no
  public hashed form: their ``content`` is null (``content_withheld`` says why) and only their
  hash and its proof are given;
- ``hash``, ``prev_hash``, ``seq`` (global order), ``sequence`` and ``id``;
- ``proof``: the inclusion proof in the checkpoint covering it (``besa.logbook.proofs``), or
  null with ``coverage`` "not yet covered by a checkpoint" for entries newer than the last
  checkpoint (the worker makes one every few minutes).

Checkpoints and keys are the published ones (``besa.opendata.checkpoints``): the keys are the
deployment's trusted keys, never a key read from a checkpoint row. The record always lists the
newest checkpoint, so a verifier can tell that an entry without a proof is indeed newer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from besa.jurisdiction import from_env
from besa.logbook import proofs, signing
from besa.logbook.chain import HASHED_FIELDS
from besa.logbook.disclosure import hashed_form
from besa.logbook.models import Checkpoint, iso
from besa.logbook.verify_record import FORMAT, NOT_COVERED
from besa.registry.models import Contract

#: Why an entry from before commitments comes without its content.
WITHHELD_CONTENT = (
    "recorded before personal data was hashed as commitments: its content cannot be published "
    "without personal data, so only its hash and inclusion proof are given"
)


def build(
    contract: Contract, now: dt.datetime | None = None, verifier_url: str = ""
) -> dict[str, Any]:
    """The verifiable record of ``contract`` (a JSON-ready dict; see the module docstring)."""
    entries = list(contract.entries.order_by("sequence"))
    proven = proofs.proofs_for([(e.seq, e.hash) for e in entries])
    numbers = {int(str(p["checkpoint"])) for p in proven.values()}
    newest = Checkpoint.objects.order_by("-number").first()
    if newest is not None:
        numbers.add(newest.number)
    checkpoints = [c.as_published() for c in Checkpoint.objects.filter(number__in=numbers)]
    keys = (
        [{"key": k.hex, "until_checkpoint": k.until} for k in signing.trusted_keys()]
        if checkpoints
        else []
    )
    listed = []
    for e in entries:
        item: dict[str, Any] = {
            "sequence": e.sequence,
            "id": str(e.uuid),
            "seq": e.seq,
            "kind": e.kind,
            "hash": e.hash,
            "prev_hash": e.prev_hash,
        }
        if e.salt:
            form = hashed_form(e.as_chain_dict(), e.salt)
            item["content"] = {k: form[k] for k in HASHED_FIELDS}
        else:
            item["content"] = None
            item["content_withheld"] = WITHHELD_CONTENT
        proof = proven.get(e.seq)
        item["proof"] = proof
        item["coverage"] = f"checkpoint {proof['checkpoint']}" if proof else NOT_COVERED
        listed.append(item)
    return {
        "format": FORMAT,
        "ocid": contract.ocid,
        "jurisdiction": from_env().code,
        "generated_at": iso(now or timezone.now()),
        "how_to_verify": (
            "python3 verify_record.py THIS_FILE --checkpoints checkpoints.json "
            f"(verifier: {verifier_url or 'besa/logbook/verify_record.py'}; checkpoints: "
            "/api/opendata/checkpoints.json; see docs/verify.md)"
        ),
        "public_keys": keys,
        "checkpoints": checkpoints,
        "not_yet_covered": sum(1 for item in listed if item["proof"] is None),
        "entries": listed,
    }
