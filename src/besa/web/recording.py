"""Recording facts from the web: a form per entry kind, a confirmation, a receipt.

Every logbook entry is final (it can be rectified, never undone), so each goes through three
pages: the form (generated from the kind's payload model, ``besa.web.forms``), a
"check your answers" page that says in words what will be recorded and which alerts it will
open or close (``besa.web.preview``), and a receipt with the entry's hash and what it
triggered. The same three pages register a contract (``besa.registering``).

Scope: another institution's contract answers 404 (as if it did not exist); a contract the
user may read but not write answers 403 with a page that says so.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from decimal import InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel

from besa.alerts.models import Alert, AlertState
from besa.documents.store import store
from besa.exceptions import DocumentRefused, InvalidInput, NotFound, PermissionDenied
from besa.jurisdiction import from_env
from besa.logbook import kinds
from besa.logbook.actor import Actor
from besa.logbook.append import append, date_window
from besa.logbook.kinds.payloads import MODELS, Rectification
from besa.logbook.models import Entry
from besa.registering import NOT_YET_STORED, RegistrationRequest, register, with_regime
from besa.registry.models import BuyingUnit, Contract
from besa.rules.facts import base_amount, to_home_currency
from besa.web import forms
from besa.web.documents import refusal_text
from besa.web.labels import KIND_LABELS
from besa.web.preview import consequences, found_in_words, rule_name
from besa.web.templatetags.humanize_besa import money
from besa.web.words import describe, describe_entry

#: The kinds a person records from the contract page (the registration opens the logbook).
#: Audit steps are recorded from their case (``besa.audits``), never from the contract page.
RECORDABLE: tuple[str, ...] = tuple(
    kind for kind in MODELS if kind != "registration" and kind not in kinds.AUDIT_KINDS
)
#: Payload dates that say when the fact happened, most telling first (``occurred_at``).
_WHEN = ("date", "date_received", "signing_date", "checked_on", "issue_date")
#: Form inputs that are not payload fields.
_CONTROL = {"csrfmiddlewaretoken", "step", "token", "attachments_public"}


# --- pages -----------------------------------------------------------------------------------


@login_required
def record_entry(request: HttpRequest, contract_id: str, kind: str) -> HttpResponse:
    """The form, confirmation and writing of one entry of ``kind`` on a contract."""
    contract = _visible_contract(request, contract_id)
    if kind not in RECORDABLE or getattr(contract, "state", None) is None:
        raise Http404(kind)  # an unknown kind, or a contract whose logbook was never opened
    if not Contract.objects.writable_by(request.user).filter(pk=contract.pk).exists():
        return forbidden(request, contract)
    entry_form = _EntryForm(contract, kind, request)
    if request.method != "POST":
        # A link may pre-fill fields by name (the timeline's "Liberar" on a guarantee).
        asked = {k: v for k, v in request.GET.items() if k in entry_form.model.model_fields}
        return entry_form.render_form({**entry_form.initial(), **asked}, {})
    data, step = request.POST, request.POST.get("step", "check")
    actor = Actor.of(request.user)
    key = actor.scoped_key(f"web:{request.POST.get('token') or uuid.uuid4().hex}")
    if step == "confirm":
        # A confirmation sent twice (a double click, a reload) shows the first one's receipt.
        done = Entry.objects.filter(contract=contract, idempotency_key=key).first()
        if done is not None:
            return redirect("entry_receipt", contract_id=contract.pk, entry_id=done.uuid)
    try:
        documents = _documents(request)
    except DocumentRefused as exc:  # the file is not kept: the form again, saying why
        return entry_form.render_form(data, {"attachments": refusal_text(exc)})
    payload, errors = entry_form.read(data, documents)
    if step == "edit" or errors:
        return entry_form.render_form(data, errors, documents=documents)
    now = timezone.now()
    try:
        clean = kinds.validate_payload(
            kind, payload, contract.state.snapshot, window=date_window(now)
        )
        clean_documents = kinds.validate_documents(documents)
    except InvalidInput as exc:
        return entry_form.render_form(data, _one_error(exc), documents=documents)
    occurred_at = _occurred_at(clean)
    if step != "confirm":
        context = {
            **entry_form.context(),
            "lines": describe_entry(kind, entry_form.described(clean), contract.currency),
            "preview": True,
            "consequences": consequences(
                contract,
                kind,
                clean,
                actor=actor,
                documents=clean_documents,
                occurred_at=occurred_at,
                now=now,
            ),
            "documents": clean_documents,
            "carried": _carried(data, documents),
            "token": uuid.uuid4().hex,
        }
        return render(request, "besa/record/confirm.html", context)
    try:
        entry = append(
            contract,
            kind,
            payload,
            actor=actor,
            occurred_at=occurred_at,
            documents=clean_documents,
            idempotency_key=key,
        )
    except PermissionDenied:
        return forbidden(request, contract)
    except InvalidInput as exc:
        return entry_form.render_form(data, _one_error(exc), documents=documents)
    return redirect("entry_receipt", contract_id=contract.pk, entry_id=entry.uuid)


@login_required
def entry_receipt(request: HttpRequest, contract_id: str, entry_id: str) -> HttpResponse:
    """An entry's receipt: what was recorded, its hash, and the alerts it opened or closed."""
    contract = _visible_contract(request, contract_id)
    entry = get_object_or_404(Entry, contract=contract, uuid=entry_id)
    opened = Alert.objects.filter(contract=contract, opened_at=entry.recorded_at)
    closed = Alert.objects.filter(
        contract=contract, closed_at=entry.recorded_at, state=AlertState.CORRECTED
    )
    context = {
        "contract": contract,
        "entry": entry,
        "kind_label": KIND_LABELS.get(entry.kind, entry.kind),
        "lines": describe_entry(entry.kind, entry.payload, contract.currency),
        "opened": [(a, rule_name(a.rule), found_in_words(a.rule, a.evidence)) for a in opened],
        "closed": [(a, rule_name(a.rule)) for a in closed],
    }
    return render(request, "besa/record/receipt.html", context)


