"""Citizen reports (denuncias) about a contract: filed on the public portal, followed with a
code, decided by the oversight body competent for the contract's institution.

Modules: ``code`` (the follow-up code: pure), ``limits`` (database-backed submission counters),
``intake`` (file, look up, accept, dismiss: the only writers), ``models``, ``views`` (thin).
"""
