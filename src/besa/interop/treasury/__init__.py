"""Treasury and budget files: TESOFE payments and SICOP budget commitments (CSV).

- ``csvfile``: strict reading of a CSV export (encoding, header, field counts) (pure).
- ``layouts``: the two layouts, their columns and typed rows (pure).
- ``importing``: matching rows to contracts and invoices and appending ``payment`` /
  ``budget_sufficiency`` entries (Django; the one writer).

The layouts are documented in ``docs/interop/cfdi-treasury.md``.
"""
