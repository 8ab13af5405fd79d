"""The signed checkpoints as open data: what anyone needs to hold the logbook to its past.

Published in the API (``/api/opendata/checkpoints.json``) and in the daily dump
(``checkpoints.json``). The keys are the deployment's trusted keys (``BESA_CHECKPOINT_PUBLIC_KEY``
or the public half of the signing key), never a key read from the database.
"""

from __future__ import annotations

from typing import Any

from besa.logbook import signing
from besa.logbook.models import Checkpoint


def published_checkpoints(up_to: Any = None) -> dict[str, Any]:
    """``{"public_keys": [...], "checkpoints": [...]}``; ``up_to`` (a datetime) keeps the
    checkpoints created before it. Keys are listed only when there is a checkpoint."""
    rows = Checkpoint.objects.order_by("number")
    if up_to is not None:
        rows = rows.filter(created_at__lt=up_to)
    listed = [c.as_published() for c in rows.iterator()]
    keys = (
        [{"key": k.hex, "until_checkpoint": k.until} for k in signing.trusted_keys()]
        if listed
        else []
    )
    return {"algorithm": "Ed25519", "public_keys": keys, "checkpoints": listed}
