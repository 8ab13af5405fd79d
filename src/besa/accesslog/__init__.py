"""The access log: who read which non-public data, and when.

Every signed-in read of a contract page, an alert page, an evidence document, an export or an
API read of a contract or alert writes one ``Read`` row (``record.read``: a single insert).
Oversight queries the rows of their institutions on ``/registro-de-accesos/``; central
administrators see all of them.
"""
