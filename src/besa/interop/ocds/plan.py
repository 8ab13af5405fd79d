"""A compiled release as BESA facts: which contracts to register and the logbook entries of
each. Pure: no Django, no clock; the importer validates and writes. The inverse, roughly, of
``besa.ocds.projection`` (the table is in ``docs/interop.md``).

Each contract of the process at or above ``Terms.threshold`` (home currency; a contract in
another currency is not comparable, since OCDS publishes no exchange rate, and is kept
unregistered) yields a ``ContractPlan``: the registration's fields, its buyer, buying unit and
suppliers, and its entries in the order they happened. A contract's ocid is the process's
when the process has one contract, else ``<ocid>-c<n>`` (n its position, 1-based).

**History.** Given the process's own releases (not a publisher's compiled release), the
contract is registered *as first signed*: its first published value and end date, read from
the versioned release (ocdsmerge). Each later change of value or end date is an ``amendment``
entry with its real change (``amount_change``, ``new_end_date``), joined to the OCDS
amendment that published it (``amendments[].releaseID``, else ``amendsReleaseID`` naming the
release before, else the earliest unjoined amendment without release ids dated on or before
the change), or made from the release alone. A compiled release alone is mapped as it is and
the note says the history is unknown.

What OCDS does not carry takes the regime's default and is not reported per item (see the
docs): the guarantee and penalty percentages, the character (``nacional``), VAT (amounts are
taken as published). What is missing and needed is reported: the item is skipped, or repaired
when a sound substitute exists (the award date for a missing signing date, say).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import ocdsmerge.exceptions
import orjson

from besa.interop.ocds.report import Action
from besa.ocds.schema import merger

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
_RANK = {
    "deliverable_schedule": 0, "guarantee": 1, "amendment": 2, "delivery": 3, "payment": 4,
    "closure": 5,
}  # fmt: skip


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


@dataclass(frozen=True)
class Change:
    """A change of a contract's value or end date, published by release ``release_id``."""

    release_id: str
    previous_id: str | None
    day: str
    amount_change: Decimal
    new_end_date: str | None


