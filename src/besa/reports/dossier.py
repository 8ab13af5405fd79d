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
from besa.logbook.models import ContractState, Entry
from besa.registry.models import Contract
from besa.reports.alerts import SEVERITIES, rule_name
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


def _natural_persons(contract: Contract) -> dict[str, str]:
    """The names and RFCs of the contract's suppliers who are natural persons."""
    found: dict[str, str] = {}
    for supplier in contract.suppliers.filter(person_type="fisica"):
        found[supplier.rfc] = str(_("RFC de persona física"))
        if supplier.name:
            found[supplier.name] = str(_("Persona física"))
    return found


def _redact(text: str, hidden: dict[str, str]) -> str:
    for secret, replacement in hidden.items():
        text = text.replace(secret, replacement)
    return text


def context(contract: Contract, language: str, *, public: bool = False) -> dict[str, Any]:
    """What the dossier shows (in the active language): pure reads, no rendering. ``public``:
    natural persons among the suppliers are named only as such (no name, no RFC)."""
    entries = list(Entry.objects.filter(contract=contract).order_by("sequence"))
    state = ContractState.objects.filter(contract=contract).first()
    states = dict(AlertState.choices)
    documents: list[dict[str, Any]] = []
    timeline: list[dict[str, Any]] = []
    for entry in entries:
        timeline.append(
            {
                "sequence": entry.sequence,
                "kind": KIND_LABELS.get(entry.kind, entry.kind),
                "occurred_at": timezone.localtime(entry.occurred_at),
                "recorded_at": timezone.localtime(entry.recorded_at),
                "lines": _flat(describe_entry(entry.kind, entry.payload, contract.currency)),
                "hash": entry.hash,
                "prev_hash": entry.prev_hash,
            }
        )
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
    hidden = _natural_persons(contract) if public else {}
    if hidden:
        for item in timeline:
            item["lines"] = [(d, label, _redact(text, hidden)) for d, label, text in item["lines"]]
    suppliers = [
        (_("Persona física"), "")
        if public and share.supplier.person_type == "fisica"
        else (share.supplier.name, share.supplier.rfc)
        for share in contract.contractsupplier_set.select_related("supplier")
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
        "as_of": timezone.localtime(),
        "top_left": css_string(jurisdiction_name(language)),
        "top_right": css_string(f"{_('Expediente del contrato')} {contract.number}"),
        "LANGUAGE_CODE": language,
    }


def dossier_pdf(contract: Contract, language: str, *, public: bool = False) -> bytes:
    """The dossier of ``contract`` as PDF bytes in ``language`` ("es" or "en"); ``public``
    as in ``context`` (the timeline is printed as recorded either way)."""
    with translation.override(language):
        found = context(contract, language, public=public)
        html = render_to_string("besa/reports/dossier_pdf.html", found)
    return print_html(html)
