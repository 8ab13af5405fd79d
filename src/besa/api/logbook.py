"""Contracts and their logbook over JSON: list, current state, entries, OCDS record, append.

Every read starts from ``Contract.objects.visible_to(request.user)``, so a contract outside
the caller's scope is indistinguishable from one that does not exist (404). Writing goes
through ``besa.logbook.append.append``, which enforces ``writable_by`` itself: a contract the
caller may read but not write (an oversight body's) answers 403.
"""

from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, HeaderEx, P, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator, AwareDatetime

from besa.accesslog import record as accesslog
from besa.accesslog.models import What
from besa.api.filters import ContractFilters, EntryFilters, QueryText
from besa.api.pagination import Page
from besa.api.schemas import ERRORS, ErrorOut
from besa.exceptions import NotFound
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.kinds.fields import control_character
from besa.logbook.models import ContractState, Entry, iso
from besa.ocds.publish import contract_record
from besa.registry.models import Contract, ContractQuerySet

router = Router(tags=["contracts"])
#: Entries across contracts (``/api/entries``): what a system synchronises from.
entries_router = Router(tags=["entries"])

#: The column's width (``Entry.idempotency_key``); longer keys are rejected before any write.
IDEMPOTENCY_KEY_MAX = 200


def _key_text(key: str) -> str:
    if control_character(key, line_breaks=False) is not None:
        raise ValueError("carácter de control no permitido / control character not allowed")
    return key


#: An idempotency key as a client sends it: printable, at most ``IDEMPOTENCY_KEY_MAX``.
IdempotencyKey = Annotated[str, AfterValidator(_key_text)]


# --- schemas -------------------------------------------------------------------------------


class EntryIn(Schema):
    """One fact to append. ``payload`` is validated against the schema of ``kind``."""

    kind: str = Field(..., description="Entry kind, e.g. `budget_sufficiency`.")
    payload: dict[str, Any]
    occurred_at: AwareDatetime | None = Field(
        None, description="When it happened in the world; defaults to the time of recording."
    )
    documents: list[dict[str, Any]] = Field(
        default_factory=list, description="Attached documents, each with its SHA-256."
    )
    idempotency_key: IdempotencyKey | None = Field(
        None,
        max_length=IDEMPOTENCY_KEY_MAX,
        description=(
            "Makes retries safe; the `Idempotency-Key` header is used when absent. Private to "
            "the caller's institution; reused with a different request it answers 409."
        ),
    )


_CHAIN_TIME = "UTC ISO-8601 with microseconds, spelled exactly as hashed into the chain."


class EntryOut(Schema):
    """A stored entry, with what its ``hash`` was computed over (so a client can verify it:
    ``hash = sha256(prev_hash + canonical JSON of the entry's hashed form)``, the hashed form
    replacing the hidden values by commitments under ``salt``; docs/verify.md)."""

    id: UUID
    ocid: str
    sequence: int
    kind: str
    occurred_at: str = Field(
        ..., description=_CHAIN_TIME, json_schema_extra={"format": "date-time"}
    )
    recorded_at: str = Field(
        ..., description=_CHAIN_TIME, json_schema_extra={"format": "date-time"}
    )
    actor: dict[str, str]
    payload: dict[str, Any]
    documents: list[dict[str, Any]]
    prev_hash: str
    hash: str
    salt: str = Field(
        "",
        description="Secret of the commitments that stand for the hidden values (the user, "
        "a natural person's RFC, CURP and name) in the hashed form; with it a reader who may "
        "see those values recomputes the hash (docs/verify.md). Never in the open data.",
    )

    # The public id of an entry is its UUID; ``seq`` (the primary key) is an internal order.
    @staticmethod
    def resolve_id(obj: Entry) -> UUID:
        return obj.uuid

    @staticmethod
    def resolve_occurred_at(obj: Entry) -> str:
        return iso(obj.occurred_at)

    @staticmethod
    def resolve_recorded_at(obj: Entry) -> str:
        return iso(obj.recorded_at)


class ContractOut(Schema):
    """A contract as listed: identity, who buys, and where its logbook stands."""

    ocid: str
    number: str
    title: str
    buying_unit: str = Field(..., description="Code of the buying unit (clave de la UC).")
    institution: str = Field(..., description="Code of the institution (siglas o clave).")
    status: str
    last_sequence: int

    @staticmethod
    def resolve_buying_unit(obj: Contract) -> str:
        return obj.buying_unit.code

    @staticmethod
    def resolve_institution(obj: Contract) -> str:
        return obj.buying_unit.institution.code

    @staticmethod
    def resolve_status(obj: Contract) -> str:
        head = _head(obj)
        return head.status if head else "new"

    @staticmethod
    def resolve_last_sequence(obj: Contract) -> int:
        head = _head(obj)
        return head.last_sequence if head else 0


class ContractStateOut(ContractOut):
    """A contract's current state: the listing fields plus the chain head and the snapshot
    folded from its entries."""

    last_hash: str
    snapshot: dict[str, Any]

    @staticmethod
    def resolve_last_hash(obj: Contract) -> str:
        head = _head(obj)
        return head.last_hash if head else ""

    @staticmethod
    def resolve_snapshot(obj: Contract) -> dict[str, Any]:
        head = _head(obj)
        return head.snapshot if head else {}


