"""CFDI 4.0 invoices: safe reading, offline verification with satcfdi, mapping to the
logbook's ``invoice`` payload, and the SAT status service behind an interface.

- ``reading``: size, encoding, DTD/entity refusal and strict XML parsing (pure).
- ``verification``: XSD, totals, seal and certificate checks (pure).
- ``mapping``: the ``invoice`` payload (pure).
- ``status``: ``StatusService`` with the online implementation and an offline fake (pure).
- ``upload``: recording a CFDI on a contract (Django; the one writer).
"""
