"""The database state an OCDS import is responsible for, as comparable JSON.

``state(exact=True)`` includes generated ids, server timestamps and hashes (for "the same
file twice changes nothing" on one database). ``exact=False`` replaces them with stable names
(an entry's UUID becomes ``<ocid>#<sequence>``; server times become ``<recorded>``), for
comparing two databases that ran the same import at different moments. Run as a module, it
prints ``state(exact=False)`` of the configured database, plus the OCDS record export.
"""

from __future__ import annotations

import io
import re
import sys
from typing import Any

import orjson

_SERVER_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00")


def state(*, exact: bool) -> dict[str, Any]:
    from besa.alerts.models import Alert
    from besa.interop.models import ImportedProcess, ImportRun
    from besa.logbook.models import ContractState, Entry
    from besa.ocds.publish import write_package
    from besa.registry.models import BuyingUnit, Contract, Institution, Supplier
    from besa.risk.models import RiskResult, RunKind

    models = (Contract, Entry, ContractState, Institution, BuyingUnit, Supplier,
              ImportedProcess, ImportRun, Alert)  # fmt: skip
    out: dict[str, Any] = {"counts": {m.__name__: m.objects.count() for m in models}}
    out["contracts"] = [
        {
            "ocid": c.ocid, "number": c.number, "title": c.title, "amount": str(c.amount),
            "signing_date": c.signing_date.isoformat(), "end_date": c.end_date.isoformat(),
            "procedure_type": c.procedure_type, "regime": c.regime,
            "buying_unit": c.buying_unit.code, "institution": c.buying_unit.institution.code,
            "suppliers": sorted((s.rfc, s.name) for s in c.suppliers.all()),
            **({"id": str(c.id), "registered_at": c.registered_at.isoformat()} if exact else {}),
        }
        for c in Contract.objects.order_by("ocid").select_related("buying_unit__institution")
    ]  # fmt: skip
    out["entries"] = [
        {
            "ocid": e.ocid, "sequence": e.sequence, "kind": e.kind,
            "occurred_at": e.occurred_at.isoformat(), "payload": e.payload, "actor": e.actor,
            "key": e.idempotency_key,
            **({"uuid": str(e.uuid), "hash": e.hash, "recorded_at": e.recorded_at.isoformat()}
               if exact else {}),
        }
        for e in Entry.objects.order_by("ocid", "sequence")
    ]  # fmt: skip
    out["processes"] = [
        {
            "ocid": p.ocid, "publisher": p.publisher, "hash": p.content_hash,
            "issues": p.issues, "contracts": sorted(c.ocid for c in p.contracts.all()),
        }
        for p in ImportedProcess.objects.order_by("ocid").prefetch_related("contracts")
    ]  # fmt: skip
    out["alerts"] = sorted((a.ocid, a.rule, a.subject, a.state) for a in Alert.objects.all())
    # The per-process risk rules the import runs in real time (besa.risk.process).
    out["risk"] = sorted(
        (r.subject_kind, r.subject_id, r.code, r.value)
        for r in RiskResult.objects.filter(run__kind=RunKind.LIVE_PROCESS)
    )
    buffer = io.BytesIO()
    write_package(buffer, Contract.objects.order_by("ocid"), records=True)
    export = orjson.loads(buffer.getvalue())
    export.pop("publishedDate", None)
    out["export"] = export
    if exact:
        return out
    text = orjson.dumps(out).decode()
    for uuid, ocid, sequence in Entry.objects.values_list("uuid", "ocid", "sequence"):
        text = text.replace(str(uuid), f"{ocid}#{sequence}")
    stable = orjson.loads(_SERVER_TIME.sub("<recorded>", text))
    stable["alerts"] = sorted(stable["alerts"])  # subjects named entries by UUID: sort again
    return stable


if __name__ == "__main__":
    import django

    django.setup()
    sys.stdout.write(orjson.dumps(state(exact=False), option=orjson.OPT_SORT_KEYS).decode())
