"""The OCDS 1.1.5 schema patched with BESA's extensions, and validation against it.

Everything is read from the files vendored in ``besa/ocds/schema/`` (see its README.md);
nothing here touches the network. The release schema is patched with the extensions in
``EXTENSIONS`` by JSON Merge Patch (RFC 7386), in memory, once per process.

Cached results (``release_schema()``, ``merge_rules()``, ``merger()``, …) are shared objects:
callers must not mutate them (``copy.deepcopy`` first if a changed copy is needed).

Validation follows OCDS 1.1: JSON Schema draft 4, with the ``date-time`` and ``uri`` formats
checked by this module (jsonschema's own checkers for them need optional packages and are
silently skipped without them).
"""

from __future__ import annotations

import copy
import datetime
import functools
import json
import re
import reprlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jsonschema
import ocdsmerge
import orjson
from jsonschema.exceptions import ValidationError
from ocdsmerge.rules import MergeRules, get_merge_rules
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

__all__ = [
    "EXTENSIONS",
    "OCDS_VERSION",
    "RECORD_PACKAGE_SCHEMA_URL",
    "RELEASE_PACKAGE_SCHEMA_URL",
    "RELEASE_SCHEMA_URL",
    "VERSIONED_RELEASE_SCHEMA_URL",
    "ValidationIssue",
    "extension_urls",
    "make_versioned_release_schema",
    "merge_patch",
    "merge_rules",
    "merger",
    "record_package_schema",
    "registry",
    "release_package_schema",
    "release_schema",
    "validate_record_package",
    "validate_release",
    "validate_release_package",
    "versioned_release_schema",
]

#: The value of a package's ``version`` field (OCDS uses major.minor only).
OCDS_VERSION = "1.1"

_BASE_URL = "https://standard.open-contracting.org/schema/1__1__5/"
#: Canonical ids of the OCDS 1.1.5 schemas. Package schemas ``$ref`` the other two by these
#: ids; ``registry()`` maps them to BESA's patched versions.
RELEASE_SCHEMA_URL = _BASE_URL + "release-schema.json"
RELEASE_PACKAGE_SCHEMA_URL = _BASE_URL + "release-package-schema.json"
RECORD_PACKAGE_SCHEMA_URL = _BASE_URL + "record-package-schema.json"
VERSIONED_RELEASE_SCHEMA_URL = _BASE_URL + "versioned-release-validation-schema.json"

#: The extensions BESA publishes with, in the order their patches are applied. Each name is
#: a folder under ``schema/extensions/``.
EXTENSIONS: tuple[str, ...] = (
    "guarantees",
    "performance_failures",
    "contract_completion",
    "implementationStatus",
)

# Public extension.json URLs, from OCP's extension registry (extension_versions.csv at
# 1b146c2e): consumers resolve extensions through the registry, so we declare its URLs
# rather than the vendored commits. The registry only lists `master` for these four.
_EXTENSION_URLS: dict[str, str] = {
    "guarantees": "https://raw.githubusercontent.com/contratacionesabiertas/"
    "ocds_guarantees_extension/master/extension.json",
    "performance_failures": "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_performance_failures_extension/master/extension.json",
    "contract_completion": "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_contract_completion_extension/master/extension.json",
    "implementationStatus": "https://raw.githubusercontent.com/contratacionesabiertas/"
    "ocds_implementationStatus_extension/master/extension.json",
}


def extension_urls() -> list[str]:
    """Return the public extension.json URLs of ``EXTENSIONS``, in order.

    This is the value for ``extensions`` in BESA's release and record packages. The list is
    a fresh copy on each call.
    """
    return [_EXTENSION_URLS[name] for name in EXTENSIONS]


