"""A compiled release as BESA facts: which contracts to register and the logbook entries of
each. Pure: no Django, no clock; the importer validates and writes. The inverse, roughly, of
``besa.ocds.projection`` (the table is in ``docs/interop.md``).

Each contract of the process at or above ``Terms.threshold`` (home currency; a contract in
another currency is not comparable, since OCDS publishes no exchange rate, and is kept
unregistered) yields a ``ContractPlan``: the registration's fields, its buyer, buying unit and
suppliers, and its entries in the order they happened. A contract's ocid is the process's
when the process has one contract, else ``<ocid>-c<n>`` (n its position, 1-based).

What OCDS does not carry takes the regime's default and is not reported per item (see the
docs): the guarantee and penalty percentages, the character (``nacional``), VAT (amounts are
taken as published). What is missing and needed is reported: the item is skipped, or repaired
when a sound substitute exists (the award date for a missing signing date, say).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from besa.interop.ocds.report import Action

#: tender.procurementMethod → procedure type (OCDS 1.0's ``limited`` is 1.1's ``direct``).
PROCEDURES = {
    "open": "licitacion_publica",
    "selective": "invitacion_tres",
    "limited": "adjudicacion_directa",
    "direct": "adjudicacion_directa",
}
#: tender.mainProcurementCategory → contracting type (works are public works, LOPSRM).
CATEGORIES = {"goods": "adquisicion", "services": "servicio"}
#: guarantees extension: obligations and type → BESA's guarantee type and instrument.
OBLIGATIONS = {"fulfillment": "performance", "prepaid": "advance", "latentDefects": "quality"}
INSTRUMENTS = {
    "suretyBond": "surety_bond",
    "letterOfCredit": "letter_of_credit",
    "check": "certified_check",
    "depositSlip": "deposit",
}
_RFC_SCHEMES = frozenset({"MX-RFC", "RFC"})
_RFC_SHAPE = re.compile(r"[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}")
#: Entry order within one day: plans before the facts that refer to them.
_RANK = {"deliverable_schedule": 0, "guarantee": 1, "amendment": 2, "delivery": 3, "payment": 4}


@dataclass(frozen=True)
class Terms:
    """The jurisdiction's figures the mapping needs."""

    threshold: Decimal
    home_currency: str
    guarantee_beneficiary: str
    level: str  # APF, GE or GM


@dataclass(frozen=True)
class Party:
    """A buyer, buying unit or supplier as published. ``rfc`` is None when not identified;
    ``code`` is a stable short code derived from the publisher and the party's id or name."""

    name: str
    rfc: str | None
    code: str


@dataclass(frozen=True)
class PlannedEntry:
    kind: str
    payload: dict[str, Any]
    day: str
    key: str
    path: str


@dataclass
class ContractPlan:
    ocid: str
    path: str
    fields: dict[str, Any]
    buyer: Party
    buying_unit: Party
    suppliers: list[Party]
    entries: list[PlannedEntry] = field(default_factory=list)


@dataclass(frozen=True)
class Note:
    """An issue found while mapping; ``path`` is relative to the compiled release."""

    path: str
    action: Action
    reason: str


@dataclass
class ProcessPlan:
    contracts: list[ContractPlan] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def plan(compiled: dict[str, Any], publisher: str, terms: Terms) -> ProcessPlan:
    """The contracts to register out of ``compiled`` and what was skipped or repaired."""
    return _Planner(compiled, publisher, terms).run()


def day(value: Any) -> str | None:
    """The calendar day of an OCDS date-time (as published, in the publisher's zone)."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def amount(value: Any) -> Decimal | None:
    """A positive, finite amount of an OCDS ``value`` object (1.0: a bare number too)."""
    raw = value.get("amount") if isinstance(value, dict) else value
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    try:
        number = Decimal(str(raw)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
    return number if number.is_finite() and number > 0 else None


def _object(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one (real data has nulls and lists)."""
    return value if isinstance(value, dict) else {}


def _text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