@dataclass
class ProcessPlan:
    contracts: list[ContractPlan] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def plan(
    compiled: dict[str, Any],
    publisher: str,
    terms: Terms,
    releases: Sequence[dict[str, Any]] | None = None,
) -> ProcessPlan:
    """The contracts to register out of ``compiled`` and what was skipped or repaired.

    ``releases``: the process's own releases (not compiled ones), from which the history of
    each contract is replayed (module docstring); ``None`` when only a compiled release was
    read: the history is unknown (noted for each registered contract).
    """
    return _Planner(compiled, publisher, terms, releases).run()


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
    def __init__(
        self,
        compiled: dict[str, Any],
        publisher: str,
        terms: Terms,
        releases: Sequence[dict[str, Any]] | None = None,
    ) -> None:
        self.release = compiled
        self.publisher = publisher
        self.terms = terms
        self.releases = (
            None
            if releases is None
            else sorted(releases, key=lambda r: (str(r.get("date") or ""), str(r.get("id"))))
        )
        self._versioned: dict[str, Any] | None = None
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
        changes = self.history(contract, path, fields)
        planned = ContractPlan(ocid, path, fields, buyer, unit, suppliers)
        self.entries(planned, contract, path, changes)
        return planned

    # --- history --------------------------------------------------------------------------

    def versioned(self) -> dict[str, Any] | None:
        """The versioned release of the process's own releases (computed once), or None."""
        if self._versioned is None and self.releases and len(self.releases) > 1:
            try:
                self._versioned = merger().create_versioned_release(
                    [orjson_copy(r) for r in self.releases]
                )
            except (ocdsmerge.exceptions.OCDSMergeError, TypeError, ValueError):
                self._versioned = {}
        return self._versioned or None

    def history(self, contract: dict[str, Any], path: str, fields: dict[str, Any]) -> list[Change]:
        """Set ``fields``' amount and end date to the contract's first published ones and
        return the later changes (module docstring); note when the history is unknown."""
        if self.releases is None:
            self.note(
                path,
                "kept",
                "historia desconocida: solo se leyó el release compilado; se registra el "
                "contrato en su estado final / history unknown: only a compiled release was "
                "read; the contract is registered as it finally stands",
            )
            return []
        versioned = self.versioned()
        if versioned is None:
            return []
        mine = next(
            (
                c
                for c in versioned.get("contracts") or []
                if isinstance(c, dict) and str(c.get("id")) == str(contract.get("id"))
            ),
            None,
        )
        if mine is None:
            return []
        amounts = [
            (v[0], v[1], a) for v in _versions(mine, "value", "amount") if (a := amount(v[2]))
        ]
        ends = [(v[0], v[1], e) for v in _versions(mine, "period", "endDate") if (e := day(v[2]))]
        if not amounts:
            return []
        order = [str(r.get("id")) for r in self.releases]
        changes: dict[str, dict[str, Any]] = {}
        fields["amount"] = amounts[0][2]
        previous = amounts[0][2]
        for release_id, released, value in amounts[1:]:
            if value != previous:
                changes.setdefault(release_id, {"day": released})["amount_change"] = (
                    value - previous
                )
                previous = value
        start = fields["start_date"].isoformat()
        if ends and ends[0][2] >= start:
            fields["end_date"] = dt.date.fromisoformat(ends[0][2])
            previous_end = ends[0][2]
            for release_id, released, end in ends[1:]:
                if end != previous_end:
                    changes.setdefault(release_id, {"day": released})["new_end_date"] = end
                    previous_end = end
        out = []
        for release_id, change in changes.items():
            index = order.index(release_id) if release_id in order else -1
            out.append(
                Change(
                    release_id,
                    order[index - 1] if index > 0 else None,
                    change["day"],
                    change.get("amount_change", Decimal(0)),
                    change.get("new_end_date"),
                )
            )
        return sorted(out, key=lambda c: (c.day, c.release_id))

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

    def entries(
        self,
        planned: ContractPlan,
        contract: dict[str, Any],
        path: str,
        changes: Sequence[Change] = (),
    ) -> None:
        found: list[PlannedEntry] = []
        signed = planned.fields["signing_date"].isoformat()
        implementation = contract.get("implementation")
        implementation = implementation if isinstance(implementation, dict) else {}
        found += self.guarantees(contract, path)
        found += self.amendments(contract, path, changes)
        found += self.milestones(contract, implementation, path, signed)
        found += self.transactions(implementation, path, planned.fields["currency"])
        found += self.closure(contract, implementation, path, planned.fields, signed)
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

    def amendments(
        self, contract: dict[str, Any], path: str, changes: Sequence[Change] = ()
    ) -> list[PlannedEntry]:
        """One entry per OCDS amendment, carrying the change of the release that published
        it (``_join``); one more per change that no amendment published."""
        out = []
        listed = [
            (index, a)
            for index, a in enumerate(contract.get("amendments") or [])
            if isinstance(a, dict)
        ]
        joined = _join_changes(listed, changes)
        for index, a in listed:
            at = f"{path}.amendments[{index}]"
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
            payload = _amendment_payload(aid, signed, why, joined.get(index))
            out.append(PlannedEntry("amendment", payload, signed, f"amendment:{aid}", at))
        used = {id(c) for c in joined.values()}
        for change in changes:
            if id(change) in used:
                continue
            aid = f"release-{change.release_id}"[:100]
            why = (
                f"Cambio publicado en el release {change.release_id} sin modificación "
                f"(amendment) que lo describa / change published in release "
                f"{change.release_id} with no amendment describing it"
            )
            payload = _amendment_payload(aid, change.day, why, change)
            out.append(
                PlannedEntry("amendment", payload, change.day, f"change:{change.release_id}", path)
            )
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
                kind = m.get("type")
                if due is None or not title or (value is None and kind not in (None, "delivery")):
                    self.note(
                        at,
                        "skipped",
                        "hito sin fecha compromiso o título, o sin importe y no de entrega: "
                        "no es un entregable / milestone without a due date or title, or "
                        "without amount and not a delivery: not a deliverable",
                    )
                    continue
                mid = _text(m.get("id"), 40) or f"{index + 1}"
                deliverable = {
                    "deliverable_id": mid,
                    "description": title,
                    "quantity": "1",
                    "due_date": due,
                }
                if value is not None:
                    deliverable["amount"] = str(value)
                else:
                    self.note(
                        at,
                        "repaired",
                        "hito de entrega sin importe (OCDS 1.1 no lo tiene): entregable de "
                        "importe desconocido / delivery milestone without a value (OCDS 1.1 "
                        "has none): a deliverable of unknown amount",
                    )
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

    def closure(
        self,
        contract: dict[str, Any],
        implementation: dict[str, Any],
        path: str,
        fields: dict[str, Any],
        signed: str,
    ) -> list[PlannedEntry]:
        """A contract ``terminated``, an implementation ``concluded`` (implementationStatus
        extension) or one with an actual ``endDate`` (contract_completion) ended: a closure
        on that end date (else the contract's final end date), its settlement unknown;
        ``finalValue`` is the amount paid."""
        ended = (
            contract.get("status") == "terminated"
            or implementation.get("status") == "concluded"
            or day(implementation.get("endDate")) is not None
        )
        if not ended:
            return []
        at = f"{path}.implementation"
        on = day(implementation.get("endDate"))
        final_end = day(_object(contract.get("period")).get("endDate"))
        on = on or final_end or fields["end_date"].isoformat()
        if on < signed:
            self.note(
                f"{at}.endDate",
                "skipped",
                "fin real anterior a la firma: sin cierre / actual end before signing: no closure",
            )
            return []
        payload: dict[str, Any] = {"date": on, "settlement_unknown": True}
        final = amount(implementation.get("finalValue"))
        if final is not None:
            payload["paid_amount"] = str(final)
        return [PlannedEntry("closure", payload, on, "closure", at)]

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


