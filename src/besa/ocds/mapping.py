"""Logbook entries as OCDS releases; releases as records and packages. Pure.

Each entry becomes exactly one release: the **difference the entry made** to the contract's
OCDS projection (``besa.ocds.projection.project`` of the state before and after it). Objects
in arrays carry their ``id`` (plus the fields OCDS requires of them) and only their changed
fields, so that ocdsmerge, merging by ``id`` in date order, compiles the releases back into the
projection of the final state. A consequence that matters: a rectification re-emits every
value it changed (an invoice's receipt date, a contract's value…), so the compiled release
shows the corrected values, and the versioned release keeps the wrong and the right one.

An object that a correction makes disappear (a mistyped CFDI UUID, say) cannot be deleted
from a compiled release: OCDS merges never remove array items. Its fields are nulled instead,
leaving an ``{"id": …}`` stub.

The release ``id`` is the entry's id (unique per ocid and traceable to the logbook); ``date``
is the entry's ``recorded_at`` in UTC, held non-decreasing along the sequence so that
ocdsmerge's date-ordered merge follows the logbook's order even if the server clock stepped
back. Tags: see ``TAGS`` and ``_tags()``.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import ocdsmerge

from besa.logbook import state as snapshot
from besa.ocds.projection import project
from besa.ocds.schema import OCDS_VERSION, extension_urls, merge_rules, merger

__all__ = [
    "TAGS",
    "compile_release",
    "record",
    "record_package",
    "release",
    "release_package",
    "releases",
]

#: The tags of each kind's release (a rescission is a termination only when it rescinds).
TAGS: dict[str, tuple[str, ...]] = {
    "registration": ("award", "contract"),
    "budget_sufficiency": ("planningUpdate",),
    "guarantee": ("contractUpdate",),
    "deliverable_schedule": ("implementation",),
    "delivery": ("implementationUpdate",),
    "invoice": ("implementationUpdate",),
    "invoice_status": ("implementationUpdate",),
    "payment": ("implementationUpdate",),
    "penalty": ("implementationUpdate",),
    "deduction": ("implementationUpdate",),
    "amendment": ("contractAmendment",),
    "suspension": ("contractUpdate",),
    "early_termination": ("contractTermination",),
    "rescission": ("contractUpdate",),
    "closure": ("contractTermination",),
    "document": ("contractUpdate",),
    # Audit steps change nothing OCDS publishes (their content is reserved): an empty update.
    "audit_opened": ("contractUpdate",),
    "audit_step": ("contractUpdate",),
    "audit_request": ("contractUpdate",),
    "audit_answer": ("contractUpdate",),
    "audit_finding": ("contractUpdate",),
    "audit_referral": ("contractUpdate",),
}
_UPDATE = {
    "planning": "planningUpdate",
    "tender": "tenderUpdate",
    "award": "awardUpdate",
    "contract": "contractUpdate",
    "implementation": "implementationUpdate",
}
#: Tags that already announce changes to each section; another section touched by the entry
#: (a delivery that starts the implementation, say) adds its own tag.
#: A registration's ``award`` covers the procedure summary in ``tender`` (method, category),
#: and a new ``contract`` its implementation status.
_COVERS = {
    "planning": {"planning", "planningUpdate"},
    "tender": {"tender", "tenderUpdate", "award"},
    "award": {"award", "awardUpdate"},
    "contract": {"contract", "contractUpdate", "contractAmendment", "contractTermination"},
    "implementation": {
        "implementation", "implementationUpdate", "contractTermination", "contract",
    },
}  # fmt: skip
#: Fields that OCDS requires of an object, emitted whenever the object is.
_REQUIRED: dict[tuple[str, ...], tuple[str, ...]] = {
    ("contracts",): ("awardID",),
    ("tender",): ("id",),
}


def release(
    entry: Mapping[str, Any],
    state_before: Mapping[str, Any] | None,
    *,
    zone: dt.tzinfo | None = None,
) -> dict[str, Any]:
    """The OCDS release of ``entry``, appended to a contract in ``state_before``.

    ``state_before`` is the state the entry was appended to (``None`` or the initial state
    for a registration). ``zone`` is the jurisdiction's time zone for calendar days (UTC if
    not given); it must be the same for every release of a record. Valid on its own in a
    release package. To publish a whole history, ``releases`` is faster.
    """
    before = state_before if state_before is not None else snapshot.initial_state(entry["ocid"])
    after = snapshot.apply(before, entry)
    return _release(entry, before, project(before, zone), project(after, zone))


def releases(
    entries: Iterable[Mapping[str, Any]], *, zone: dt.tzinfo | None = None
) -> list[dict[str, Any]]:
    """The releases of a contract's whole history (entries in sequence order), folding once;
    equal to calling ``release`` on each entry with the state before it."""
    out: list[dict[str, Any]] = []
    folding: snapshot.Fold | None = None
    previous: dict[str, Any] = {}
    for entry in entries:
        if folding is None:
            folding = snapshot.Fold(snapshot.initial_state(entry["ocid"]))
        # What the release needs of the state before the entry, read before folding it in
        # (only a rectification looks an earlier entry up).
        correcting = entry["kind"] == "rectification"
        context = {
            "last_recorded_at": folding.state["last_recorded_at"],
            "entry_ids": dict(folding.state["entry_ids"]) if correcting else {},
        }
        current = project(folding.add(entry), zone)
        out.append(_release(entry, context, previous, current))
        previous = current
    return out


def _release(
    entry: Mapping[str, Any],
    before: Mapping[str, Any],
    previous: Mapping[str, Any],
    current: Mapping[str, Any],
) -> dict[str, Any]:
    """The release of ``entry``: ``before`` is the state it was appended to (only its
    ``last_recorded_at`` and ``entry_ids`` are read); ``previous`` and ``current`` are the
    projections before and after it."""
    changes = _diff(previous, current, ())
    return {
        "ocid": entry["ocid"],
        "id": str(entry["id"]),
        "date": _date(entry, before),
        "tag": _tags(entry, before, changes, previous),
        "initiationType": "tender",
        "language": "es",
        **changes,
    }


def _date(entry: Mapping[str, Any], before: Mapping[str, Any]) -> str:
    recorded = dt.datetime.fromisoformat(entry["recorded_at"])
    last = before.get("last_recorded_at")
    if last is not None:
        recorded = max(recorded, dt.datetime.fromisoformat(last))
    return recorded.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _tags(
    entry: Mapping[str, Any],
    before: Mapping[str, Any],
    changes: Mapping[str, Any],
    previous: Mapping[str, Any],
) -> list[str]:
    """The release tags of ``entry``: its kind's (``TAGS``), then one per other section it
    changed (first time: the section's tag, e.g. ``tender``; later: its update tag).

    A rectification takes its corrected kind's tags in their update form (``award`` →
    ``awardUpdate``); a rescission resolution that rescinds is a ``contractTermination``.
    """
    kind, payload = entry["kind"], entry["payload"]
    if kind == "rectification":
        corrected_kind = before["entry_ids"][payload["corrects"]]["kind"]
        base = [_UPDATE.get(t, t) for t in _kind_tags(corrected_kind, payload["payload"])]
    else:
        base = list(_kind_tags(kind, payload))
    for section in ("planning", "tender", "award", "contract", "implementation"):
        if _touches(changes, section) and not _COVERS[section] & set(base):
            first = not _touches(previous, section)
            base.append(section if first else _UPDATE[section])
    return list(dict.fromkeys(base))


def _kind_tags(kind: str, payload: Mapping[str, Any]) -> tuple[str, ...]:
    if kind == "rescission" and payload.get("decision") == "rescinded":
        return ("contractTermination",)
    return TAGS[kind]


def _touches(release_body: Mapping[str, Any], section: str) -> bool:
    if section in ("planning", "tender"):
        return section in release_body
    if section == "award":
        return "awards" in release_body
    contracts = release_body.get("contracts", [])
    if section == "implementation":
        return any("implementation" in c for c in contracts)
    return any(set(c) - {"id", "awardID", "implementation"} for c in contracts)


# --- The difference between two projections -----------------------------------------------


def _diff(
    before: Mapping[str, Any], after: Mapping[str, Any], path: tuple[str, ...]
) -> dict[str, Any]:
    """What to put in a release to turn compiled ``before`` into ``after`` (as ocdsmerge
    merges: objects field by field, arrays of objects by ``id``, other values whole)."""
    out: dict[str, Any] = {}
    for key in [*after, *(k for k in before if k not in after)]:
        field = (*path, key)
        if key not in after:
            out[key] = _retracted(before[key])
            continue
        new, old = after[key], before.get(key)
        if _is_object_array(new) or _is_object_array(old):
            items = _diff_items(old or [], new, field)
            if items:
                out[key] = items
        elif isinstance(new, dict):
            changed = _diff(old if isinstance(old, dict) else {}, new, field)
            if changed:
                out[key] = _with_required(changed, new, field)
        elif new != old:
            out[key] = copy.deepcopy(new)
    return out


def _diff_items(
    before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]], path: tuple[str, ...]
) -> list[dict[str, Any]]:
    old_by_id = {item["id"]: item for item in before}
    new_ids = {item["id"] for item in after}
    items = []
    for item in after:
        old = old_by_id.get(item["id"])
        changed = _diff(old or {}, item, path)
        if old is None or changed:
            items.append(_with_required({"id": item["id"], **changed}, item, path))
    items += [_retracted(item) for item in before if item["id"] not in new_ids]
    return items


def _with_required(
    changed: dict[str, Any], full: Mapping[str, Any], path: tuple[str, ...]
) -> dict[str, Any]:
    for name in _REQUIRED.get(path, ()):
        changed.setdefault(name, full[name])
    return changed


def _is_object_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _retracted(value: Any) -> Any:
    """Null every field of ``value`` but its ids (ids are not nullable and key the merge)."""
    if isinstance(value, dict):
        return {k: (v if k == "id" else _retracted(v)) for k, v in value.items()}
    if _is_object_array(value):
        return [_retracted(item) for item in value]
    return None


# --- Records and packages -----------------------------------------------------------------


def record(ocid: str, releases: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The OCDS record of ``ocid``: its releases (embedded), compiled and versioned release.

    Merged by ocdsmerge with the vendored schema's rules (``besa.ocds.schema.merger``); the
    result shares no object with ``releases``.
    """
    items = [dict(r) for r in releases]
    return {
        "ocid": ocid,
        "releases": copy.deepcopy(items),
        "compiledRelease": copy.deepcopy(merger().create_compiled_release(items)),
        "versionedRelease": copy.deepcopy(merger().create_versioned_release(items)),
    }


