"""What the public views withhold: individuals' RFCs, CURPs and names (personal data).

The decision is ``besa.registry.validation.is_natural_person_rfc``, the same one the OCDS
projection makes; this module only applies it to the flat views' values. Withheld values are
replaced by ``WITHHELD`` so that a reader sees that a value exists and was withheld, and
columns that join several suppliers keep one item per supplier.

Inside an ``entries`` row's payload the same values appear as salted commitments instead
(``besa.logbook.disclosure``), so that every published hash can still be recomputed.
"""

from __future__ import annotations

from besa.registry.validation import WITHHELD, is_natural_person_rfc


def supplier(rfc: str, name: str) -> tuple[str, str]:
    """The public (RFC, name) of a supplier: both withheld for an individual."""
    if is_natural_person_rfc(rfc):
        return WITHHELD, WITHHELD
    return rfc, name