# --- endpoints -----------------------------------------------------------------------------


@router.get("", response=list[ContractOut], summary="List contracts")
@paginate(Page)
def list_contracts(request: HttpRequest, filters: Query[ContractFilters]) -> Any:
    """Contracts the caller may read, newest signed first, narrowed by the filters."""
    contracts = filters.apply(_visible(request))
    # The ocid breaks ties so that consecutive pages never overlap nor skip a contract.
    return contracts.order_by("-signing_date", "number", "ocid")


@router.get(
    "/{ocid}",
    response={200: ContractStateOut, 404: ErrorOut},
    summary="Current state of a contract",
)
def contract_state(request: HttpRequest, ocid: QueryText) -> Contract:
    """The contract's identity, status, chain head and state snapshot. 404 when the contract
    does not exist or is outside the caller's scope."""
    contract = _visible_contract(request, ocid)
    accesslog.read(request, What.API, contract=contract)
    return contract


@router.get("/{ocid}/ocds", response=dict[str, Any], summary="OCDS record of a contract")
def contract_ocds(request: HttpRequest, ocid: QueryText) -> dict[str, Any]:
    """The contract's OCDS record: its releases, compiled release and versioned release."""
    contract = _visible_contract(request, ocid)
    accesslog.read(request, What.API, contract=contract)
    return contract_record(contract)


@router.get("/{ocid}/entries", response=list[EntryOut], summary="Logbook of a contract")
@paginate(Page)
def list_entries(request: HttpRequest, ocid: QueryText, kind: QueryText | None = None) -> Any:
    """The contract's entries in logbook order (``sequence`` ascending); ``kind`` filters."""
    contract = _visible_contract(request, ocid)
    accesslog.read(request, What.API, contract=contract)
    entries = Entry.objects.filter(contract=contract)
    if kind:
        entries = entries.filter(kind=kind)
    return entries.order_by("sequence")


@entries_router.get("", response=list[EntryOut], summary="Entries across contracts")
@paginate(Page)
def list_all_entries(request: HttpRequest, filters: Query[EntryFilters]) -> Any:
    """Entries of every contract the caller may read, in global logbook order (oldest
    first, so a system can page forward and resume from where it stopped)."""
    visible = Contract.objects.visible_to(request.user).values("pk")
    return filters.apply(Entry.objects.filter(contract__in=visible)).order_by("seq")


@router.post(
    "/{ocid}/entries",
    response={200: EntryOut, 201: EntryOut, 409: ErrorOut, **ERRORS},
    summary="Append an entry to a contract's logbook",
)
def append_entry(
    request: HttpRequest,
    ocid: QueryText,
    entry: EntryIn,
    idempotency_key: HeaderEx[
        IdempotencyKey | None, P(alias="Idempotency-Key", max_length=IDEMPOTENCY_KEY_MAX)
    ] = None,
) -> Status[Entry]:
    """Append one fact and answer 201 with the stored entry. The body's ``payload`` has the
    fields of its ``kind`` (the document lists each kind's body under ``oneOf``).

    Safe to retry: with an idempotency key (in the body, else the ``Idempotency-Key``
    header) a repeated request writes nothing and answers 200 with the entry the first one
    wrote; the same key with a different request answers 409. Keys are private to the
    caller's institution: another institution's keys neither block nor answer this one.
    403 when the caller may read the contract but not write it, 404 when it may not read
    it, 422 naming the field when the payload is rejected (nothing is written), including a
    date outside the jurisdiction's window.
    """
    contract = _visible_contract(request, ocid)
    actor = Actor.of(request.user)
    client_key = entry.idempotency_key or idempotency_key
    key = actor.scoped_key(client_key) if client_key else None
    # Only tells 200 from 201; correctness of the retry is append()'s. Two copies of one
    # request racing each other may both see 201, and both still get the same single entry.
    replayed = bool(key) and Entry.objects.filter(idempotency_key=key).exists()
    stored = append(
        contract,
        entry.kind,
        entry.payload,
        actor=actor,
        occurred_at=entry.occurred_at,
        documents=entry.documents,
        idempotency_key=key,
    )
    return Status(200 if replayed else 201, stored)


# --- scoping -------------------------------------------------------------------------------


def _visible(request: HttpRequest) -> ContractQuerySet:
    """The caller's readable contracts, with what the schemas render joined in."""
    return Contract.objects.visible_to(request.user).select_related(
        "buying_unit__institution", "state"
    )


def _visible_contract(request: HttpRequest, ocid: str) -> Contract:
    """The contract ``ocid`` if the caller may read it; ``NotFound`` otherwise, with the same
    answer for "absent" and "out of scope" so the API does not reveal what exists."""
    contract = _visible(request).filter(ocid=ocid).first()
    if contract is None:
        raise NotFound(f"contrato no encontrado / contract not found: {ocid}")
    return contract


def _head(contract: Contract) -> ContractState | None:
    """The contract's chain head, or None for a contract whose logbook was never opened
    (Django's missing-related error is an ``AttributeError``, hence ``getattr``)."""
    head: ContractState | None = getattr(contract, "state", None)
    return head
