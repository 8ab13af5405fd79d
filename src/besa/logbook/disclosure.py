"""What of an entry the public may see, and the salted commitments that stand for the rest.

An entry's hash must be checkable by anyone from the open data, but some of what it records
is personal data the public may not see: the user name of the person who appended it and a
natural person's RFC, CURP and name. Publishing the hash of those values in the clear would
let anyone recover them by hashing guesses (a few hundred logins identify every entry's
author), so the chain hashes the entry's **hashed form**: the entry with each hidden value
replaced by a commitment ``{"$commitment": HMAC-SHA256(salt, path + "\\n" + canonical value)}``.

The 32-byte salt is random per entry, stored with the entry and never published: a commitment
is a one-way function of a value nobody can guess, so it reveals nothing, while the hashed
form (published in ``entries.csv``) lets anyone recompute the hash. Oversight, with database
access, also checks every hidden value against its commitment (``besa verify`` recomputes the
commitments from the stored values).

Entries written before commitments existed have an empty salt and are hashed as they are
(``hashed_form`` returns them unchanged); an insider who strips a salt must recompute the
hash, which the chain and the published checkpoints expose.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from typing import Any, TypeGuard

import orjson

from besa.logbook.state import AUDIT_KINDS
from besa.registry.validation import is_natural_person_rfc

#: The key of the object that replaces a hidden value in the hashed form.
COMMITMENT = "$commitment"

#: Keys whose values are personal data wherever they appear (no CURP field exists today).
_ALWAYS_PERSONAL = frozenset({"curp"})
#: A necessary condition for ``_walk`` to find anything, tested on the payload's JSON bytes.
_CANDIDATE_KEYS = (b'rfc":', b'curp":')


def new_salt() -> str:
    """A fresh random salt (64 hex characters) for one entry."""
    return secrets.token_hex(32)


def commitment(salt: str, path: str, value: Any) -> str:
    """The hex HMAC-SHA256 commitment to ``value`` at ``path`` under ``salt``."""
    message = path.encode() + b"\n" + orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    return hmac_sha256(bytes.fromhex(salt), message)


_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))


def hmac_sha256(key: bytes, message: bytes) -> str:
    """The hex HMAC-SHA256 of ``message`` under ``key`` (RFC 2104), equal to
    ``hmac.new(key, message, hashlib.sha256).hexdigest()``.

    Spelled out with two SHA-256 objects because it runs once per entry hashed and per entry
    verified: OpenSSL's HMAC context set-up made ``hmac.new`` (and ``hmac.digest``) about
    twice as slow for these short messages."""
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    padded = key.ljust(64, b"\0")
    inner = hashlib.sha256(padded.translate(_IPAD))
    inner.update(message)
    outer = hashlib.sha256(padded.translate(_OPAD))
    outer.update(inner.digest())
    return outer.hexdigest()


def hidden_paths(entry: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The paths of the values of ``entry`` the public may not see (in the payload's order).

    Always ``actor.user``; in the payload, every individual's RFC with the name it identifies
    and every ``curp`` (``_personal_keys``). The whole payload of an audit step (``kind`` one
    of ``AUDIT_KINDS``): an audit is reserved while it may be obstructed, so the public sees
    that a step happened and can check its hash, never what it says."""
    actor = entry.get("actor")
    paths: list[tuple[str, ...]] = (
        [("actor", "user")] if _is_mapping(actor) and "user" in actor else []
    )
    payload = entry.get("payload")
    if entry.get("kind") in AUDIT_KINDS and payload is not None:
        return [*paths, ("payload",)]
    # Most payloads name no one: the walk (the cost of hashing and of ``besa verify``) runs
    # only when the payload's JSON holds a key ``rfc``, ``…_rfc`` or ``curp``.
    data = orjson.dumps(payload) if payload else b""
    if any(key in data for key in _CANDIDATE_KEYS):
        _walk(payload, ("payload",), paths)
    return paths


def _personal_keys(node: Mapping[str, Any]) -> set[str]:
    """The keys of one object whose values are personal data: ``rfc`` or ``<who>_rfc``
    holding an individual's RFC, with the name it identifies (``name`` beside ``rfc``;
    ``<who>`` and ``<who>_name`` beside ``<who>_rfc``), and any ``curp``. The same decision
    as the open-data views (``besa.registry.validation.is_natural_person_rfc``)."""
    keys = {key for key in node if key in _ALWAYS_PERSONAL and node[key]}
    for key, value in node.items():
        if not isinstance(key, str) or not (key == "rfc" or key.endswith("_rfc")):
            continue
        if not isinstance(value, str) or not is_natural_person_rfc(value):
            continue
        who = key.removesuffix("rfc").removesuffix("_")
        keys |= {key} | ({"name"} if not who else {who, f"{who}_name"})
    return {key for key in keys if key in node}


def _walk(node: Any, path: tuple[str, ...], out: list[tuple[str, ...]]) -> None:
    # ``besa verify`` walks every payload that names an RFC: scalars are skipped by their
    # exact type and dicts are tested before the (slower) ``Mapping`` ABC.
    if _is_mapping(node):
        maybe_personal = not _ALWAYS_PERSONAL.isdisjoint(node) or any(
            str(k).endswith("rfc") for k in node
        )
        personal = _personal_keys(node) if maybe_personal else ()
        for key, value in node.items():
            if key in personal:
                out.append((*path, str(key)))
            elif type(value) not in _SCALARS and _is_container(value):
                _walk(value, (*path, str(key)), out)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            if type(item) not in _SCALARS and _is_container(item):
                _walk(item, (*path, str(index)), out)


#: JSON scalars, never walked into.
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _is_mapping(node: Any) -> TypeGuard[Mapping[str, Any]]:
    return isinstance(node, (dict, Mapping))  # dict first: no ABC check for JSON


def _is_container(node: Any) -> bool:
    return isinstance(node, (dict, list, Mapping))


def hashed_form(entry: Mapping[str, Any], salt: str) -> dict[str, Any]:
    """``entry`` with each hidden value replaced by its commitment under ``salt``.

    ``entry`` is the plain-dict form of an entry (``besa.logbook.models.entry_dict``); the
    result is a new dict sharing the untouched parts. With an empty ``salt`` (entries from
    before commitments) the entry is returned unchanged."""
    if not salt:
        return dict(entry)
    form = dict(entry)
    for path in hidden_paths(entry):
        form = _replace(
            form, path, {COMMITMENT: commitment(salt, ".".join(path), _get(entry, path))}
        )
    return form


def _get(node: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def _replace(node: Any, path: tuple[str, ...], value: Any) -> Any:
    """A copy of ``node`` with ``path`` set to ``value``; only the nodes on the path copied."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(node, list):
        copy = list(node)
        copy[int(head)] = _replace(node[int(head)], rest, value)
        return copy
    updated = dict(node)
    updated[head] = _replace(node[head], rest, value)
    return updated
