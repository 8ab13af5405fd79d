"""Filing, following and deciding citizen reports: the only functions that write them.

- ``file``: a citizen's report about a public contract, anonymous or identified, with
  documents; returns the follow-up code, shown once.
- ``look_up``: the report a follow-up code names (for its status page).
- ``accept`` / ``dismiss``: the competent oversight body's decision, taken once.

Every function raises before writing anything: ``InvalidInput`` naming the field,
``DocumentRefused`` (the document policy), ``RateLimited`` (``besa.complaints.limits``),
``PermissionDenied`` or ``NotFound`` (out of scope looks the same as missing).

Decisions are not logbook entries. The contract's logbook is the buying unit's record of
the contract's facts, published on the portal as it is appended; an entry saying "a report
about this contract was accepted into a case" would tell the people under review that an
audit is coming (information reserved while it may obstruct verification), and the
oversight role never writes a contract's logbook (``Contract.objects.writable_by``). The
decision is kept on the report (who, when, the case, the public reason), taken once with a
conditional UPDATE; the case it opens is recorded by ``besa.audits``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from besa.audits.cases import open_case
from besa.audits.models import AuditCase, Source
from besa.complaints import code as codes
from besa.complaints import limits
from besa.complaints.models import Complaint, ComplaintState
from besa.documents import policy, store
from besa.exceptions import InvalidInput, NotFound, PermissionDenied
from besa.portal.search import public_contracts
from besa.registry.models import Contract

#: Bounds of the report's text, in characters.
MIN_TEXT = 30
MAX_TEXT = 10_000
#: Files one report may carry, and the largest of them (or the document limit if lower).
MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_NAME = 200
MAX_REFERENCE = 100
MAX_REASON = 4_000
#: Control characters a text may not hold (all of C0 but tab and line breaks, and DEL):
#: PostgreSQL refuses NUL, and none of them means anything in a report.
_CONTROLS = dict.fromkeys([*(c for c in range(0x20) if c not in (9, 10, 13)), 0x7F])


def _text(value: str) -> str:
    """Typed text without control characters or surrounding blanks; line breaks are kept."""
    return value.translate(_CONTROLS).strip()


@dataclass(frozen=True)
class Upload:
    """A file as received: the name the citizen's computer gave it and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Filed:
    """A report just filed, and its follow-up code (the only time the code exists in clear)."""

    complaint: Complaint
    code: str


def file_bytes_limit() -> int:
    """The largest file a report may carry: ``MAX_FILE_BYTES`` or the document limit, the
    lower."""
    return min(MAX_FILE_BYTES, store.max_bytes())


def file(
    contract: Contract,
    *,
    text: str,
    anonymous: bool,
    name: str = "",
    email: str = "",
    uploads: list[Upload] | tuple[Upload, ...] = (),
    address: str,
    now: dt.datetime | None = None,
) -> Filed:
    """File a report about ``contract`` (a public one) from the client ``address``.

    Anonymous: ``name`` and ``email`` are ignored and nothing identifying is stored.
    Identified: both are required. Checks, in order and before writing anything, the text,
    the identity, each file (``besa.documents.policy``: size, type by content, never an
    executable) and then the limits; the counters, the files and the report are written in
    one transaction. Returns the report and its follow-up code.
    """
    now = now or timezone.now()
    if not public_contracts().filter(pk=contract.pk).exists():
        raise NotFound(str(contract.pk))
    text = _text(text)
    if len(text) < MIN_TEXT:
        raise InvalidInput(
            "text",
            _("Describa los hechos en al menos %(n)d caracteres: qué pasó, cuándo y dónde.")
            % {"n": MIN_TEXT},
        )
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            "text",
            _("El texto pasa de %(n)d caracteres: resúmalo y adjunte el detalle como documento.")
            % {"n": MAX_TEXT},
        )
    name, email = (_text(name), _text(email)) if not anonymous else ("", "")
    if not anonymous:
        if not name:
            raise InvalidInput(
                "name", _("Escriba su nombre, o elija presentar la denuncia anónima.")
            )
        if len(name) > MAX_NAME:
            raise InvalidInput("name", _("El nombre pasa de %(n)d caracteres.") % {"n": MAX_NAME})
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(
                "email", _("Escriba un correo como nombre@ejemplo.mx para que puedan contactarle.")
            ) from None
    if len(uploads) > MAX_FILES:
        raise InvalidInput(
            "documents",
            _("Adjunte como máximo %(n)d archivos; únalos en un PDF o un ZIP.") % {"n": MAX_FILES},
        )
    limit = file_bytes_limit()
    for upload in uploads:
        policy.check(upload.name, upload.data, max_bytes=limit, allowed=store.allowed_types())
    follow_up = codes.new_code()
    with transaction.atomic():
        limits.take(f"a:{limits.address_key(address)}", limits.per_address(), now)
        limits.take(f"c:{contract.pk}", limits.per_contract(), now)
        documents = [store.store_bytes(u.data, u.name, limit=limit) for u in uploads]
        complaint = Complaint.objects.create(
            contract=contract,
            institution_id=contract.buying_unit.institution_id,
            code_digest=codes.digest(follow_up),
            text=text,
            documents=documents,
            anonymous=anonymous,
            reporter_name=name,
            reporter_email=email,
            filed_at=now,
        )
        limits.forget_before(now - 2 * limits.DAY)
    return Filed(complaint, follow_up)