def compile_release(
    compiled: Mapping[str, Any] | None, release: Mapping[str, Any]
) -> dict[str, Any]:
    """The compiled release after merging one more ``release`` into ``compiled`` (``None`` for
    the first): O(1 release), equal to merging all releases at once when they come in date
    order, as the logbook's do."""
    merged = ocdsmerge.CompiledRelease(
        copy.deepcopy(dict(compiled)) if compiled is not None else None,
        merge_rules=merge_rules(),
    )
    merged.append(copy.deepcopy(dict(release)))
    return copy.deepcopy(merged.asdict())


def _package(
    key: str,
    items: Sequence[Mapping[str, Any]],
    published_date: str | dt.datetime,
    publisher_name: str,
    uri: str,
) -> dict[str, Any]:
    if isinstance(published_date, dt.datetime):
        published_date = published_date.isoformat()
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": extension_urls(),
        "publishedDate": published_date,
        "publisher": {"name": publisher_name},
        key: [dict(item) for item in items],
    }


def release_package(
    releases: Sequence[Mapping[str, Any]],
    *,
    published_date: str | dt.datetime,
    publisher_name: str,
    uri: str,
) -> dict[str, Any]:
    """A release package (OCDS 1.1, with BESA's extensions) of ``releases``.

    ``published_date`` needs a UTC offset; ``uri`` must be absolute.
    """
    return _package("releases", releases, published_date, publisher_name, uri)


def record_package(
    records: Sequence[Mapping[str, Any]],
    *,
    published_date: str | dt.datetime,
    publisher_name: str,
    uri: str,
) -> dict[str, Any]:
    """A record package (OCDS 1.1, with BESA's extensions) of ``records``."""
    return _package("records", records, published_date, publisher_name, uri)
