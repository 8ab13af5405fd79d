"""Storing the output of a Cardinal-compatible ``indicators`` run, with its fences.

The input is the JSON ``ocdscardinal indicators`` prints (indicators-cardinal.md §6): groups
``OCID``, ``Buyer``, ``ProcuringEntity`` and ``Tenderer`` mapping an id to ``{code: value}``,
``Meta`` holding per code the quartiles and fences (``q1``, ``q3``, ``lower_fence``,
``upper_fence``, or the same keys prefixed by a group, ``Buyer_q1``…), and optionally
``Maps``. Cardinal gives no per-flag evidence; BESA stores, with each value, the fence of its
code and group as they were in that run, so the value stays explainable later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from besa.exceptions import InvalidInput
from besa.risk.models import RiskResult, RiskRun, RunKind, SubjectKind

#: Cardinal's result groups and the subject kind each becomes.
GROUPS: Mapping[str, str] = {
    "OCID": SubjectKind.CONTRACT,
    "Buyer": SubjectKind.BUYER,
    "ProcuringEntity": SubjectKind.PROCURING_ENTITY,
    "Tenderer": SubjectKind.SUPPLIER,
}
_OTHER_KEYS = frozenset({"Meta", "Maps"})


def fence_for(meta: Mapping[str, Any], group: str, code: str) -> dict[str, Any] | None:
    """The Meta entry of ``code`` for ``group``: the group-prefixed keys (prefix removed)
    when there are any, else the unprefixed ones; None when Meta has nothing for the code."""
    entry = meta.get(code)
    if not isinstance(entry, Mapping) or not entry:
        return None
    prefix = f"{group}_"
    prefixed = {k[len(prefix) :]: v for k, v in entry.items() if k.startswith(prefix)}
    if prefixed:
        return prefixed
    plain = {k: v for k, v in entry.items() if not any(k.startswith(f"{g}_") for g in GROUPS)}
    return plain or None


def _checked(output: Any) -> list[tuple[str, str, str, float]]:
    if not isinstance(output, Mapping):
        raise InvalidInput("indicators", "the output is not a JSON object")
    found = []
    for group, subjects in output.items():
        if group in _OTHER_KEYS:
            if not isinstance(subjects, Mapping):
                raise InvalidInput(group, "is not a JSON object")
            continue
        if group not in GROUPS:
            raise InvalidInput(group, "unknown group (expected OCID, Buyer, ProcuringEntity, "
                               "Tenderer, Meta or Maps)")  # fmt: skip
        if not isinstance(subjects, Mapping):
            raise InvalidInput(group, "is not a JSON object")
        for subject, codes in subjects.items():
            if not isinstance(codes, Mapping):
                raise InvalidInput(f"{group}.{subject}", "is not a JSON object")
            for code, value in codes.items():
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise InvalidInput(f"{group}.{subject}.{code}", "is not a number")
                found.append((group, str(subject), str(code), float(value)))
    return found


def store_indicators(
    output: Any, *, source: str = "", population: Mapping[str, Any] | None = None,
    as_of: dt.date | None = None,
) -> RiskRun:  # fmt: skip
    """Store one ``indicators`` output as an ``indicators`` run; returns it.

    The whole output is checked before anything is written (``InvalidInput`` names the
    group, subject and code at fault). ``population`` describes the processes the run read
    (e.g. the file and the settings); the number of distinct OCIDs is added to it.
    """
    values = _checked(output)
    meta = output.get("Meta") or {}
    ocids = {subject for group, subject, _, _ in values if group == "OCID"}
    maps = output.get("Maps") or {}
    size = max(len(ocids), len(maps.get("ocid_tenderer") or {}))
    described = {"description": "processes read by the indicators run", "source": source,
                 **(population or {}), "processes": size}  # fmt: skip
    now = timezone.now()
    with transaction.atomic():
        run = RiskRun.objects.create(
            kind=RunKind.INDICATORS,
            as_of=as_of or timezone.localdate(),
            population=described,
            population_size=size,
            parameters={"meta": meta},
            started_at=now,
        )
        RiskResult.objects.bulk_create(
            [
                RiskResult(
                    run=run,
                    subject_kind=GROUPS[group],
                    subject_id=subject[:200],
                    code=code[:20],
                    value=value,
                    evidence={"group": group, "cardinal_value": value},
                    fence=fence_for(meta, group, code),
                    population=described,
                    population_size=size,
                    computed_at=now,
                )
                for group, subject, code, value in values
            ],
            batch_size=2000,
        )
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
    return run
