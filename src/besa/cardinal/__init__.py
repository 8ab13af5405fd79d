"""A Cardinal-compatible indicators engine (``ocdscardinal`` 0.0.8), pure Python, no Django.

Public entry points::

    from besa import cardinal
    settings = cardinal.load_settings("settings.ini")      # or cardinal.parse_settings(text)
    result = cardinal.indicators("releases.jsonl", settings)  # {"OCID": …, "Meta": …}

``indicators`` accepts a path, ``bytes`` or an iterable of JSON lines, and returns the same
object as ``ocdscardinal indicators`` prints (see ``docs/indicators.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from besa.cardinal.settings import Settings, all_indicators
from besa.cardinal.settings import load as load_settings
from besa.cardinal.settings import parse as parse_settings

if TYPE_CHECKING:
    from besa.cardinal.engine import Source, Warn

__all__ = ["Settings", "all_indicators", "indicators", "load_settings", "parse_settings"]


def indicators(
    source: Source,
    settings: Settings | None = None,
    *,
    workers: int | None = None,
    meta: bool = True,
    maps: bool = False,
    warn: Warn | None = None,
) -> dict[str, Any]:
    """Cardinal's indicators over OCDS compiled releases (JSON Lines).

    ``settings`` ``None`` enables nothing (Cardinal without ``--settings``); use
    :func:`all_indicators` for every indicator with its defaults. ``workers`` defaults to the
    cores available. Invalid lines are reported through ``warn`` and skipped.
    """
    # Imported here: Polars and Arrow load only when indicators are computed, not with every
    # module that imports ``besa.cardinal.statistics`` (the web application does).
    from besa.cardinal.engine import run

    return run(source, settings or Settings(), workers=workers, meta=meta, maps=maps, warn=warn)