def look_up(typed_code: str, *, address: str, now: dt.datetime | None = None) -> Complaint | None:
    """The report ``typed_code`` names, or None when none does. ``InvalidInput`` (field
    ``code``) when it cannot be a code; ``RateLimited`` after too many look-ups from
    ``address``."""
    now = now or timezone.now()
    if codes.normalise(typed_code) is None:
        raise InvalidInput(
            "code",
            _("El código tiene 16 letras y números, como 7KQ2-M9XD-4RTB-W3HN: revíselo."),
        )
    with transaction.atomic():
        limits.take(f"s:{limits.address_key(address)}", limits.lookups(), now)
    return (
        Complaint.objects.select_related("contract", "institution")
        .filter(code_digest=codes.digest(typed_code))
        .first()
    )


def may_decide(user: Any) -> bool:
    """Oversight users (in their scope) and the central administrator decide reports."""
    return bool(user.is_authenticated and user.is_overseer)


def accept(
    user: Any,
    complaint_id: int,
    *,
    case_reference: str = "",
    public_reason: str = "",
    now: dt.datetime | None = None,
) -> Complaint:
    """Accept a waiting report into an audit case: a new case opened from it
    (``besa.audits.cases.open_case``, source "complaint"), or, when ``case_reference`` names
    one, an existing case that covers the report's contract and that ``user`` may read. The case and
    the decision are written in one transaction: if the report was decided meanwhile, or the
    case cannot be opened, nothing is written.

    The case's source reference is the report's folio (``DEN-000042``), never its follow-up
    code (the reporter's secret, kept only as a hash), and its stated reason names the folio
    only: audit steps are read by the audited institution, which must not learn the reporter's
    words from them.
    """
    case_reference = _text(case_reference)
    if len(case_reference) > MAX_REFERENCE:
        raise InvalidInput(
            "case_reference",
            _("El número de expediente pasa de %(n)d caracteres.") % {"n": MAX_REFERENCE},
        )
    public_reason = _reason(public_reason, required=False)
    with transaction.atomic():
        complaint = _waiting(user, complaint_id)
        if case_reference:
            case = (
                AuditCase.objects.visible_to(user)
                .filter(number=case_reference, contracts=complaint.contract)
                .first()
            )
            if case is None:
                raise InvalidInput(
                    "case_reference",
                    _(
                        "No hay un expediente %(n)s a su cargo sobre este contrato: déjelo en "
                        "blanco para abrir uno nuevo."
                    )
                    % {"n": case_reference},
                )
        else:
            case = open_case(
                opened_by=user,
                institution=complaint.institution,
                contracts=[complaint.contract],
                source=Source.COMPLAINT,
                source_reference=complaint.folio,
                title=_("Denuncia ciudadana %(folio)s") % {"folio": complaint.folio},
                reason=_("Denuncia ciudadana %(folio)s aceptada para auditoría.")
                % {"folio": complaint.folio},
                now=now,
            )
        return _record(
            complaint,
            user,
            ComplaintState.ACCEPTED,
            case_reference=case.number,
            public_reason=public_reason,
            now=now,
        )


def dismiss(
    user: Any, complaint_id: int, *, reason: str, now: dt.datetime | None = None
) -> Complaint:
    """Dismiss a waiting report; ``reason`` is required and the reporter reads it."""
    public_reason = _reason(reason, required=True)
    with transaction.atomic():
        complaint = _waiting(user, complaint_id)
        return _record(
            complaint,
            user,
            ComplaintState.DISMISSED,
            case_reference="",
            public_reason=public_reason,
            now=now,
        )


def _reason(reason: str, *, required: bool) -> str:
    reason = _text(reason)
    if required and not reason:
        raise InvalidInput(
            "public_reason",
            _("Escriba el motivo: quien denunció lo leerá con su código de seguimiento."),
        )
    if len(reason) > MAX_REASON:
        raise InvalidInput(
            "public_reason", _("El motivo pasa de %(n)d caracteres.") % {"n": MAX_REASON}
        )
    return reason


def _waiting(user: Any, complaint_id: int) -> Complaint:
    """The report ``user`` may decide, locked until the transaction ends; ``PermissionDenied``
    for a role that decides none, ``NotFound`` out of scope, ``InvalidInput`` (``state``) when
    it was decided already."""
    if not may_decide(user):
        raise PermissionDenied(user.get_username())
    complaint = (
        Complaint.objects.visible_to(user)
        .select_related("contract", "institution")
        .select_for_update(of=("self",))
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None:
        raise NotFound(str(complaint_id))
    if complaint.state != ComplaintState.RECEIVED:
        raise InvalidInput("state", _("Esta denuncia ya fue decidida; recargue la página."))
    return complaint


def _record(
    complaint: Complaint,
    user: Any,
    state: str,
    *,
    case_reference: str,
    public_reason: str,
    now: dt.datetime | None,
) -> Complaint:
    """Write the decision on a report ``_waiting`` returned. Conditional on the state as a
    second guard: of two people deciding at once, the second finds it decided."""
    changed = Complaint.objects.filter(pk=complaint.pk, state=ComplaintState.RECEIVED).update(
        state=state,
        case_reference=case_reference,
        public_reason=public_reason,
        decided_by=user,
        decided_at=now or timezone.now(),
    )
    if not changed:
        raise InvalidInput("state", _("Esta denuncia ya fue decidida; recargue la página."))
    complaint.refresh_from_db()
    return complaint
