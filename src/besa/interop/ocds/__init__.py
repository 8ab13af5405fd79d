"""Importing OCDS into BESA: the pure half (no Django).

``reader`` streams releases and records out of packages, arrays or JSON Lines (plain or gzip);
``normalise`` repairs what real publishers get wrong; ``spill`` groups the releases of each
ocid on disk; ``compile`` merges them into one compiled release per process; ``plan`` turns a
compiled release into the registration and logbook entries of its contracts. Each step reports
every item it skipped or repaired as an ``Issue`` (``report``). The Django half, which writes,
is ``besa.interop.importer``.
"""
