"""Seed a harness site and write its workload plan (run in the site's environment).

    python -m bench.ops.seed --contracts 40 --out plan.json

Migrates, registers ``--contracts`` national-scale synthetic contracts (``bench.national``:
registration only, whole histories planned), creates the operator of their buying units (who
receives every alert's e-mail) with an API token, keeps three evidence documents and makes a
first checkpoint. The plan (JSON) holds the token and, per contract, the entries its client
will append over HTTP, each with the idempotency key that makes a retry safe.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=40)
    parser.add_argument(
        "--swept", type=int, default=10, help="more contracts, due at once, for the sweep alone"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)

    from django.utils import timezone

    from bench import loader, national
    from besa.api import tokens
    from besa.documents import store
    from besa.jurisdiction import from_env
    from besa.logbook.checkpoints import make_checkpoint
    from besa.logbook.models import ContractState
    from besa.registry.models import BuyingUnit, Institution, Role, Supplier, User

    ocid = from_env().ocid
    today = timezone.localdate() - dt.timedelta(days=1)
    planned = list(national.contracts(args.contracts + args.swept, args.seed, today))
    # Only the catalogue rows these contracts name (setup_catalogue makes the whole nation).
    unit_ids: dict[int, Any] = {}
    supplier_ids: dict[int, Any] = {}
    for p in planned:
        i = p.unit_index // national.UNITS_PER_INSTITUTION
        institution, _ = Institution.objects.get_or_create(
            code=national.institution_code(i),
            defaults={
                "name": f"Institución {i}",
                "level": "APF",
                "kind": "dependencia",
                "rfc": national.institution_rfc(args.seed, i),
            },
        )
        unit, _ = BuyingUnit.objects.get_or_create(
            code=national.unit_code(p.unit_index),
            defaults={"institution": institution, "name": f"Unidad compradora {p.unit_index}"},
        )
        unit_ids[p.unit_index] = unit.pk
        supplier, _ = Supplier.objects.get_or_create(
            rfc=national.supplier_rfc(args.seed, p.supplier_index),
            defaults={"name": f"Proveedor {p.supplier_index} S.A. de C.V.", "person_type": "moral"},
        )
        supplier_ids[p.supplier_index] = supplier.pk
    for _ in loader.load(planned, unit_ids, supplier_ids, whole_history=False):  # type: ignore[arg-type]
        pass

    operator = User.objects.create_user(
        "operador-ops", email="operador-ops@besa.test", password=None, role=Role.OPERATOR
    )
    operator.buying_units.set(BuyingUnit.objects.filter(pk__in=unit_ids.values()))
    _, token = tokens.issue(operator, "ops harness", timezone.now())
    pdfs = [b"%PDF-1.4\n%ops harness evidence " + str(i).encode() + b"\n%%EOF\n" for i in range(3)]
    documents = [store.store_bytes(pdf, f"evidencia-{i}.pdf") for i, pdf in enumerate(pdfs)]
    # The last ``--swept`` contracts are never appended to: only the worker's deadline sweep
    # evaluates them (the clients' contracts are evaluated by their first append).
    swept = [ocid(p.ocid_suffix) for p in planned[args.contracts :]]
    ContractState.objects.filter(ocid__in=swept).update(next_check_at=timezone.now())
    planned = planned[: args.contracts]
    make_checkpoint()

    plan = {
        "token": token,
        "documents": documents,
        "contracts": [
            {
                "ocid": ocid(p.ocid_suffix),
                "institution": national.institution_code(
                    p.unit_index // national.UNITS_PER_INSTITUTION
                ),
                "entries": [
                    {
                        "key": f"ops-{p.index}-{n}",
                        "kind": e.kind,
                        "payload": e.payload,
                        "occurred_at": e.occurred_at.isoformat(),
                        "documents": list(e.documents),
                    }
                    for n, e in enumerate(p.history)
                ],
            }
            for p in planned
        ],
    }
    args.out.write_text(json.dumps(plan, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
