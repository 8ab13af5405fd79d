"""``append()``: the single writer of the logbook.

In one transaction it validates the payload against the contract's current state, links the
entry to the contract's chain, writes it, folds it into the contract's state projection and
runs the post-append hooks (the alert rules register one), so that everything derived from an
entry exists before the call returns. It is also the only writer of a contract's registry
row after its registration: a registration or a rectification re-projects it
(``besa.logbook.projection``). Appends to one contract are serialised by locking its
state row; appends to different contracts never wait on each other.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from besa.exceptions import Conflict, InvalidInput, InvalidPayload, NotFound, PermissionDenied
from besa.jurisdiction import from_env
from besa.logbook import disclosure, invoice_index, kinds, projection, state
from besa.logbook.actor import Actor
from besa.logbook.chain import GENESIS, entry_hash
from besa.logbook.models import ContractState, Entry, entry_dict, iso
from besa.registry.models import Contract

#: Called inside the append transaction as ``hook(entry, contract_state)``, after the entry is
#: written and the state folded but before the state row is saved (a hook may set
#: ``next_check_at``); a hook that raises rolls the append back. Registered by apps in
#: ``ready()`` (the alerts app does).
Hook = Callable[[Entry, ContractState], None]
_HOOKS: list[Hook] = []
#: Called as ``hook(contract, kind, payload, actor)`` before an entry is validated and
#: written, outside its transaction and before its contract is locked, for facts that must be
#: recorded *before* it (the CFDI status re-check before a payment or closure). A hook may
#: append entries of its own; it runs only for a new entry, never for a replayed idempotent
#: retry, and must not raise for a condition that should not stop the append.
BeforeHook = Callable[[Contract, str, Mapping[str, Any], Actor], None]
_BEFORE_HOOKS: list[BeforeHook] = []


def on_append(hook: Hook) -> Hook:
    """Register ``hook`` to run after every append, in the same transaction."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)
    return hook


def before_append(hook: BeforeHook) -> BeforeHook:
    """Register ``hook`` to run before every new append (see ``BeforeHook``)."""
    if hook not in _BEFORE_HOOKS:
        _BEFORE_HOOKS.append(hook)
    return hook


@contextmanager
def hooks_suspended() -> Iterator[None]:
    """Append without the post-append hooks, for a bulk load of past history in one process
    (the demo seed), which then evaluates each contract once, as of the end of the load.

    Real time matters for facts recorded as they happen; replaying three years of a demo's
    history would otherwise open and close thousands of alerts against the wrong "today".
    Not for request handling: it affects every thread of the process while active. The
    before-append hooks are suspended too (a bulk load must not call the SAT per payment).
    """
    saved, saved_before = list(_HOOKS), list(_BEFORE_HOOKS)
    _HOOKS.clear()
    _BEFORE_HOOKS.clear()
    try:
        yield
    finally:
        _HOOKS[:] = saved
        _BEFORE_HOOKS[:] = saved_before


#: Set inside ``audit_writer()``: the only context in which audit kinds may be appended.
_AUDIT_WRITER: contextvars.ContextVar[bool] = contextvars.ContextVar("audit_writer", default=False)


@contextmanager
def audit_writer() -> Iterator[None]:
    """Appends made inside the block may be audit steps (``kinds.AUDIT_KINDS``), and are not
    checked against the actor's write scope: ``besa.audits`` checks the case's scope itself
    (an oversight body writes no contract fact, but does record its audit on the contract's
    logbook; an operator answers a request). Nowhere else may append these kinds, so an
    audit step cannot be forged from the contract page or the logbook API."""
    token = _AUDIT_WRITER.set(True)
    try:
        yield
    finally:
        _AUDIT_WRITER.reset(token)


def open_chain(contract: Contract) -> ContractState:
    """Create the empty state row (the chain head) of a newly registered contract."""
    return ContractState.objects.create(
        contract=contract,
        ocid=contract.ocid,
        status="new",
        last_sequence=0,
        last_hash=GENESIS,
        snapshot=state.initial_state(contract.ocid),
    )


