"""What the public contract page shows: facts, the public timeline, the alerts the
jurisdiction publishes, and why documents are not listed.

Withheld everywhere (the same decision as the OCDS output and the open data,
``besa.registry.validation.is_natural_person_rfc``): an individual's RFC, CURP and name,
shown as ``[reservado]``; the user name of whoever recorded an entry (the public sees the
institution and the role); supplier contact data. Internal notes are never read: alert
events (justifications, oversight's reasons) and alerts' summaries and evidence are oversight
work, so a published alert shows only its rule, severity, state and dates.

Documents: only those whose latest statement in the logbook marks them public
(``besa.documents.publicity``: a decision recorded, hashed and chained by the contract's
buying unit or institution); a document may hold personal data (an ID, a signature), so an
unmarked one is never listed nor served. Every entry's document fingerprints remain in its
verifiable record, where they are hashed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from besa.alerts import words
from besa.alerts.models import Alert, AlertState
from besa.documents import access, publicity, store
from besa.jurisdiction import from_env
from besa.logbook.disclosure import hidden_paths
from besa.logbook.models import Checkpoint, ContractState, Entry
from besa.opendata import disclosure
from besa.registry.models import Contract, Role
from besa.registry.validation import WITHHELD
from besa.web.story import documents_of
from besa.web.words import Line, describe_entry

#: Alert states the portal may publish when the jurisdiction says ``resolved_or_referred``:
#: decided by oversight (solventada, no solventada) or referred to investigation.
PUBLISHABLE_ALERT_STATES = (AlertState.RESOLVED, AlertState.NOT_RESOLVED, AlertState.REFERRED)


def public_payload(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry's payload with every personal value replaced by ``[reservado]`` (the paths
    ``besa.logbook.disclosure.hidden_paths`` names, which the hash commits to)."""
    payload: Any = dict(entry.get("payload") or {})
    for path in hidden_paths(entry):
        if path[0] != "payload":
            continue
        if len(path) == 1:
            return {}  # an audit step: nothing of it is public (``hidden_paths``)
        payload = _replace(payload, path[1:])
    return dict(payload)


def _replace(node: Any, path: tuple[str, ...]) -> Any:
    if not path:
        return WITHHELD
    head, rest = path[0], path[1:]
    if isinstance(node, list):
        copy = list(node)
        copy[int(head)] = _replace(node[int(head)], rest)
        return copy
    updated = dict(node)
    updated[head] = _replace(node[head], rest)
    return updated


@dataclass
class PublicEntry:
    """One entry as the public sees it."""

    sequence: int
    uuid: str
    kind: str
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    institution: str
    role: str
    lines: list[Line]
    hash: str
    documents: int
    corrects: int | None = None
    corrected_by: list[int] = field(default_factory=list)
    #: The signed checkpoint that covers the entry (None: newer than the last one).
    checkpoint: int | None = None


def timeline(entries: Iterable[Entry], currency: str) -> list[PublicEntry]:
    """The public timeline, in logbook order."""
    listed = list(entries)
    by_id = {str(e.uuid): e for e in listed}
    rows: list[PublicEntry] = []
    for e in listed:
        payload = public_payload({"kind": e.kind, "payload": e.payload})
        corrects = None
        if e.kind == "rectification":
            target = by_id.get(str(payload.get("corrects")))
            if target is not None:
                payload["corrected_kind"] = target.kind
                corrects = target.sequence
        role = str(e.actor.get("role", "")) if isinstance(e.actor, dict) else ""
        rows.append(
            PublicEntry(
                sequence=e.sequence,
                uuid=str(e.uuid),
                kind=e.kind,
                occurred_at=e.occurred_at,
                recorded_at=e.recorded_at,
                institution=str(e.actor.get("institution", ""))
                if isinstance(e.actor, dict)
                else "",
                role=str(Role(role).label) if role in Role.values else "",
                lines=describe_entry(e.kind, payload, currency),
                hash=e.hash,
                documents=len(e.documents or []),
                corrects=corrects,
            )
        )
    by_sequence = {r.sequence: r for r in rows}
    for r in rows:
        if r.corrects is not None:
            by_sequence[r.corrects].corrected_by.append(r.sequence)
    if listed:
        seqs = {e.sequence: e.seq for e in listed}
        covering = list(
            Checkpoint.objects.filter(
                last_seq__gte=min(seqs.values()), first_seq__lte=max(seqs.values())
            ).values_list("number", "first_seq", "last_seq")
        )
        for r in rows:
            seq = seqs[r.sequence]
            r.checkpoint = next((n for n, a, b in covering if a <= seq <= b), None)
    return rows


def suppliers(contract: Contract) -> list[tuple[str, str]]:
    """(RFC, name) of each supplier, an individual's both ``[reservado]``."""
    return [
        disclosure.supplier(rfc, name)
        for rfc, name in contract.suppliers.order_by("rfc").values_list("rfc", "name")
    ]


@dataclass(frozen=True)
class PublicAlert:
    rule: str
    rule_name: str
    severity: str
    state: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None


def alerts_published() -> bool:
    """Whether this deployment publishes decided or referred alerts (jurisdiction file,
    ``[portal] public_alerts``; default ``none``)."""
    return from_env().portal.public_alerts == "resolved_or_referred"


def alerts(contract: Contract, language: str) -> list[PublicAlert]:
    """The alerts of ``contract`` the public may see: none unless the jurisdiction publishes
    them, and then only those decided or referred, without summary, evidence or notes."""
    if not alerts_published():
        return []
    rows: QuerySet[Alert] = contract.alerts.filter(state__in=PUBLISHABLE_ALERT_STATES)
    found = []
    for a in rows.order_by("opened_at").only("rule", "severity", "state", "opened_at", "closed_at"):
        found.append(
            PublicAlert(
                rule=a.rule,
                rule_name=words.rule_name(a.rule, language),
                severity=words.severity_name(a.severity, language),
                state=words.state_name(a.state, language),
                opened_at=a.opened_at,
                closed_at=a.closed_at,
            )
        )
    return found


@dataclass(frozen=True)
class PublicDocument:
    """A document the portal lists: its title, file name, media type and SHA-256, and
    whether BESA keeps the file (imported documents carry only their fingerprint)."""

    title: str
    file_name: str
    media_type: str
    sha256: str
    kept: bool


def documents(contract: Contract) -> list[PublicDocument]:
    """The documents of ``contract`` marked public, newest first, one per file."""
    snapshot = (
        ContractState.objects.filter(contract=contract).values_list("snapshot", flat=True).first()
    )
    shown = publicity.published(documents_of(snapshot or {}))
    kept = store.kept(d["sha256"] for d in shown)
    return [
        PublicDocument(
            title=str(d.get("title") or d.get("file_name") or d["sha256"][:16]),
            file_name=str(d.get("file_name") or ""),
            media_type=str(d.get("media_type") or ""),
            sha256=d["sha256"],
            kept=d["sha256"] in kept,
        )
        for d in shown
    ]


def public_document(contract: Contract, sha256: str) -> dict[str, Any] | None:
    """The document of ``contract`` with this SHA-256 if its latest statement publishes it;
    ``None`` otherwise (unknown, never marked, or withdrawn: the same answer for all)."""
    found = access.find(contract, sha256)
    return found if found is not None and publicity.is_public(found) else None
