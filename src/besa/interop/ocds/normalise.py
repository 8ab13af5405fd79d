"""Lenient normalisation of real-world releases, reporting every repair. Pure.

What real Mexican publishers do and what we do about it (each becomes an ``Issue``):

- an ocid without an OCP prefix (GACM publishes bare numbers): prefixed with the publisher's
  slug, ``<publisher>-<ocid>``, so that two publishers' ``108`` never meet (repaired);
- an ocid or id given as a number: made a string (repaired); no ocid: the item is skipped;
- no release ``id`` or ``date``: a stable id from the ocid and position; an empty date, which
  orders the release first when merging (repaired);
- numbers as strings in ``amount`` (``"1,234.50"``, ``"$ 100"``): parsed (repaired) or
  dropped when unparseable (skipped);
- OCDS 1.0's single ``amendment`` object: moved into ``amendments`` (repaired);
- fields outside the OCDS release schema and its extensions (INAI's ``clave_procedimiento``):
  kept in the imported process, not mapped (kept; reported once per field name and item).

A record yields its ``compiledRelease`` when it has one, else its embedded releases (linked
releases, which carry only a ``url``, cannot be imported offline and are skipped).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from besa.interop.ocds.reader import Item
from besa.interop.ocds.report import Action, Issue
from besa.ocds.schema import release_schema

#: An ocid with a prefix as OCP assigns them (upper case is tolerated: CDMX uses it).
_PREFIXED = re.compile(r"^ocds-[a-z0-9]{6}-", re.IGNORECASE)
_NOT_NUMBER = re.compile(r"[^0-9.\-]")


@dataclass
class Normalised:
    """One release ready to spill: ``compiled`` when it is a record's compiled release."""

    ocid: str
    release: dict[str, Any]
    compiled: bool
    line: int | None
    path: str


