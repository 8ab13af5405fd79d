"""SAT and sanctions lists: pure parsers (``sat69b``, ``sanctions``, ``compliance``), name
matching (``names``) and the Django side that stores snapshots and re-screens contracts
(``snapshots``, ``matching``, ``rescreen``, ``opinions``). See docs/interop/lists.md."""
