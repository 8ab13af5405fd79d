"""What the public views withhold: individuals' RFCs, CURPs and names (personal data).

The decision is ``besa.registry.validation.is_natural_person_rfc``, the same one the OCDS
projection makes; this module only applies it to the flat views' values. Withheld values are
replaced by ``WITHHELD`` so that a reader sees that a value exists and was withheld, and
columns that join several suppliers keep one item per supplier.

An ``entries`` row withholds inside its ``payload``, so that payload no longer hashes to the
row's ``hash``; the full chain is verifiable by those who may read it (``besa verify``).
"""

from __future__ import annotations

from typing import Any

from besa.registry.validation import WITHHELD, is_natural_person_rfc

#: Keys whose values are personal data wherever they appear (BESA stores no CURP field today;
#: an imported or future payload that carries one never reaches a public file).
_ALWAYS_PERSONAL = frozenset({"curp"})


def supplier(rfc: str, name: str) -> tuple[str, str]:
    """The public (RFC, name) of a supplier: both withheld for an individual."""
    if is_natural_person_rfc(rfc):
        return WITHHELD, WITHHELD
    return rfc, name


def payload(value: Any) -> Any:
    """A copy of an entry payload without individuals' personal data, at any depth.

    In each object, a key ``rfc`` or ``<who>_rfc`` holding an individual's RFC is withheld
    together with the name it identifies: ``name`` beside ``rfc``; ``<who>`` and
    ``<who>_name`` beside ``<who>_rfc`` (``issuer`` beside ``issuer_rfc``). A ``curp`` is
    always withheld. Everything else is copied unchanged; the argument is not modified.
    """
    if isinstance(value, list):
        return [payload(item) for item in value]
    if not isinstance(value, dict):
        return value
    out = {key: payload(item) for key, item in value.items()}
    for key, item in value.items():
        if key in _ALWAYS_PERSONAL and item:
            out[key] = WITHHELD
        if not (key == "rfc" or key.endswith("_rfc")) or not isinstance(item, str):
            continue
        if not is_natural_person_rfc(item):
            continue
        out[key] = WITHHELD
        who = key.removesuffix("rfc").removesuffix("_")
        for name_key in ("name",) if not who else (who, f"{who}_name"):
            if out.get(name_key):
                out[name_key] = WITHHELD
    return out