@dataclass
class Normaliser:
    """Normalises the items of one file. Bare ocids are prefixed with the slug of
    ``publisher`` if given, else of the package's or record's publisher name, else ``ocds``;
    ``issues`` collects what was skipped, repaired or kept."""

    file: str
    publisher: str | None = None
    issues: list[Issue] = field(default_factory=list)
    slug: str = "ocds"

    def note(self, item: Item, path: str, action: Action, reason: str) -> None:
        self.issues.append(Issue(self.file, item.line, path, action, reason))

    def items(self, item: Item) -> Iterator[Normalised]:
        """The releases of one read item (a release, or a record's compiled release or
        releases), normalised."""
        data, base = item.data, item.path
        named = self.publisher or item.publisher
        if named is None and isinstance(data, dict) and isinstance(data.get("publisher"), dict):
            named = data["publisher"].get("name")
        self.slug = slug(named) if isinstance(named, str) and named.strip() else "ocds"
        if not isinstance(data, dict):
            self.note(item, base, "skipped", "no es un objeto JSON / not a JSON object")
            return
        if "compiledRelease" in data or "versionedRelease" in data or "releases" in data:
            yield from self._record(item, data, base)
            return
        compiled = "compiled" in (data.get("tag") or [])
        normalised = self.release(item, data, base, compiled=compiled)
        if normalised is not None:
            yield normalised

    def _record(self, item: Item, record: dict[str, Any], base: str) -> Iterator[Normalised]:
        prefix = f"{base}." if base else ""
        compiled = record.get("compiledRelease")
        if isinstance(compiled, dict):
            if "ocid" not in compiled and record.get("ocid") is not None:
                compiled = {**compiled, "ocid": record["ocid"]}
            found = self.release(item, compiled, f"{prefix}compiledRelease", compiled=True)
            if found is not None:
                yield found
            return
        releases = record.get("releases")
        if not isinstance(releases, list) or not releases:
            self.note(
                item,
                base,
                "skipped",
                "registro sin compiledRelease ni releases / "
                "record without compiledRelease or releases",
            )
            return
        for index, release in enumerate(releases):
            path = f"{prefix}releases[{index}]"
            if isinstance(release, dict) and set(release) <= {"url", "date", "tag"}:
                self.note(
                    item,
                    path,
                    "skipped",
                    "release enlazado (solo url) / linked "
                    "release (url only): not fetched, nothing is downloaded",
                )
                continue
            if isinstance(release, dict) and "ocid" not in release and "ocid" in record:
                release = {**release, "ocid": record["ocid"]}
            found = self.release(item, release, path, compiled=False)
            if found is not None:
                yield found

    def release(self, item: Item, release: Any, path: str, *, compiled: bool) -> Normalised | None:
        """``release`` normalised (a modified copy), or ``None`` when it must be skipped."""
        if not isinstance(release, dict):
            self.note(item, path, "skipped", "el release no es un objeto / not an object")
            return None
        release = dict(release)
        at = f"{path}." if path else ""
        ocid = release.get("ocid")
        if isinstance(ocid, int | float) and not isinstance(ocid, bool):
            ocid = str(int(ocid)) if float(ocid).is_integer() else str(ocid)
            self.note(
                item,
                f"{at}ocid",
                "repaired",
                "ocid numérico convertido a texto / numeric ocid made a string",
            )
        if not isinstance(ocid, str) or not ocid.strip():
            self.note(item, f"{at}ocid", "skipped", "release sin ocid / release without ocid")
            return None
        ocid = ocid.strip()
        if not _PREFIXED.match(ocid):
            fixed = f"{self.slug}-{ocid}"
            self.note(
                item,
                f"{at}ocid",
                "repaired",
                f"ocid sin prefijo OCDS / ocid without "
                f"an OCDS prefix: {ocid!r} imported as {fixed!r}",
            )
            ocid = fixed
        release["ocid"] = ocid
        if not isinstance(release.get("id"), str) or not release["id"]:
            given = release.get("id")
            release["id"] = str(given) if given not in (None, "") else f"{ocid}-{path or 0}"
            self.note(
                item,
                f"{at}id",
                "repaired",
                f"id de release ausente o no textual / "
                f"missing or non-string release id: now {release['id']!r}",
            )
        if not isinstance(release.get("date"), str):
            release["date"] = ""
            self.note(
                item,
                f"{at}date",
                "repaired",
                "release sin fecha: se ordena primero / "
                "release without a date: ordered first when merging",
            )
        self._fields(item, release, at)
        self._walk(item, release, path)
        return Normalised(ocid, release, compiled, item.line, path)

    def _fields(self, item: Item, release: dict[str, Any], at: str) -> None:
        known = _release_fields()
        for name in release:
            if name not in known:
                self.note(
                    item,
                    f"{at}{name}",
                    "kept",
                    "campo no estándar: se guarda, no se "
                    "mapea / non-standard field: kept, not mapped",
                )

    def _walk(self, item: Item, value: Any, path: str) -> None:
        """Repair in place, at any depth: string amounts, numeric ids, OCDS 1.0 amendment."""
        if isinstance(value, list):
            for index, element in enumerate(value):
                self._walk(item, element, f"{path}[{index}]")
            return
        if not isinstance(value, dict):
            return
        at = f"{path}." if path else ""
        amount = value.get("amount")
        if isinstance(amount, str):
            parsed = _number(amount)
            if parsed is None:
                del value["amount"]
                self.note(
                    item,
                    f"{at}amount",
                    "skipped",
                    f"importe no numérico / amount is not a number: {amount!r}",
                )
            else:
                value["amount"] = parsed
                self.note(
                    item,
                    f"{at}amount",
                    "repaired",
                    f"importe como texto / amount given as a string: {amount!r}",
                )
        ident = value.get("id")
        if isinstance(ident, int | float) and not isinstance(ident, bool) and path:
            value["id"] = str(int(ident)) if float(ident).is_integer() else str(ident)
            self.note(
                item,
                f"{at}id",
                "repaired",
                "id numérico convertido a texto / numeric id made a string",
            )
        single = value.get("amendment")
        if isinstance(single, dict) and "amendments" not in value:
            value["amendments"] = [{"id": str(single.get("id", "1")), **single}]
            del value["amendment"]
            self.note(
                item,
                f"{at}amendment",
                "repaired",
                "OCDS 1.0: amendment pasa a amendments / OCDS 1.0 amendment moved into amendments",
            )
        for key, child in value.items():
            if isinstance(child, dict | list):
                self._walk(item, child, f"{at}{key}")


def _number(text: str) -> float | None:
    cleaned = _NOT_NUMBER.sub("", text.replace(",", ""))
    try:
        return float(cleaned) if cleaned else None
    except ValueError:
        return None


@functools.cache
def _release_fields() -> frozenset[str]:
    return frozenset(release_schema()["properties"])


def slug(name: str) -> str:
    """A publisher's name as an ocid prefix: lower case, ASCII letters, digits and dashes."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return cleaned or "ocds"
