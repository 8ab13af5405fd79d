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
from besa.reports.rendering import jurisdiction_name, print_html
from besa.web.labels import KIND_LABELS, STATUS_LABELS
from besa.web.words import Line, describe_entry


def _flat(lines: list[Line], depth: int = 0) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []
    for line in lines:
        out.append((depth, str(line.label), str(line.text)))
        out.extend(_flat(line.lines, depth + 1))
    return out


def context(contract: Contract, language: str, *, public: bool = False) -> dict[str, Any]:
    """What the dossier shows (in the active language): pure reads, no rendering. ``public``:
    natural persons among the suppliers are named only as such (no name, no RFC)."""
    entries = list(Entry.objects.filter(contract=contract).order_by("sequence"))
    state = ContractState.objects.filter(contract=contract).first()
    states = dict(AlertState.choices)
    documents: list[dict[str, Any]] = []
    timeline = []
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
        for document in entry.documents or []:
            documents.append({"sequence": entry.sequence, **document})
        if entry.kind == "document":
            documents.append({"sequence": entry.sequence, **entry.payload})
    alerts = [
        {
            "rule": a.rule,
            "name": rule_name(a.rule, language),
            "severity": SEVERITIES.get(a.severity, a.severity),
            "state": states.get(a.state, a.state),
            "opened_at": timezone.localtime(a.opened_at),
            "summary": a.summary,
        }
        for a in contract.alerts.order_by("opened_at")
    ]
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
        "jurisdiction_name": jurisdiction_name(language),
        "LANGUAGE_CODE": language,
    }


def dossier_pdf(contract: Contract, language: str, *, public: bool = False) -> bytes:
    """The dossier of ``contract`` as PDF bytes in ``language`` ("es" or "en"); ``public``
    as in ``context`` (the timeline is printed as recorded either way)."""
    with translation.override(language):
        found = context(contract, language, public=public)
        html = render_to_string("besa/reports/dossier_pdf.html", found)
    return print_html(html)