class _Planner:
    def __init__(self, compiled: dict[str, Any], publisher: str, terms: Terms) -> None:
        self.release = compiled
        self.publisher = publisher
        self.terms = terms
        self.out = ProcessPlan()
        parties = compiled.get("parties")
        self.parties = {
            str(p.get("id")): p
            for p in (parties if isinstance(parties, list) else [])
            if isinstance(p, dict)
        }

    def note(self, path: str, action: Action, reason: str) -> None:
        self.out.notes.append(Note(path, action, reason))

    def run(self) -> ProcessPlan:
        contracts = self.release.get("contracts")
        if not isinstance(contracts, list) or not contracts:
            return self.out
        valid = [c for c in contracts if isinstance(c, dict)]
        for index, contract in enumerate(valid):
            ocid = (
                self.release["ocid"] if len(valid) == 1 else f"{self.release['ocid']}-c{index + 1}"
            )
            planned = self.contract(contract, f"contracts[{index}]", ocid)
            if planned is not None:
                self.out.contracts.append(planned)
        return self.out

    # --- parties --------------------------------------------------------------------------

    def party(self, reference: Any, role: str) -> Party | None:
        if not isinstance(reference, dict):
            return None
        full = {**self.parties.get(str(reference.get("id")), {}), **reference}
        name = _text(full.get("name"), 300) or _text(
            (full.get("identifier") or {}).get("legalName"), 300
        )
        if not name:
            return None
        rfc = None
        identifiers = [full.get("identifier"), *(full.get("additionalIdentifiers") or [])]
        for identifier in identifiers:
            if not isinstance(identifier, dict):
                continue
            candidate = str(identifier.get("id") or "").strip().upper()
            # Some publishers (GACM) give the RFC with no scheme: its shape is unmistakable.
            named = identifier.get("scheme") in _RFC_SCHEMES
            shaped = not identifier.get("scheme") and _RFC_SHAPE.fullmatch(candidate)
            if (named or shaped) and 12 <= len(candidate) <= 13:
                rfc = candidate
                break
        basis = f"{self.publisher}|{role}|{full.get('id') or name}"
        code = hashlib.sha1(basis.encode(), usedforsecurity=False).hexdigest()[:12].upper()
        return Party(name=name, rfc=rfc, code=f"OC-{code}")

    # --- one contract ---------------------------------------------------------------------

    def contract(self, contract: dict[str, Any], path: str, ocid: str) -> ContractPlan | None:
        value = amount(contract.get("value"))
        if value is None:
            self.note(
                f"{path}.value",
                "skipped",
                "contrato sin importe positivo: no se "
                "registra / contract without a positive amount: not registered",
            )
            return None
        currency = (contract.get("value") or {}).get("currency") or self.terms.home_currency
        if currency != self.terms.home_currency:
            self.note(
                f"{path}.value.currency",
                "skipped",
                f"moneda {currency} sin tipo de "
                "cambio publicado: no se compara con el umbral / no published exchange "
                "rate: cannot be compared with the threshold; not registered",
            )
            return None
        if value < self.terms.threshold:
            return None  # below the threshold: kept as an imported process only, by design
        award = self.award(contract)
        tender = _object(self.release.get("tender"))
        fields = self.fields(contract, path, award, tender, value, currency)
        if fields is None:
            return None
        buyer = self.party(self.release.get("buyer"), "buyer")
        if buyer is None:
            self.note(
                "buyer",
                "skipped",
                "sin comprador identificable: el contrato no se "
                "registra / no identifiable buyer: contract not registered",
            )
            return None
        unit = self.party(tender.get("procuringEntity"), "procuringEntity") or Party(
            buyer.name, buyer.rfc, buyer.code.replace("OC-", "UC-")
        )
        suppliers = [
            s
            for s in (self.party(r, "supplier") for r in (award.get("suppliers") or []))
            if s is not None
        ]
        if not suppliers:
            self.note(
                f"{path}.awardID",
                "skipped",
                "sin proveedor adjudicado identificable: el "
                "contrato no se registra / no identifiable awarded supplier: not registered",
            )
            return None
        planned = ContractPlan(ocid, path, fields, buyer, unit, suppliers)
        self.entries(planned, contract, path)
        return planned

    def award(self, contract: dict[str, Any]) -> dict[str, Any]:
        awards = [a for a in (self.release.get("awards") or []) if isinstance(a, dict)]
        for award in awards:
            if str(award.get("id")) == str(contract.get("awardID")):
                return award
        return awards[0] if len(awards) == 1 else {}

    def fields(
        self,
        contract: dict[str, Any],
        path: str,
        award: dict[str, Any],
        tender: dict[str, Any],
        value: Decimal,
        currency: str,
    ) -> dict[str, Any] | None:
        method = tender.get("procurementMethod")
        procedure = PROCEDURES.get(str(method))
        if procedure is None:
            self.note(
                "tender.procurementMethod",
                "skipped",
                f"método de contratación "
                f"desconocido {method!r}: el contrato no se registra / unknown "
                "procurement method: contract not registered",
            )
            return None
        category = tender.get("mainProcurementCategory")
        contracting = CATEGORIES.get(str(category))
        if category == "works":
            self.note(
                "tender.mainProcurementCategory",
                "skipped",
                "obra pública (LOPSRM), "
                "fuera del alcance de BESA / public works are outside BESA's scope",
            )
            return None
        if contracting is None:
            contracting = "adquisicion"
            self.note(
                "tender.mainProcurementCategory",
                "repaired",
                f"categoría {category!r} "
                "desconocida o ausente (OCDS 1.0): se asume adquisición / unknown or "
                "missing category: goods assumed",
            )
        signed = day(contract.get("dateSigned"))
        if signed is None:
            signed = day(award.get("date"))
            if signed is None:
                self.note(
                    f"{path}.dateSigned",
                    "skipped",
                    "sin fecha de firma ni de fallo: el "
                    "contrato no se registra / no signing or award date: not registered",
                )
                return None
            self.note(
                f"{path}.dateSigned",
                "repaired",
                "sin fecha de firma: se usa la del fallo / no signing date: the award date is used",
            )
        period = _object(contract.get("period"))
        start = day(period.get("startDate"))
        if start is None:
            start = signed
            self.note(
                f"{path}.period.startDate",
                "repaired",
                "sin inicio de vigencia: se usa la firma / no start date: the signing date is used",
            )
        end = day(period.get("endDate"))
        if end is None or end < start:
            self.note(
                f"{path}.period.endDate",
                "skipped",
                "fin de vigencia ausente o anterior "
                "al inicio: el contrato no se registra / end date missing or before the "
                "start: not registered",
            )
            return None
        number = _text(contract.get("id"), 100) or f"{self.release['ocid']}"[:100]
        title = (
            _text(contract.get("title"), 500)
            or _text(award.get("title"), 500)
            or _text(tender.get("title"), 500)
            or f"Contrato {number}"
        )
        fields: dict[str, Any] = {
            "number": number,
            "title": title,
            "description": _text(contract.get("description"), 4000),
            "procedure_type": procedure,
            "procedure_number": _text(tender.get("id"), 100),
            "contracting_type": contracting,
            "signing_date": dt.date.fromisoformat(signed),
            "start_date": dt.date.fromisoformat(start),
            "end_date": dt.date.fromisoformat(end),
            "amount": value,
            "currency": currency,
        }
        award_day = day(award.get("date"))
        if award_day is not None and award_day <= signed:
            fields["award_date"] = dt.date.fromisoformat(award_day)
        rationale = _text(tender.get("procurementMethodRationale"), 200)
        if rationale:
            fields["legal_basis"] = rationale
        return fields

    # --- entries --------------------------------------------------------------------------

    def entries(self, planned: ContractPlan, contract: dict[str, Any], path: str) -> None:
        found: list[PlannedEntry] = []
        signed = planned.fields["signing_date"].isoformat()
        implementation = contract.get("implementation")
        implementation = implementation if isinstance(implementation, dict) else {}
        found += self.guarantees(contract, path)
        found += self.amendments(contract, path)
        found += self.milestones(contract, implementation, path, signed)
        found += self.transactions(implementation, path, planned.fields["currency"])
        for where, holder in ((path, contract), (f"{path}.implementation", implementation)):
            for index, _document in enumerate(holder.get("documents") or []):
                self.note(
                    f"{where}.documents[{index}]",
                    "skipped",
                    "documento sin SHA-256 (OCDS "
                    "publica solo su URL): queda en el proceso importado / document "
                    "without SHA-256 (OCDS gives only its URL): kept in the imported "
                    "process, no entry",
                )
        for index, _failure in enumerate(implementation.get("performanceFailures") or []):
            self.note(
                f"{path}.implementation.performanceFailures[{index}]",
                "skipped",
                "falla de desempeño sin días de atraso ni importe estructurados / "
                "performance failure without structured days or amount: no entry",
            )
        planned.entries = sorted(found, key=lambda e: (e.day, _RANK.get(e.kind, 9), e.key))

    def guarantees(self, contract: dict[str, Any], path: str) -> list[PlannedEntry]:
        out = []
        for index, g in enumerate(contract.get("guarantees") or []):
            at = f"{path}.guarantees[{index}]"
            if not isinstance(g, dict):
                continue
            kind = OBLIGATIONS.get(str(g.get("obligations")))
            instrument = INSTRUMENTS.get(str(g.get("type")))
            received = day(g.get("date"))
            value = amount(g.get("value"))
            if kind is None or instrument is None or received is None or value is None:
                self.note(
                    at,
                    "skipped",
                    "garantía sin obligación, tipo, fecha o importe "
                    "reconocibles / guarantee without a known obligation, type, date "
                    "or amount",
                )
                continue
            gid = _text(g.get("id"), 40) or str(index + 1)
            payload: dict[str, Any] = {
                "guarantee_id": gid,
                "type": kind,
                "action": "new",
                "instrument": instrument,
                "amount": str(value),
                "beneficiary": self.terms.guarantee_beneficiary,
                "date_received": received,
            }
            if (g.get("value") or {}).get("currency"):
                payload["currency"] = g["value"]["currency"]
            guarantor = self.party(g.get("guarantor"), "guarantor")
            if guarantor is not None:
                payload["issuer"] = guarantor.name
            period = _object(g.get("period"))
            for name, key in (("valid_from", "startDate"), ("valid_until", "endDate")):
                if day(period.get(key)) is not None:
                    payload[name] = day(period.get(key))
            out.append(PlannedEntry("guarantee", payload, received, f"guarantee:{gid}", at))
        return out

    def amendments(self, contract: dict[str, Any], path: str) -> list[PlannedEntry]:
        out = []
        for index, a in enumerate(contract.get("amendments") or []):
            at = f"{path}.amendments[{index}]"
            if not isinstance(a, dict):
                continue
            signed = day(a.get("date"))
            why = _text(a.get("rationale"), 4000) or _text(a.get("description"), 4000)
            if signed is None or not why:
                self.note(
                    at,
                    "skipped",
                    "modificación sin fecha o sin motivo / amendment without a date or a rationale",
                )
                continue
            aid = _text(a.get("id"), 40) or str(index + 1)
            payload = {
                "amendment_id": aid,
                "signing_date": signed,
                "types": ["other"],
                "justification": why,
            }
            out.append(PlannedEntry("amendment", payload, signed, f"amendment:{aid}", at))
        return out

    def milestones(
        self,
        contract: dict[str, Any],
        implementation: dict[str, Any],
        path: str,
        signed: str,
    ) -> list[PlannedEntry]:
        out = []
        sources = (
            (f"{path}.milestones", contract.get("milestones") or []),
            (f"{path}.implementation.milestones", implementation.get("milestones") or []),
        )
        for where, milestones in sources:
            for index, m in enumerate(milestones):
                at = f"{where}[{index}]"
                if not isinstance(m, dict):
                    continue
                due = day(m.get("dueDate"))
                value = amount(m.get("value"))
                title = _text(m.get("title"), 4000) or _text(m.get("description"), 4000)
                if due is None or value is None or not title:
                    self.note(
                        at,
                        "skipped",
                        "hito sin fecha compromiso, importe o título: no "
                        "es un entregable / milestone without a due date, amount or "
                        "title: not a deliverable",
                    )
                    continue
                mid = _text(m.get("id"), 40) or f"{index + 1}"
                deliverable = {
                    "deliverable_id": mid,
                    "description": title,
                    "quantity": "1",
                    "amount": str(value),
                    "due_date": due,
                }
                out.append(
                    PlannedEntry(
                        "deliverable_schedule",
                        {"deliverables": [deliverable]},
                        signed,
                        f"milestone:{mid}",
                        at,
                    )
                )
                met = day(m.get("dateMet"))
                if m.get("status") == "met" and met is not None:
                    delivery = {
                        "deliverable_id": mid,
                        "date": met,
                        "quantity_received": "1",
                        "quantity_accepted": "1",
                        "result": "accepted",
                    }
                    out.append(PlannedEntry("delivery", delivery, met, f"delivery:{mid}", at))
        return out

    def transactions(
        self, implementation: dict[str, Any], path: str, currency: str
    ) -> list[PlannedEntry]:
        out = []
        for index, t in enumerate(implementation.get("transactions") or []):
            at = f"{path}.implementation.transactions[{index}]"
            if not isinstance(t, dict):
                continue
            paid = day(t.get("date"))
            value = amount(t.get("value") if "value" in t else t.get("amount"))
            if paid is None or value is None:
                self.note(
                    at,
                    "skipped",
                    "transacción sin fecha o importe positivo / "
                    "transaction without a date or a positive amount",
                )
                continue
            given = t.get("value") if isinstance(t.get("value"), dict) else t.get("amount")
            paid_in = (given or {}).get("currency") if isinstance(given, dict) else None
            tid = _text(t.get("id"), 80) or str(index + 1)
            payload = {"date": paid, "amount": str(value), "currency": paid_in or currency}
            out.append(PlannedEntry("payment", payload, paid, f"transaction:{tid}", at))
        return out