def orjson_copy(value: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of JSON data (ocdsmerge may modify what it merges)."""
    copied: dict[str, Any] = orjson.loads(orjson.dumps(value))
    return copied


def _versions(versioned: dict[str, Any], *keys: str) -> list[tuple[str, str, Any]]:
    """The versions of one field of a versioned contract: (release id, day, value)."""
    node: Any = versioned
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    out = []
    for version in node if isinstance(node, list) else []:
        if isinstance(version, dict) and day(version.get("releaseDate")) is not None:
            out.append(
                (
                    str(version.get("releaseID")),
                    str(day(version["releaseDate"])),
                    version.get("value"),
                )
            )
    return out


def _join_changes(
    listed: list[tuple[int, dict[str, Any]]], changes: Sequence[Change]
) -> dict[int, Change]:
    """Which change each OCDS amendment (by position) published: by ``releaseID``, else by
    ``amendsReleaseID`` naming the release before the change's, else the earliest change
    dated on or after the amendment, for amendments naming no release."""
    joined: dict[int, Change] = {}
    free = list(changes)
    for index, a in listed:
        for change in free:
            if str(a.get("releaseID") or "") == change.release_id or (
                a.get("amendsReleaseID") is not None
                and a.get("releaseID") is None
                and str(a["amendsReleaseID"]) == change.previous_id
            ):
                joined[index] = change
                free.remove(change)
                break
    for index, a in sorted(listed, key=lambda item: str(day(item[1].get("date")) or "")):
        signed = day(a.get("date"))
        if index in joined or signed is None or a.get("releaseID") or a.get("amendsReleaseID"):
            continue
        for change in free:
            if signed <= change.day:
                joined[index] = change
                free.remove(change)
                break
    return joined


def _amendment_payload(aid: str, signed: str, why: str, change: Change | None) -> dict[str, Any]:
    types = []
    payload: dict[str, Any] = {"amendment_id": aid, "signing_date": signed, "justification": why}
    if change is not None and change.amount_change:
        types.append("amount")
        payload["amount_change"] = str(change.amount_change)
    if change is not None and change.new_end_date is not None:
        types.append("term")
        payload["new_end_date"] = change.new_end_date
    payload["types"] = types or ["other"]
    return payload
