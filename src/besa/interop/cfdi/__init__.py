"""CFDI 4.0 invoices: safe reading, offline verification with satcfdi, mapping to the
logbook's ``invoice`` payload, and the SAT status service behind an interface.

- ``reading``: size, encoding, DTD/entity refusal and strict XML parsing (pure).
- ``verification``: XSD, totals, seal and certificate checks (pure).
- ``mapping``: the ``invoice`` payload (pure).
- ``status``: ``StatusService``, the SAT's SOAP client and an offline fake (pure).
- ``checking``: the configured service and the re-check before payments and closure (Django).
- ``upload``: recording a CFDI on a contract (Django; the one writer).
"""