@login_required
def register_contract_page(request: HttpRequest) -> HttpResponse:
    """Register a contract: the form, the confirmation (with the registration threshold), and
    the receipt of the registration entry that opens its logbook."""
    units = BuyingUnit.objects.writable_by(request.user).select_related("institution")
    if not units.exists():
        return forbidden(request, None)
    choices = {
        "buying_unit": [(u.code, f"{u.name} ({u.institution.code})") for u in units],
        "contract.regime": [("", _("Según la fecha de firma"))]
        + [(code, code) for code in sorted(from_env().regimes)],
    }
    skip = frozenset(f"contract.{name}" for name in NOT_YET_STORED)
    model = RegistrationRequest

    def form(data: Mapping[str, Any], errors: Mapping[str, str], status: int) -> HttpResponse:
        fields = forms.build(model, data, errors, choices=choices, skip=skip)
        context = {
            "title": _("Registrar un contrato"),
            "fields": fields,
            "errors": _summary(fields, errors),
            "action": reverse("register_contract"),
            "threshold": _threshold(),
        }
        return render(request, "besa/record/form.html", context, status=status)

    if request.method != "POST":
        initial = {"contract.currency": from_env().currency, "suppliers.0.share_percent": "100"}
        return form(initial, {}, 200)
    data, step = request.POST, request.POST.get("step", "check")
    payload = forms.payload_from(model, data, skip=skip)
    errors = forms.errors_from(model, with_regime(payload))
    if step == "edit" or errors:
        return form(data, errors, 422 if errors else 200)
    if step != "confirm":
        context = {
            "title": _("Registrar un contrato"),
            "action": reverse("register_contract"),
            "lines": describe(model, payload, str(payload.get("contract", {}).get("currency", ""))),
            "threshold_note": _threshold_note(payload),
            "carried": _carried(data, []),
            "token": uuid.uuid4().hex,
        }
        return render(request, "besa/record/confirm.html", context)
    try:
        contract = register(request.user, payload)
    except PermissionDenied:
        return forbidden(request, None)
    except NotFound:
        return form(data, {"buying_unit": _("Unidad compradora fuera de su ámbito.")}, 422)
    except InvalidInput as exc:
        return form(data, {exc.field: forms.in_language(exc.message)}, 422)
    first = contract.entries.order_by("sequence").first()
    assert first is not None  # registration always writes the first entry
    return redirect("entry_receipt", contract_id=contract.pk, entry_id=first.uuid)


