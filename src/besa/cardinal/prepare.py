"""``prepare``: correct the quality issues that matter to the indicators, and report them.

Each input line is rewritten (line order kept) and each issue is written as a CSV row:
``line, ocid, path, array indexes (dot-joined), incorrect value, description``, where the
description is ``not set``, ``invalid`` or ``is zero`` and the ocid and the incorrect value are
written as JSON text (as Cardinal does). Only fields ``prepare`` can fix are reported.

Always: ``tenderers`` and ``suppliers`` objects become one-element arrays; numeric ids become
strings. Settings: ``[defaults]`` fill missing values, ``[codelists.*]`` re-map codes,
``[redactions]`` delete placeholder amounts and organisation ids, ``[corrections]`` cancel
awards whose contracts are all cancelled, ``[modifications]`` move auction bids, prefix ids and
cut ``procurementMethodDetails``. Invalid JSON lines are reported on stderr and written nowhere.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO, Any

import orjson

from besa.cardinal.engine import Source, blocks, check_file
from besa.cardinal.settings import Settings

BID_STATUSES = frozenset({"invited", "pending", "valid", "disqualified", "withdrawn"})
AWARD_STATUSES = frozenset({"pending", "active", "cancelled", "unsuccessful"})

Issue = tuple[int, Any, str, str, Any, str]


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _string_id(holder: Any, key: str = "id") -> None:
    if isinstance(holder, dict):
        value = holder.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            holder[key] = _json(value)


def _objects(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _as_array(holder: dict[str, Any], key: str) -> None:
    if isinstance(holder.get(key), dict):
        holder[key] = [holder[key]]


class Preparer:
    """Applies one settings file to releases; :meth:`release` corrects one document in place."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        get = settings.get
        self.currency = get("defaults", "currency")
        self.scheme = get("defaults", "item_classification_scheme")
        self.bid_status = get("defaults", "bid_status")
        self.award_status = get("defaults", "award_status")
        self.party_roles = bool(get("defaults", "party_roles", False))
        self.bid_codes = settings.mapping("codelists.bid_status")
        self.award_codes = settings.mapping("codelists.award_status")
        self.redacted_amounts = {float(a) for a in get("redactions", "amount", ()) if _is_number(a)}
        self.redacted_ids = set(get("redactions", "organization_id", ()))
        self.by_contract_status = bool(get("corrections", "award_status_by_contract_status", False))
        self.move_auctions = bool(get("modifications", "move_auctions", False))
        self.buyer_prefix = get("modifications", "prefix_buyer_or_procuring_entity_id")
        self.tenderer_prefix = get("modifications", "prefix_tenderer_or_supplier_id")
        self.split = get("modifications", "split_procurement_method_details")

    def _organisation(self, reference: Any, prefix: str | None) -> None:
        if not isinstance(reference, dict):
            return
        _string_id(reference)
        identifier = reference.get("id")
        if isinstance(identifier, str) and identifier in self.redacted_ids:
            del reference["id"]
        elif prefix and isinstance(identifier, str) and not identifier.startswith(prefix):
            reference["id"] = prefix + identifier

    def _status(
        self,
        holder: dict[str, Any],
        codes: dict[str, Any],
        default: str | None,
        valid: frozenset[str],
    ) -> tuple[Any, str] | None:
        """Re-map, fill in and check ``holder["status"]``; returns (value, problem) if still bad."""
        status = holder.get("status")
        if isinstance(status, str) and status in codes:
            holder["status"] = status = codes[status]
        if status is None and default:
            holder["status"] = status = default
        if status is None:
            return None, "not set"
        if status not in valid:
            return status, "invalid"
        return None

    def release(self, document: dict[str, Any], line: int, issues: list[Issue]) -> None:
        """Correct ``document`` in place and append its issues."""
        ocid = document.get("ocid")

        def issue(path: str, indexes: str, value: Any, description: str) -> None:
            issues.append((line, ocid, path, indexes, value, description))

        tender = document.get("tender")
        if isinstance(tender, dict):
            self._organisation(tender.get("procuringEntity"), self.buyer_prefix)
            details = tender.get("procurementMethodDetails")
            if self.split and isinstance(details, str):
                tender["procurementMethodDetails"] = details.split(self.split, 1)[0].rstrip()
        self._organisation(document.get("buyer"), self.buyer_prefix)
        for party in _objects(document.get("parties")):
            _string_id(party)
        bids = document.get("bids")
        if self.move_auctions:
            moved = [
                bid
                for auction in _objects(document.get("auctions"))
                for stage in _objects(auction.get("stages"))
                for bid in _objects(stage.pop("bids", None))
            ]
            if moved:
                if not isinstance(bids, dict):
                    bids = document["bids"] = {}
                bids.setdefault("details", [])
                if isinstance(bids["details"], list):
                    bids["details"].extend(moved)
        details = bids.get("details") if isinstance(bids, dict) else None
        for index, bid in enumerate(details if isinstance(details, list) else []):
            if not isinstance(bid, dict):
                continue
            _as_array(bid, "tenderers")
            for tenderer in _objects(bid.get("tenderers")):
                self._organisation(tenderer, self.tenderer_prefix)
            self._bid(bid, str(index), issue)
        self._awards(document, issue)
        if self.party_roles:
            self._roles(document)

    def _bid(self, bid: dict[str, Any], index: str, issue: Any) -> None:
        value = bid.get("value")
        if isinstance(value, dict):
            if value.get("currency") is None and self.currency:
                value["currency"] = self.currency
            if value.get("currency") is None:
                issue("/bids/details[]/value/currency", index, None, "not set")
            amount = value.get("amount")
            if isinstance(amount, (int, float)) and not isinstance(amount, bool):
                if float(amount) in self.redacted_amounts:
                    del value["amount"]
                elif amount == 0:
                    issue("/bids/details[]/value/amount", index, amount, "is zero")
        for item in _objects(bid.get("items")):
            classification = item.get("classification")
            if (
                isinstance(classification, dict)
                and self.scheme
                and classification.get("scheme") is None
            ):
                classification["scheme"] = self.scheme
        problem = self._status(bid, self.bid_codes, self.bid_status, BID_STATUSES)
        if problem is not None:
            issue("/bids/details[]/status", index, problem[0], problem[1])

    def _awards(self, document: dict[str, Any], issue: Any) -> None:
        contracts = _objects(document.get("contracts"))
        for contract in contracts:
            _string_id(contract, "awardID")
        awards = document.get("awards")
        for index, award in enumerate(awards if isinstance(awards, list) else []):
            if not isinstance(award, dict):
                continue
            _string_id(award)
            _as_array(award, "suppliers")
            for supplier in _objects(award.get("suppliers")):
                self._organisation(supplier, self.tenderer_prefix)
            for item in _objects(award.get("items")):
                classification = item.get("classification")
                _string_id(classification)
                if (
                    isinstance(classification, dict)
                    and self.scheme
                    and classification.get("scheme") is None
                ):
                    classification["scheme"] = self.scheme
            if self.by_contract_status and "id" in award:
                related = [c for c in contracts if c.get("awardID") == award["id"]]
                if related and all(c.get("status") == "cancelled" for c in related):
                    award["status"] = "cancelled"
            problem = self._status(award, self.award_codes, self.award_status, AWARD_STATUSES)
            if problem is not None:
                issue("/awards[]/status", str(index), problem[0], problem[1])

    def _roles(self, document: dict[str, Any]) -> None:
        wanted: dict[str, list[str]] = {}

        def add(reference: Any, role: str) -> None:
            if isinstance(reference, dict) and isinstance(reference.get("id"), str):
                roles = wanted.setdefault(reference["id"], [])
                if role not in roles:
                    roles.append(role)

        add(document.get("buyer"), "buyer")
        tender = document.get("tender")
        if isinstance(tender, dict):
            add(tender.get("procuringEntity"), "procuringEntity")
        bids = document.get("bids")
        for bid in _objects(bids.get("details") if isinstance(bids, dict) else None):
            for tenderer in _objects(bid.get("tenderers")):
                add(tenderer, "tenderer")
        for award in _objects(document.get("awards")):
            for supplier in _objects(award.get("suppliers")):
                add(supplier, "supplier")
        for party in _objects(document.get("parties")):
            roles = party.get("roles")
            if not isinstance(roles, list):
                roles = party["roles"] = []
            for role in wanted.get(party.get("id"), []):  # type: ignore[arg-type]
                if role not in roles:
                    roles.append(role)


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def issue_row(issue: Issue) -> str:
    """One CSV row, e.g. ``1,"ocds-213czf-1",/bids/details[]/status,0,,not set``."""
    line, ocid, path, indexes, value, description = issue
    shown = "" if value is None else _json(value)
    return f"{line},{_json(ocid)},{path},{indexes},{shown},{description}"


