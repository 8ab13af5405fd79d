"""One compiled release per process, from every release read for its ocid. Pure.

A single release (or a record's compiled release) is used as is. Several are merged with
ocdsmerge and the vendored schema's merge rules (``besa.ocds.schema.merger``), in date order;
a publisher's compiled release takes part like any release of its date. The same release
read twice (same ``id``, e.g. from a record file and a release file) counts once, the last
read winning. ocdsmerge's warnings (duplicate ids in an array) and errors become issues; on
an error the latest release is used alone.
"""

from __future__ import annotations

import warnings
from typing import Any

import ocdsmerge
import ocdsmerge.exceptions

from besa.interop.ocds.report import Issue
from besa.interop.ocds.spill import Spilled
from besa.ocds.schema import merger


def compile_process(ocid: str, spilled: list[Spilled]) -> tuple[dict[str, Any], list[Issue]]:
    """The compiled release of ``ocid`` and the issues met while merging. The releases in
    ``spilled`` are owned by the call (they may be returned or merged in place)."""
    by_id: dict[str, Spilled] = {}
    for item in spilled:
        by_id[str(item.release.get("id"))] = item
    items = list(by_id.values())
    last = items[-1]
    if len(items) == 1:
        return last.release, []
    issues: list[Issue] = []
    # Each spilled release is a fresh object (decoded for this call): no copy is needed.
    releases = [i.release for i in items]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            compiled: dict[str, Any] = merger().create_compiled_release(releases)
        except (ocdsmerge.exceptions.OCDSMergeError, TypeError, ValueError) as exc:
            latest = max(items, key=lambda i: str(i.release.get("date", "")))
            issues.append(
                Issue(
                    latest.file,
                    latest.line,
                    latest.path,
                    "repaired",
                    f"no se pudieron fusionar los releases; se usa el más reciente / "
                    f"releases could not be merged ({exc}); the latest one is used",
                )
            )
            return latest.release, issues
    for warning in caught:
        issues.append(
            Issue(
                last.file,
                last.line,
                last.path,
                "repaired",
                f"fusión OCDS / OCDS merge: {warning.message}",
            )
        )
    compiled["ocid"] = ocid
    return compiled, issues