# --- JSON Merge Patch ---------------------------------------------------------------------


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply ``patch`` to ``target`` as a JSON Merge Patch (RFC 7386) and return the result.

    Neither argument is modified and the result shares no mutable object with them. As in
    the RFC: an object patch merges key by key, a ``None`` (JSON null) member deletes the key,
    and any other patch value (arrays included) replaces the target wholesale.
    """
    return _merge_patch_in_place(copy.deepcopy(target), patch)


def _merge_patch_in_place(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if not isinstance(target, dict):
        target = {}
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = _merge_patch_in_place(target.get(key), value)
    return target


# --- Schemas ------------------------------------------------------------------------------


def _read_json(*parts: str) -> dict[str, Any]:
    # importlib.resources rather than __file__, so the data also loads from a zipped install.
    path = resources.files("besa.ocds").joinpath("schema", *parts)
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@functools.cache
def release_schema() -> dict[str, Any]:
    """Return the OCDS 1.1.5 release schema patched with ``EXTENSIONS`` (cached; don't mutate).

    It keeps the 1.1.5 ``id`` (``RELEASE_SCHEMA_URL``) so that the package schemas'
    ``$ref`` to that id resolve to it through ``registry()``.
    """
    schema = _read_json("release-schema.json")
    for name in EXTENSIONS:
        schema = merge_patch(schema, _read_json("extensions", name, "release-schema.json"))
    return schema


@functools.cache
def release_package_schema() -> dict[str, Any]:
    """Return the OCDS 1.1.5 release package schema, as vendored (cached; don't mutate).

    Its ``releases`` items ``$ref`` ``RELEASE_SCHEMA_URL``: validate with ``registry()``
    (as ``validate_release_package`` does) so that the reference resolves to the patched
    ``release_schema()`` offline, not to the unpatched schema on the web.
    """
    return _read_json("release-package-schema.json")


@functools.cache
def record_package_schema() -> dict[str, Any]:
    """Return the OCDS 1.1.5 record package schema, as vendored (cached; don't mutate).

    It ``$ref``s ``RELEASE_SCHEMA_URL`` (embedded releases, ``compiledRelease``) and
    ``VERSIONED_RELEASE_SCHEMA_URL`` (``versionedRelease``): validate with ``registry()``,
    which maps them to ``release_schema()`` and ``versioned_release_schema()``.
    """
    return _read_json("record-package-schema.json")


@functools.cache
def registry() -> Registry[Any]:
    """Return a ``referencing.Registry`` holding the four schemas under their 1.1.5 ids.

    The release and versioned-release entries are BESA's patched versions. The registry
    has no retriever: an unknown reference raises instead of being fetched from the web.
    """
    documents = (
        release_schema(),
        versioned_release_schema(),
        release_package_schema(),
        record_package_schema(),
    )
    resources_: list[tuple[str, Resource[Any]]] = [
        (document["id"], DRAFT4.create_resource(document)) for document in documents
    ]
    return Registry().with_resources(resources_)


# --- Versioned release validation schema ------------------------------------------------
#
# OCP generates versioned-release-validation-schema.json from the release schema; the vendored
# copy knows nothing of our extensions. It sets no `additionalProperties: false`, so extension
# fields in a versionedRelease would pass unchecked. We therefore regenerate it from the
# patched release schema with the rules below, which were derived from the published 1.1.5
# file; tests check that they reproduce that file exactly from the unpatched release schema.
#
# - A field becomes an array of {releaseDate, releaseID, releaseTag, value}, with `value`
#   holding the field's own schema; the three commonest value schemas become shared
#   definitions (StringNullVersioned, StringNullDateTimeVersioned, StringNullUriVersioned).
# - Not versioned: `ocid`; object fields (their members are, via properties or $ref); arrays
#   of objects, which ocdsmerge merges by `id` (their items are, via their definition); and
#   the `id` of a definition used as such array items, since ocdsmerge matches on it.
# - A (non-deprecated) $ref to such a definition outside an array points to a copy whose `id`
#   is versioned, "<Name>VersionedId", because ocdsmerge versions that id there.
# - $refs inside a versioned value point to "<Name>Unversioned" copies: the whole value is
#   stored per version (wholeListMerge arrays such as additionalIdentifiers).
# - Fields that ocdsmerge omits (`omitWhenMerged`) are dropped; titles, descriptions,
#   `default` and the merge keywords are removed; `deprecated`, codelists and constraints stay.

_DROPPED_KEYWORDS = frozenset(
    {"title", "description", "default", "omitWhenMerged", "wholeListMerge", "versionId"}
)
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions")
_DEFINITION_REF = "#/definitions/"


def _versioned(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "releaseDate": {"format": "date-time", "type": "string"},
                "releaseID": {"type": "string"},
                "value": value,
                "releaseTag": {"type": "array", "items": {"type": "string"}},
            },
        },
    }


_COMMON_VERSIONED: dict[str, dict[str, Any]] = {
    "StringNullVersioned": {"type": ["string", "null"]},
    "StringNullDateTimeVersioned": {"type": ["string", "null"], "format": "date-time"},
    "StringNullUriVersioned": {"type": ["string", "null"], "format": "uri"},
}


def _types(schema: dict[str, Any]) -> list[str]:
    declared = schema.get("type", [])
    return [declared] if isinstance(declared, str) else list(declared)


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_DEFINITION_REF):
        return ref[len(_DEFINITION_REF) :]
    return None


def _strip(schema: dict[str, Any]) -> dict[str, Any]:
    """Copy a (sub)schema without documentation and merge keywords, at every level."""
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _DROPPED_KEYWORDS:
            continue
        if key in _SCHEMA_MAPS:
            out[key] = {name: _strip(sub) for name, sub in value.items()}
        elif key == "items" and isinstance(value, dict):
            out[key] = _strip(value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _point_refs_to(schema: Any, suffix: str, seen: set[str]) -> Any:
    """Rewrite every definition $ref in ``schema`` to ``<Name><suffix>``; collect the names."""
    if isinstance(schema, list):
        return [_point_refs_to(item, suffix, seen) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _point_refs_to(value, suffix, seen) for key, value in schema.items()}
    name = _ref_name(schema)
    if name is not None:
        seen.add(name)
        out["$ref"] = _DEFINITION_REF + name + suffix
    return out


def _is_array_of_objects(schema: dict[str, Any]) -> bool:
    items = schema.get("items")
    return (
        "array" in _types(schema)
        and isinstance(items, dict)
        and (_ref_name(items) is not None or _types(items) == ["object"])
    )


def _identifier_merged(release: dict[str, Any]) -> set[str]:
    """Names of definitions used as items of arrays that ocdsmerge merges by ``id``."""
    definitions = release["definitions"]
    names: set[str] = set()

    def visit(schema: Any) -> None:
        if isinstance(schema, list):
            for item in schema:
                visit(item)
            return
        if not isinstance(schema, dict):
            return
        if not schema.get("wholeListMerge") and _is_array_of_objects(schema):
            name = _ref_name(schema["items"])
            if name is not None and "id" in definitions[name].get("properties", {}):
                names.add(name)
        for value in schema.values():
            visit(value)

    visit(release)
    return names


class _VersionedSchemaBuilder:
    def __init__(self, release: dict[str, Any]) -> None:
        self.release = release
        self.definitions: dict[str, Any] = release["definitions"]
        self.identifier_merged = _identifier_merged(release)
        self.versioned_id: set[str] = set()  # definitions that need a <Name>VersionedId copy
        self.unversioned: set[str] = set()  # definitions that need a <Name>Unversioned copy
        self.common: set[str] = set()

    def build(self) -> dict[str, Any]:
        release = self.release
        omitted = {k for k, v in release["properties"].items() if v.get("omitWhenMerged")}
        properties = {k: v for k, v in release["properties"].items() if k not in omitted}
        ocid = properties.pop("ocid")
        schema: dict[str, Any] = {
            "id": VERSIONED_RELEASE_SCHEMA_URL,
            "$schema": release["$schema"],
            "title": "Schema for a compiled, versioned Open Contracting Release.",
            "description": release["description"],
            "type": release["type"],
            "properties": {**self._properties(properties, False), "ocid": _strip(ocid)},
            "required": [name for name in release["required"] if name not in omitted],
        }
        definitions = {
            name: self._definition(definition, name in self.identifier_merged)
            for name, definition in self.definitions.items()
        }
        for name in sorted(self.versioned_id):
            definitions[name + "VersionedId"] = self._definition(self.definitions[name], False)
        # Unversioned copies can reference further definitions: close over them.
        done: set[str] = set()
        while pending := self.unversioned - done:
            for name in sorted(pending):
                done.add(name)
                definitions[name + "Unversioned"] = _point_refs_to(
                    _strip(self.definitions[name]), "Unversioned", self.unversioned
                )
        for name in sorted(self.common):
            definitions[name] = _versioned(_COMMON_VERSIONED[name])
        schema["definitions"] = definitions
        return schema

    def _definition(self, definition: dict[str, Any], unversioned_id: bool) -> dict[str, Any]:
        out = _strip(definition)
        if "properties" in definition:
            out["properties"] = self._properties(definition["properties"], unversioned_id)
        return out

    def _properties(self, properties: dict[str, Any], unversioned_id: bool) -> dict[str, Any]:
        return {
            name: self._field(field, unversioned=unversioned_id and name == "id")
            for name, field in properties.items()
        }

    def _field(self, field: dict[str, Any], unversioned: bool) -> dict[str, Any]:
        stripped = _strip(field)
        if unversioned:
            return stripped
        ref = _ref_name(field)
        if ref is not None:
            if ref in self.identifier_merged and "deprecated" not in field:
                self.versioned_id.add(ref)
                stripped["$ref"] = _DEFINITION_REF + ref + "VersionedId"
            return stripped
        types = _types(field)
        if "object" in types and "properties" in field:
            stripped["properties"] = self._properties(field["properties"], False)
            return stripped
        if not field.get("wholeListMerge") and _is_array_of_objects(field):
            items_ref = _ref_name(field["items"])
            # ocdsmerge whole-list merges arrays of objects without an `id`, so those of a
            # definition without one are versioned whole, below. Inline ones are left as they
            # are, as the 1.1.5 file does (its only case: the deprecated Amendment.changes).
            if items_ref is None or items_ref in self.identifier_merged:
                return stripped
        value = _point_refs_to(stripped, "Unversioned", self.unversioned)
        for name, common in _COMMON_VERSIONED.items():
            if value == common:
                self.common.add(name)
                return {"$ref": _DEFINITION_REF + name}
        return _versioned(value)


def make_versioned_release_schema(release: dict[str, Any]) -> dict[str, Any]:
    """Derive a versioned release validation schema from an OCDS 1.1 release schema.

    Applied to the unpatched 1.1.5 release schema, the result equals OCP's published
    versioned-release-validation-schema.json. ``release`` is not modified.
    """
    return _VersionedSchemaBuilder(release).build()


@functools.cache
def versioned_release_schema() -> dict[str, Any]:
    """Return the versioned release validation schema for ``release_schema()`` (cached).

    It is regenerated from the patched release schema so that ``versionedRelease`` values
    of extension fields are checked too; its id is ``VERSIONED_RELEASE_SCHEMA_URL``.
    """
    return make_versioned_release_schema(release_schema())


# --- Validation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidationIssue:
    """One reason a document fails validation.

    ``path`` is the location of the offending value, its keys and array indices joined by
    ``/`` (e.g. ``releases/0/contracts/0/value/amount``; ``""`` for the document itself).
    For a missing required field, it is the object's path, and ``message`` names the field.
    """

    path: str
    message: str


# RFC 3339 `date-time` (what OCDS means by it): a full date, time and UTC offset. re.ASCII
# because \d would otherwise match any Unicode digit.
_DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))\Z",
    re.ASCII,
)
# RFC 3986 URI: a scheme, then only URI characters and well-formed percent-escapes. Relative
# references, spaces and raw non-ASCII characters (IRIs) are rejected, as OCP's tools do.
_URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*\Z"
)


def _is_date_time(instance: object) -> bool:
    if not isinstance(instance, str):
        return True  # `format` only constrains strings
    match = _DATE_TIME.match(instance)
    if match is None:
        return False
    year, month, day, hour, minute, second, offset_hour, offset_minute = match.groups()
    try:
        datetime.date(int(year), int(month), int(day))
    except ValueError:
        return False
    # Leap seconds (:60) are refused: Python's datetime and most consumers cannot hold them.
    return (
        int(hour) < 24
        and int(minute) < 60
        and int(second) < 60
        and (offset_hour is None or (int(offset_hour) < 24 and int(offset_minute) < 60))
    )


def _is_uri(instance: object) -> bool:
    return not isinstance(instance, str) or _URI.match(instance) is not None


@functools.cache
def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date-time")(_is_date_time)
    checker.checks("uri")(_is_uri)
    return checker


@functools.cache
def _validator(url: str) -> jsonschema.Draft4Validator:
    schema = registry().contents(url)
    return jsonschema.Draft4Validator(schema, registry=registry(), format_checker=_format_checker())


def validate_release(release: dict[str, Any]) -> list[ValidationIssue]:
    """Validate one release against ``release_schema()``; an empty list means valid.

    ``release`` must be JSON data (dicts, lists, str, int, float, bool, None). Paths are
    relative to the release. Issues are sorted by path.
    """
    return _issues(_validator(RELEASE_SCHEMA_URL).iter_errors(release))


def validate_release_package(pkg: dict[str, Any]) -> list[ValidationIssue]:
    """Validate a release package (releases against the patched schema); [] means valid.

    ``pkg`` must be JSON data. Issues are sorted by path (``releases/0/...``).
    """
    return _validate_package(pkg, "releases", RELEASE_PACKAGE_SCHEMA_URL)


def validate_record_package(pkg: dict[str, Any]) -> list[ValidationIssue]:
    """Validate a record package; an empty list means valid.

    Embedded releases and ``compiledRelease`` are checked against ``release_schema()``,
    ``versionedRelease`` against ``versioned_release_schema()``. A record's ``releases`` may
    be linked or embedded (a ``oneOf``); issues are reported for the form the data is
    closest to (see ``_leaf_errors``). ``pkg`` must be JSON data. Issues are sorted by path.
    """
    return _validate_package(pkg, "records", RECORD_PACKAGE_SCHEMA_URL)


#: Items validated per pass. The package schemas say ``uniqueItems``, which jsonschema checks
#: by comparing every pair: quadratic, and hours for a national package. Validating in chunks
#: and checking uniqueness once with hashes gives the same verdict in linear time.
_CHUNK = 200


def _validate_package(pkg: dict[str, Any], key: str, url: str) -> list[ValidationIssue]:
    validator = _validator(url)
    items = pkg.get(key)
    if not isinstance(items, list) or len(items) <= _CHUNK:
        return _issues(validator.iter_errors(pkg))
    issues: list[ValidationIssue] = []
    for start in range(0, len(items), _CHUNK):
        chunk = {**pkg, key: items[start : start + _CHUNK]}
        for issue in _issues(validator.iter_errors(chunk)):
            issues.append(_shifted(issue, key, start))
    seen: dict[bytes, int] = {}
    for index, item in enumerate(items):
        fingerprint = orjson.dumps(item, option=orjson.OPT_SORT_KEYS)
        if fingerprint in seen:
            issues.append(
                ValidationIssue(key, f"items {seen[fingerprint]} and {index} are identical")
            )
        seen.setdefault(fingerprint, index)
    return list(dict.fromkeys(issues))


def _shifted(issue: ValidationIssue, key: str, offset: int) -> ValidationIssue:
    """Re-number an issue found in a chunk to its index in the whole package."""
    parts = issue.path.split("/")
    if offset and len(parts) > 1 and parts[0] == key and parts[1].isdigit():
        parts[1] = str(int(parts[1]) + offset)
        return ValidationIssue("/".join(parts), issue.message)
    return issue


def _leaf_errors(error: ValidationError) -> Iterator[ValidationError]:
    """Yield the errors worth reporting for ``error``.

    For ``oneOf``/``anyOf`` failures, "not valid under any of the given schemas" says
    nothing useful. Yield instead the errors of the alternative the data is closest to:
    the one whose errors reach deepest, then the one with fewest errors. For a record's
    ``releases``, an embedded release with a bad amount fails the linked form at
    ``releases/0`` ("'url' is a required property") but the embedded form at
    ``releases/0/.../amount``: the latter is reported.
    """
    if not error.context:
        yield error
        return
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    # Closest form: the one whose errors reach deepest into the data, then the fewest errors.
    fit = {
        key: (max(len(e.absolute_path) for e in errs), -len(errs)) for key, errs in branches.items()
    }
    best = max(fit.values())
    # On a tie the data fits no form better than another: report every tied form's errors.
    for key, errs in branches.items():
        if fit[key] == best:
            for sub in errs:
                yield from _leaf_errors(sub)


_SHORT = reprlib.Repr()
_SHORT.maxstring = 60
_SHORT.maxother = 60
_SHORT.maxlist = _SHORT.maxdict = 3
_SHORT.maxlevel = 2


def _message(error: ValidationError) -> str:
    """A one-line message that does not embed huge instances or codelists."""
    keyword, instance = error.validator, error.instance
    short = _SHORT.repr(instance)
    if keyword == "enum" and isinstance(error.validator_value, list):
        allowed = error.validator_value
        if len(allowed) > 10:
            return f"{short} is not one of the {len(allowed)} allowed codes"
        return f"{short} is not one of {allowed!r}"
    if keyword == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        return f"{short} is not of type {' or '.join(map(repr, names))}"
    if keyword == "format":
        return f"{short} is not a valid {error.validator_value}"
    if keyword == "uniqueItems":
        return "array has non-unique elements"
    message = str(error.message)
    # Other jsonschema messages start with the instance's repr: shorten it.
    full = repr(instance)
    if message.startswith(full) and len(full) > len(short):
        message = short + message[len(full) :]
    return message if len(message) <= 300 else message[:299] + "…"


def _issues(errors: Iterable[ValidationError]) -> list[ValidationIssue]:
    leaves = [leaf for error in errors for leaf in _leaf_errors(error)]
    # Sort indices numerically (releases/2 before releases/10), keys alphabetically.
    leaves.sort(key=lambda e: ([(isinstance(p, str), p) for p in e.absolute_path], e.message))
    issues = (
        ValidationIssue("/".join(str(p) for p in e.absolute_path), _message(e)) for e in leaves
    )
    return list(dict.fromkeys(issues))  # dedupe, keep order (oneOf branches can repeat)


# --- Merging ------------------------------------------------------------------------------


@functools.cache
def merge_rules() -> MergeRules:
    """Return ocdsmerge's merge rules for ``release_schema()`` (cached; don't mutate).

    Keys are field paths as tuples, values ``"omitWhenMerged"`` or ``"wholeListMerge"``.
    """
    # ocdsmerge dereferences the schema with jsonref; give it a private copy. The $refs are
    # all local ("#/definitions/..."), so nothing is fetched.
    return get_merge_rules(copy.deepcopy(release_schema()))


@functools.cache
def merger() -> ocdsmerge.Merger:
    """Return an ``ocdsmerge.Merger`` for ``release_schema()`` (cached; stateless between calls).

    Built from ``merge_rules()``, i.e. from our vendored schema. Never use
    ``ocdsmerge.Merger()`` without a schema: it downloads the latest OCDS schema.
    """
    return ocdsmerge.Merger(merge_rules=merge_rules())