def forbidden(request: HttpRequest, contract: Contract | None) -> HttpResponse:
    """403: the user may read (or reach) this, but its role does not let it record facts."""
    return render(request, "besa/record/forbidden.html", {"contract": contract}, status=403)


# --- the form of one kind --------------------------------------------------------------------


class _EntryForm:
    """The form of ``kind`` on ``contract``. A rectification is the reason plus the form of
    the corrected entry's kind, pre-filled with its content (``?corrige=<entry id>``)."""

    def __init__(self, contract: Contract, kind: str, request: HttpRequest) -> None:
        self.contract, self.kind, self.request = contract, kind, request
        self.model: type[BaseModel] = MODELS[kind]
        self.corrected: Entry | None = None
        if kind == "rectification":
            wanted = request.POST.get("corrects") or request.GET.get("corrige") or ""
            try:
                self.corrected = contract.entries.filter(uuid=uuid.UUID(wanted)).first()
            except ValueError:
                self.corrected = None
            if self.corrected is None or self.corrected.kind in ("rectification",):
                raise Http404(_("Elija desde la bitácora el asiento que quiere corregir."))

    @property
    def inner(self) -> type[BaseModel]:
        assert self.corrected is not None
        return MODELS[self.corrected.kind]

    def initial(self) -> Mapping[str, Any]:
        if self.corrected is not None:
            flat = forms.flatten(self.inner, self.corrected.payload, "payload.")
            return {**flat, "corrects": str(self.corrected.uuid)}
        return {**forms.defaults(self.model), "currency": self.contract.currency}

    def read(
        self, data: QueryDict, documents: list[dict[str, Any]]
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """The payload the form stands for and every error the model finds in it. A
        ``document`` entry left without its file's fingerprint takes the attached file's."""
        window = {"window": date_window(timezone.now())}
        if self.corrected is None:
            payload = forms.payload_from(self.model, data)
            if self.kind == "document" and documents and "sha256" not in payload:
                payload = {**documents[0], **payload}
            return payload, forms.errors_from(self.model, payload, window)
        payload = forms.payload_from(Rectification, data, only=("corrects", "reason"))
        inner = forms.payload_from(self.inner, data, prefix="payload.")
        payload["payload"] = inner
        errors = forms.errors_from(Rectification, payload)
        errors.update(forms.errors_from(self.inner, inner, window, prefix="payload."))
        return payload, errors

    def described(self, clean: Mapping[str, Any]) -> dict[str, Any]:
        """The payload as the words need it (a rectification names the corrected kind)."""
        if self.corrected is None:
            return dict(clean)
        return {**clean, "corrected_kind": self.corrected.kind}

    def context(self) -> dict[str, Any]:
        return {
            "contract": self.contract,
            "title": KIND_LABELS.get(self.kind, self.kind),
            "action": reverse("record_entry", args=[self.contract.pk, self.kind]),
            "corrected": self.corrected,
            "accepts_documents": True,
        }

    def fields(self, data: Mapping[str, Any], errors: Mapping[str, str]) -> list[forms.FormField]:
        choices = self._choices()
        if self.corrected is None:
            return forms.build(self.model, data, errors, choices=choices)
        head = forms.build(Rectification, data, errors, only=("reason",))
        return head + forms.build(self.inner, data, errors, prefix="payload.", choices=choices)

    def render_form(
        self,
        data: Mapping[str, Any],
        errors: Mapping[str, str],
        *,
        documents: list[dict[str, Any]] | None = None,
    ) -> HttpResponse:
        fields = self.fields(data, errors)
        context = {
            **self.context(),
            "fields": fields,
            "errors": _summary(fields, errors),
            "documents": documents or [],
        }
        status = 422 if errors else 200
        return render(self.request, "besa/record/form.html", context, status=status)

    def _choices(self) -> dict[str, list[tuple[str, str]]]:
        """Known deliverables as a select wherever a form asks for one."""
        planned = (self.contract.state.snapshot or {}).get("deliverables") or {}
        if not planned:
            return {}
        options = [("", "—")] + [
            (key, f"{key} — {str(d.get('description', ''))[:60]}") for key, d in planned.items()
        ]
        prefix = "payload." if self.corrected is not None else ""
        return {f"{prefix}deliverable_id": options}


# --- helpers ---------------------------------------------------------------------------------


def _visible_contract(request: HttpRequest, contract_id: str) -> Contract:
    return get_object_or_404(
        Contract.objects.visible_to(request.user).select_related("buying_unit__institution"),
        pk=contract_id,
    )


def _summary(fields: list[forms.FormField], errors: Mapping[str, str]) -> list[dict[str, str]]:
    """The error summary: each error with the field it links to (when the form shows it)."""
    by_name = {f.name: f for f in forms.walk(fields)}
    summary = []
    for name, message in errors.items():
        f = by_name.get(name) or by_name.get(name.rsplit(".", 1)[0])
        summary.append(
            {
                "message": message,
                "title": f.title if f else "",
                "href": f"#{f.html_id}" if f else "",
            }
        )
    return summary


def _one_error(exc: InvalidInput) -> dict[str, str]:
    return {forms.field_of(exc.field): forms.in_language(exc.message)}


def _occurred_at(payload: Mapping[str, Any]) -> dt.datetime | None:
    """When the fact happened: the payload's own date, at the start of that day in the
    jurisdiction's time zone (None: the time of recording)."""
    for key in _WHEN:
        value = payload.get(key)
        if isinstance(value, str):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                continue
            return dt.datetime.combine(day, dt.time(), tzinfo=from_env().zone)
    return None


def _carried(data: QueryDict, documents: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """What the confirmation page sends back, as hidden inputs: what was typed, and the
    attached documents' descriptions (the files themselves are not sent twice)."""
    carried = [
        (name, value)
        for name, values in data.lists()
        if name not in _CONTROL and not name.startswith("documents.")
        for value in values
    ]
    for i, document in enumerate(documents):
        carried += [(f"documents.{i}.{k}", str(v)) for k, v in document.items()]
    return carried


def _documents(request: HttpRequest) -> list[dict[str, Any]]:
    """The documents attached to the entry: files uploaded with the form, and those carried
    from an earlier step (``documents.<i>.<field>``)."""
    found: dict[int, dict[str, Any]] = {}
    for name, value in request.POST.items():
        if name.startswith("documents."):
            parts = name.split(".")
            if len(parts) == 3 and parts[1].isdigit():
                found.setdefault(int(parts[1]), {})[parts[2]] = value
    documents = [found[i] for i in sorted(found)]
    # The decision to publish goes inside each document's dict, so it is hashed with the entry.
    public = request.POST.get("attachments_public") == "on"
    for upload in request.FILES.getlist("attachments"):
        documents.append({**describe_document(upload), **({"public": True} if public else {})})
    return documents


def describe_document(upload: UploadedFile) -> dict[str, Any]:
    """An uploaded file as an entry's document (title, SHA-256, media type, file name), the
    file itself kept content-addressed by ``besa.documents.store`` (which applies the size
    and type policy: ``DocumentRefused``, nothing kept)."""
    return store(upload)


def _threshold() -> str:
    jurisdiction = from_env()
    return money(jurisdiction.registration_threshold, jurisdiction.currency)


def _threshold_note(payload: Mapping[str, Any]) -> str:
    """Whether the contract reaches the registration threshold, measured as rule A01
    measures it (``besa.rules.facts``: an open contract's maximum, without VAT, in the home
    currency at the contract's exchange rate)."""
    jurisdiction = from_env()
    terms = payload.get("contract") or {}
    currency = str(terms.get("currency", jurisdiction.currency)).upper()
    if currency != jurisdiction.currency and terms.get("exchange_rate") is None:
        return ""
    snapshot = {"contract": terms, "currency": currency, "home_currency": jurisdiction.currency}
    try:
        amount = to_home_currency(snapshot, base_amount(snapshot))
    except (InvalidOperation, TypeError, KeyError):
        return ""
    if amount >= jurisdiction.registration_threshold:
        return _("Alcanza el umbral de %(threshold)s sin IVA: el registro es obligatorio.") % {
            "threshold": _threshold()
        }
    return _("Está por debajo del umbral de %(threshold)s sin IVA: el registro es voluntario.") % {
        "threshold": _threshold()
    }