def _open(name: str, stdout: Any) -> tuple[IO[bytes], bool]:
    if name == "-":
        return stdout.buffer if hasattr(stdout, "buffer") else sys.stdout.buffer, False
    return Path(name).open("wb"), True


def run(
    source: Source, settings: Settings, output: str, errors: str, stdout: Any, stderr: Any
) -> int:
    """Prepare ``source`` into ``output`` with issues in ``errors``; returns the exit status."""
    if isinstance(source, (str, os.PathLike)):
        check_file(source)  # before the outputs are created: a bad input writes nothing
    preparer = Preparer(settings)
    out, close_out = _open(output, stdout)
    err, close_err = _open(errors, stdout)
    try:
        offset = 0
        for data in blocks(source):
            for number, raw in enumerate(data.split(b"\n"), start=offset + 1):
                if not raw.strip():
                    continue
                try:
                    document = orjson.loads(raw)
                except orjson.JSONDecodeError as exc:
                    stderr.write(f"WARN Line {number} is invalid JSON, skipping. [{exc}]\n")
                    continue
                issues: list[Issue] = []
                if isinstance(document, dict):
                    preparer.release(document, number, issues)
                out.write(orjson.dumps(document) + b"\n")
                for issue in issues:
                    err.write(issue_row(issue).encode() + b"\n")
            offset += data.count(b"\n")
    finally:
        out.flush()
        err.flush()
        if close_out:
            out.close()
        if close_err:
            err.close()
    return 0
