"""Open data: OCDS packages, CSV and Excel flat views, and the daily bulk dump.

One ``Selection`` (institution, period of signing, cut-off of recording) picks contracts;
every file of a selection describes the same contracts, so files join on ``ocid``. Writers
stream row by row, so memory stays flat in the number of contracts and entries.

- ``selection``: which contracts (and, for private views, whose scope)
- ``flat``: the flat views (columns and row generators): contracts, entries, payments, alerts
- ``writers``: CSV (streamed) and XLSX (XlsxWriter ``constant_memory``) of flat views
- ``packages``: OCDS release and record packages of a selection
- ``dump``: the dated bulk dump with its manifest, written atomically
"""
