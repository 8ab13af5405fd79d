"""Report (f): one contract's full dossier as a PDF — facts, timeline in words, alerts, the
list of documents with their SHA-256, and every entry's hash, so a printed copy can be checked
against the logbook (``besa verify``).

``dossier_pdf(contract, language)`` is the one entry point; the citizens' portal calls it too.
It prints what it is given: the caller decides who may read the contract.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from besa.alerts.models import AlertState
from besa.alerts.words import rule_name
from besa.logbook.models import ContractState, Entry
from besa.portal import public as portal_public
from besa.registry.models import Contract
from besa.reports.alerts import SEVERITIES
from besa.reports.rendering import css_string, jurisdiction_name, print_html
from besa.web.forms import in_language
from besa.web.labels import KIND_LABELS, STATUS_LABELS
from besa.web.words import Line, describe_entry


def _flat(lines: list[Line], depth: int = 0) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []
    for line in lines:
        out.append((depth, str(line.label), str(line.text)))
        out.extend(_flat(line.lines, depth + 1))
    return out


def context(contract: Contract, language: str, *, public: bool = False) -> dict[str, Any]:
    """What the dossier shows (in the active language): reads, no rendering. ``public``: what
    the citizens' portal shows (``besa.portal.public``): an individual's RFC, CURP and name
    withheld as ``[reservado]``, only the alerts the jurisdiction publishes, only the documents
    marked public (``besa.documents.publicity``; the others' fingerprints stay in the
    verifiable record); every entry's hash either way."""
    entries = list(Entry.objects.filter(contract=contract).order_by("sequence"))
    state = ContractState.objects.filter(contract=contract).first()
    parts = _public if public else _internal
    lines, suppliers, alerts, documents = parts(contract, entries, language)
    timeline = [
        {
            "sequence": entry.sequence,
            "kind": KIND_LABELS.get(entry.kind, entry.kind),
            "occurred_at": timezone.localtime(entry.occurred_at),
            "recorded_at": timezone.localtime(entry.recorded_at),
            "lines": lines[entry.sequence],
            "hash": entry.hash,
            "prev_hash": entry.prev_hash,
        }
        for entry in entries
    ]
    return {
        "contract": contract,
        "institution": contract.buying_unit.institution,
        "suppliers": suppliers,
        "status": STATUS_LABELS.get(state.status, state.status) if state else "",
        "last_hash": state.last_hash if state else "",
        "timeline": timeline,
        "alerts": alerts,
        "documents": documents,
        "public": public,
        "as_of": timezone.localtime(),
        "top_left": css_string(jurisdiction_name(language)),
        "top_right": css_string(f"{_('Expediente del contrato')} {contract.number}"),
        "LANGUAGE_CODE": language,
    }


#: Each entry's lines in words (by sequence), the suppliers (name, RFC), the alerts and the
#: documents, as the dossier's template reads them.
_Parts = tuple[
    dict[int, list[tuple[int, str, str]]],
    list[tuple[str, str]],
    list[dict[str, Any]],
    list[dict[str, Any]],
]


def _internal(contract: Contract, entries: list[Entry], language: str) -> _Parts:
    """Everything, for those who may read the contract inside BESA."""
    states = dict(AlertState.choices)
    lines = {
        e.sequence: _flat(describe_entry(e.kind, e.payload, contract.currency)) for e in entries
    }
    suppliers = [
        (share.supplier.name, share.supplier.rfc)
        for share in contract.contractsupplier_set.select_related("supplier")
    ]
    alerts = [
        {
            "rule": a.rule,
            "name": rule_name(a.rule, language),
            "severity": SEVERITIES.get(a.severity, a.severity),
            "state": states.get(a.state, a.state),
            "opened_at": timezone.localtime(a.opened_at),
            "summary": in_language(a.summary),
        }
        for a in contract.alerts.order_by("opened_at")
    ]
    documents = []
    for entry in entries:
        attached = [
            *(entry.documents or []),
            *([entry.payload] if entry.kind == "document" else []),
        ]
        for document in attached:
            name = document.get("title") or document.get("file_name") or document.get("name")
            documents.append(
                {
                    "sequence": entry.sequence,
                    "name": name or document.get("document_type") or "—",
                    "sha256": document.get("sha256", ""),
                }
            )
    return lines, suppliers, alerts, documents


def _public(contract: Contract, entries: list[Entry], language: str) -> _Parts:
    """The portal's decisions, not a second copy of them: personal values withheld in the
    timeline and the suppliers, only published alerts (no summary), the public documents."""
    lines = {e.sequence: _flat(e.lines) for e in portal_public.timeline(entries, contract.currency)}
    suppliers = [(name, rfc) for rfc, name in portal_public.suppliers(contract)]
    alerts = [
        {
            "rule": a.rule,
            "name": a.rule_name,
            "severity": a.severity,
            "state": a.state,
            "opened_at": timezone.localtime(a.opened_at),
            "summary": "",
        }
        for a in portal_public.alerts(contract, language)
    ]
    documents: list[dict[str, Any]] = [
        {"sequence": "", "name": d.title, "sha256": d.sha256}
        for d in portal_public.documents(contract)
    ]
    return lines, suppliers, alerts, documents


def dossier_pdf(contract: Contract, language: str, *, public: bool = False) -> bytes:
    """The dossier of ``contract`` as PDF bytes in ``language`` ("es" or "en"); ``public``
    as in ``context``."""
    with translation.override(language):
        found = context(contract, language, public=public)
        html = render_to_string("besa/reports/dossier_pdf.html", found)
    return print_html(html)