def append(
    contract: Contract,
    kind: str,
    payload: Mapping[str, Any],
    *,
    actor: Actor,
    occurred_at: dt.datetime | None = None,
    documents: Sequence[Mapping[str, Any]] = (),
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Entry:
    """Append one fact to ``contract``'s logbook and return the stored entry.

    Idempotent on ``idempotency_key``: a retried call with the same key and the same request
    returns the entry the first call wrote and writes nothing; the same key with a different
    request (another contract, kind, payload, ``occurred_at`` or documents) is a ``Conflict``.
    Keys are global: a caller that takes keys from clients scopes them first
    (``Actor.scoped_key``). Raises ``PermissionDenied`` when a person acts outside its write
    scope and ``InvalidPayload``/``InvalidInput`` naming the field for bad data, including a
    date outside the jurisdiction's window (``DateLimits``); then nothing is written. Systems
    (``Actor.system``) are trusted callers such as importers.

    The before-append hooks run first (``before_append``): what they record (a payment's
    CFDI status re-check) stays recorded even if this entry is then refused.
    """
    if kind in kinds.AUDIT_KINDS:
        if not _AUDIT_WRITER.get():
            raise PermissionDenied(
                "los pasos de auditoría se registran desde el caso / "
                "audit steps are recorded from their audit case"
            )
    elif (
        actor.user is not None
        and not Contract.objects.writable_by(actor.user).filter(pk=contract.pk).exists()
    ):
        raise PermissionDenied("el contrato está fuera de su ámbito / contract out of scope")
    request = _Request(contract, kind, payload, occurred_at, documents)
    if idempotency_key:
        existing = _replay(idempotency_key, request)
        if existing is not None:
            return existing
    clean_documents = kinds.validate_documents(list(documents))
    for before in list(_BEFORE_HOOKS):
        before(contract, kind, payload, actor)
    recorded_at = now or timezone.now()
    window = date_window(recorded_at)
    if occurred_at is not None:
        _check_occurred_at(occurred_at, window)
    try:
        with transaction.atomic():
            return _append_locked(
                contract,
                kind,
                payload,
                actor,
                occurred_at or recorded_at,
                recorded_at,
                clean_documents,
                idempotency_key,
                window,
            )
    except IntegrityError:
        # Two retries of one request raced past the replay check: the loser returns the
        # winner's entry. Anything else is a real integrity failure.
        if idempotency_key:
            existing = _replay(idempotency_key, request)
            if existing is not None:
                return existing
        raise


def date_window(recorded_at: dt.datetime) -> kinds.DateWindow:
    """The window of dates an entry recorded at ``recorded_at`` may carry, from the
    jurisdiction's ``[dates]`` (``DateLimits``), counted from the day in its time zone."""
    jurisdiction = from_env()
    limits = jurisdiction.dates
    return kinds.DateWindow.around(
        recorded_at.astimezone(jurisdiction.zone).date(),
        earliest=limits.earliest,
        fact_tolerance_days=limits.fact_tolerance_days,
        horizon_years=limits.schedule_horizon_years,
    )


def _check_occurred_at(occurred_at: dt.datetime, window: kinds.DateWindow) -> None:
    # The day as written (its own offset): converting a year-1 or year-9999 time to another
    # zone could overflow, which is exactly what the window keeps out of the logbook.
    refusal = window.refusal(occurred_at.date(), scheduled=False)
    if refusal is not None:
        raise InvalidInput("occurred_at", refusal)


@dataclass(frozen=True)
class _Request:
    """What an append was asked to write, to tell a retry from a different request."""

    contract: Contract
    kind: str
    payload: Mapping[str, Any]
    occurred_at: dt.datetime | None
    documents: Sequence[Mapping[str, Any]]

    def matches(self, entry: Entry) -> bool:
        """Whether ``entry`` is what this request would have written: same contract and kind,
        the same ``occurred_at`` (or none given, and the entry took its recording time), the
        same documents, and a payload that normalises, against the state the entry was
        appended to, to the stored one."""
        if entry.contract_id != self.contract.pk or entry.kind != self.kind:
            return False
        if self.occurred_at is None:
            if entry.occurred_at != entry.recorded_at:
                return False
        elif entry.occurred_at != self.occurred_at:
            return False
        try:
            if kinds.validate_documents(list(self.documents)) != entry.documents:
                return False
            head = ContractState.objects.get(contract_id=entry.contract_id)
            before = state.state_before(head.snapshot, str(entry.uuid))
            normalised = kinds.validate_payload(self.kind, self.payload, before)
        except (InvalidPayload, KeyError, ContractState.DoesNotExist):
            return False
        return bool(normalised == entry.payload)


def _replay(key: str, request: _Request) -> Entry | None:
    existing = Entry.objects.filter(idempotency_key=key).first()
    if existing is None:
        return None
    if not request.matches(existing):
        raise Conflict(
            "idempotency_key",
            "ya usada para otra solicitud / already used for a different request",
        )
    return existing


def _append_locked(
    contract: Contract,
    kind: str,
    payload: Mapping[str, Any],
    actor: Actor,
    occurred_at: dt.datetime,
    recorded_at: dt.datetime,
    documents: list[dict[str, Any]],
    idempotency_key: str | None,
    window: kinds.DateWindow,
) -> Entry:
    try:
        head = ContractState.objects.select_for_update().get(contract=contract)
    except ContractState.DoesNotExist as exc:
        raise NotFound(f"contract {contract.ocid} has no logbook") from exc
    current = head.snapshot if head.last_sequence else None
    clean_payload = kinds.validate_payload(kind, payload, current, window=window)
    entry = Entry(
        contract=contract,
        ocid=contract.ocid,
        sequence=head.last_sequence + 1,
        kind=kind,
        occurred_at=occurred_at,
        recorded_at=recorded_at,
        actor=actor.as_json(),
        payload=clean_payload,
        documents=documents,
        idempotency_key=idempotency_key,
        prev_hash=head.last_hash,
        salt=disclosure.new_salt(),
    )
    as_dict = entry_dict(
        entry.uuid,
        entry.ocid,
        entry.sequence,
        kind,
        occurred_at,
        recorded_at,
        entry.actor,
        clean_payload,
        documents,
        head.last_hash,
        "",
    )
    entry.hash = as_dict["hash"] = entry_hash(head.last_hash, as_dict, entry.salt)
    entry.save(force_insert=True)

    invoices_before = invoice_index.invoice_uuids(head.snapshot)
    head.snapshot = state.apply(head.snapshot, as_dict)
    if kind in invoice_index.KINDS:
        invoice_index.sync(contract, invoices_before, invoice_index.invoice_uuids(head.snapshot))
    if kind in projection.PROJECTED_KINDS:
        projection.project(contract, head.snapshot)  # the registry row follows the logbook
    head.status = head.snapshot.get("status", head.status)
    head.last_sequence = entry.sequence
    head.last_hash = entry.hash
    head.updated_at = recorded_at
    for hook in _HOOKS:
        hook(entry, head)  # may set head.next_check_at, saved with the rest below
    head.save(
        update_fields=[
            "snapshot",
            "status",
            "last_sequence",
            "last_hash",
            "updated_at",
            "next_check_at",
        ]
    )
    return entry


__all__ = [
    "Actor",
    "append",
    "audit_writer",
    "before_append",
    "date_window",
    "iso",
    "on_append",
    "open_chain",
]
