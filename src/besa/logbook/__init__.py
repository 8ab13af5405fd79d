"""The logbook (bitácora): the append-only, hash-chained record of every fact of a contract."""
