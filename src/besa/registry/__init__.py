"""The registry: who buys (institutions, buying units, people and roles), from whom (suppliers)
and what (contracts). Scoping of every read and write by role lives in ``querysets``."""
