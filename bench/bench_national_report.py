"""Benchmark: the national contracts report and the citizens' search over a million contracts.

    createdb -h 127.0.0.1 -U postgres besa_n14_1m
    BESA_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/besa_n14_1m \\
    BESA_SECRET_KEY=bench-only-secret-never-use-in-production-0123456789 \\
    BESA_ALLOWED_HOSTS=testserver .venv/bin/python -m bench.bench_national_report \\
        --sizes 100000,300000,1000000 [--baseline /tmp/n14-base/src]

PostgreSQL only (the load uses ``COPY``). For each size, the database is grown to that many
contracts, then every measurement runs in a fresh Python process whose peak resident memory
(VmHWM) is reset after Django's set-up, so the peak belongs to that measurement alone; the
resident memory after set-up is given too, and the difference is what the request cost:

- the national contracts report (``/informes/contratos/``, public, all institutions) for one
  year of signing dates and for every year: the page, the PDF and the workbook;
- the citizens' search (``/publico/``): p50/p95 over a set of realistic queries (an
  organisation's RFC, a name fragment, an institution, amount and date ranges, a status, a
  procedure type with an institution, a later page), facets included, as a citizen gets them.

``--baseline DIR`` runs the same measurements a second time with ``PYTHONPATH=DIR`` (a copy of
another revision's ``src``, e.g. ``git archive main src | tar -x -C /tmp/n14-base``), so the
ratio between the product code of two revisions comes from the same data, machine and run.

What is loaded, and why that is faithful. The report and the search read only the registry
(``Institution``, ``BuyingUnit``, ``Supplier``, ``Contract``, ``ContractSupplier``) and each
contract's head (``ContractState``: status and ``last_sequence``, which makes a contract
public). Those rows are written with ``COPY``, their values drawn exactly as
``bench.national.contracts`` draws them (same seeded generator per contract: buying unit,
supplier with its Pareto concentration, signing and validity dates, lognormal amount,
procedure type, award date), with the catalogue of ``bench.loader.setup_catalogue`` (300
institutions, 1,500 buying units, 40,000 suppliers). The status is derived from the dates
(registered before the start, in execution until the end, then completed or closed, with a
few rescinded and terminated early). Not loaded: the logbook entries and the folded
snapshots (``ContractState.snapshot`` is ``{}``), which neither the contracts report nor the
search reads; planning, validating and chaining 12 million entries would take hours on this
machine (``bench/bench_verify.py`` measures that path). The execution report, which folds
snapshots, is therefore not measured here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from typing import Any

from bench._setup import django_setup, machine

SEED = 14
#: The data's "today": fixed so that every run draws the same contracts and statuses.
TODAY = dt.date(2026, 12, 1)


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    raise LookupError(field)


def _reset_peak() -> None:
    """Start the peak (VmHWM) afresh at the current resident size (Linux: clear_refs 5)."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


# --- loading ---------------------------------------------------------------------------------


def _contract_rows(first: int, n: int, units: list[Any], suppliers: list[Any]) -> Any:
    """(contract, link, state) row tuples of contracts ``first .. first + n - 1``, drawn as
    ``bench.national.contracts`` draws the registration of the same index."""
    from bench import national
    from besa.jurisdiction import from_env

    jurisdiction = from_env()
    threshold = jurisdiction.registration_threshold
    zone = jurisdiction.zone
    for index in range(first, first + n):
        rng = national._rng(SEED, 3, index)
        unit = rng.randrange(national.N_INSTITUTIONS * national.UNITS_PER_INSTITUTION)
        supplier = (
            min(int(rng.paretovariate(0.9)) - 1, national.N_SUPPLIERS - 1)
            if rng.random() < 0.3
            else rng.randrange(national.N_SUPPLIERS)
        )
        signing = TODAY - dt.timedelta(days=rng.randrange(20, 3 * 365))
        regime = jurisdiction.regime_for(signing)
        start = signing + dt.timedelta(days=rng.randrange(0, 10))
        end = start + dt.timedelta(days=rng.choice((90, 180, 270, 365, 540)))
        amount = (threshold * Decimal(str(round(rng.lognormvariate(0.8, 0.9), 3) + 1))).quantize(
            Decimal("0.01")
        )
        procedure = rng.choice(("adjudicacion_directa", "licitacion_publica", "invitacion_tres"))
        award = signing - dt.timedelta(days=rng.randrange(1, 14))
        fate = rng.random()
        if start > TODAY:
            status = "registered"
        elif end >= TODAY:
            status = "rescinded" if fate < 0.01 else "in_execution"
        elif fate < 0.02:
            status = "terminated_early"
        else:
            status = "closed" if fate < 0.5 else "terminated_completed"
        contract_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        ocid = jurisdiction.ocid(str(contract_id))
        recorded = dt.datetime.combine(signing, dt.time(11), tzinfo=zone)
        yield (
            (
                contract_id, ocid, f"N-{index:07d}", "", "", "Adquisición de bienes de consumo",
                "", "adquisicion", procedure, "nacional", "", "", regime.code, award, signing,
                start, end, amount, (amount * Decimal("0.16")).quantize(Decimal("0.01")), "MXN",
                None, False, None, None, False, Decimal(0), Decimal(10), Decimal(1), recorded,
                units[unit],
            ),
            (Decimal(100), contract_id, suppliers[supplier]),
            (contract_id, ocid, status, 1, "0" * 64, "{}", recorded),
        )  # fmt: skip


CONTRACT_COLUMNS = (
    "id, ocid, number, compranet_code, procedure_number, title, description, contracting_type, "
    "procedure_type, character, legal_basis, exception_justification, regime, award_date, "
    "signing_date, start_date, end_date, amount, vat_amount, currency, exchange_rate, is_open, "
    "min_amount, max_amount, multiyear, advance_percent, guarantee_percent, "
    "penalty_rate_percent, registered_at, buying_unit_id"
)


def grow(target: int) -> int:
    """Bring the database to ``target`` contracts (contracts are numbered, so growing from
    100,000 to 300,000 adds indexes 100,000 .. 299,999); returns the seconds spent."""
    from django.db import connection

    from bench.loader import setup_catalogue
    from besa.registry.models import Contract

    began = time.perf_counter()
    units, suppliers = setup_catalogue(SEED)
    have = Contract.objects.count()
    batch = 50_000
    while have < target:
        n = min(batch, target - have)
        rows = list(_contract_rows(have, n, units, suppliers))
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY registry_contract ({CONTRACT_COLUMNS}) FROM STDIN") as copy:
                for contract, _link, _state in rows:
                    copy.write_row(contract)
            with raw.copy(
                "COPY registry_contractsupplier (share_percent, contract_id, supplier_id) "
                "FROM STDIN"
            ) as copy:
                for _contract, link, _state in rows:
                    copy.write_row(link)
            with raw.copy(
                "COPY logbook_contractstate (contract_id, ocid, status, last_sequence, "
                "last_hash, snapshot, updated_at) FROM STDIN"
            ) as copy:
                for _contract, _link, state in rows:
                    copy.write_row(state)
        have += n
        print(f"  loaded {have:,} contracts", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return round(time.perf_counter() - began, 1)


# --- measurements (each in its own process) ---------------------------------------------------


def _one_year() -> dict[str, str]:
    return {"desde": f"{TODAY.year - 1}-01-01", "hasta": f"{TODAY.year - 1}-12-31"}


def _report(kind: str, params: dict[str, str]) -> dict[str, Any]:
    from django.test import Client

    url = {"page": "/informes/contratos/", "pdf": "/informes/contratos.pdf"}.get(
        kind, "/informes/contratos.xlsx"
    )
    client = Client()
    began = time.perf_counter()
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return {"seconds": round(time.perf_counter() - began, 2), "bytes": len(response.content)}


def _search_queries() -> dict[str, dict[str, str]]:
    from django.db.models import Count

    from besa.portal.search import public_contracts, public_suppliers

    supplier = (
        public_suppliers()
        .annotate(n=Count("contracts"))
        .filter(n__gt=0)
        .order_by("-n", "rfc")
        .first()
    )
    assert supplier is not None
    rare = public_suppliers().order_by("rfc")[1234]
    institution = (
        public_contracts()
        .values("buying_unit__institution__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert institution is not None
    code = institution["buying_unit__institution__code"]
    return {
        "no filter": {},
        "supplier RFC (largest supplier)": {"proveedor": supplier.rfc},
        "supplier RFC (small supplier)": {"proveedor": rare.rfc},
        "supplier name fragment": {"proveedor": "Proveedor 1234 "},
        "institution": {"institucion": code},
        "amount range": {"importe_min": "1500000", "importe_max": "2000000"},
        "date range (one month)": {"desde": "2025-03-01", "hasta": "2025-03-31"},
        "status": {"estado": "rescinded"},
        "institution + procedure + year": {
            "institucion": code,
            "procedimiento": "licitacion_publica",
            **_one_year(),
        },
        "amount + date": {"importe_min": "5000000", "desde": "2026-06-01"},
        "page 20": {"pagina": "20"},
    }


def _search(repeat: int) -> dict[str, Any]:
    from django.test import Client

    client = Client()
    found: dict[str, Any] = {}
    every: list[float] = []
    for name, params in _search_queries().items():
        client.get("/publico/", params)  # warm-up
        samples = []
        for _ in range(repeat):
            began = time.perf_counter()
            response = client.get("/publico/", params)
            assert response.status_code == 200, (params, response.status_code)
            samples.append((time.perf_counter() - began) * 1000)
        every += samples
        found[name] = round(statistics.median(samples), 1)
    ordered = sorted(every)
    found["p50_ms"] = round(statistics.median(ordered), 1)
    found["p95_ms"] = round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1)
    return found


def measure(what: str, repeat: int) -> dict[str, Any]:
    """One measurement in this process: ``report:<page|pdf|xlsx>:<year|all>`` or ``search``."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "besa.settings")
    django.setup()  # no migrate here: the parent process did it
    from django.test import Client

    # Every module a request imports (the URL configuration imports every app's views) and
    # the templates' first compilation are paid before the peak is reset.
    assert Client().get("/informes/").status_code == 200
    _reset_peak()
    settled = _status_mb("VmRSS")
    if what == "search":
        found = _search(repeat)
    else:
        _, kind, span = what.split(":")
        found = _report(kind, _one_year() if span == "year" else {})
    return {**found, "rss_after_setup_mib": settled, "peak_rss_mib": _status_mb("VmHWM")}


MEASUREMENTS = (
    "report:page:year",
    "report:pdf:year",
    "report:xlsx:year",
    "report:page:all",
    "report:pdf:all",
    "report:xlsx:all",
    "search",
)


def _run(what: str, repeat: int, code: str | None) -> dict[str, Any]:
    env = dict(os.environ)
    if code:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (code, env.get("PYTHONPATH"))))
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_national_report", "--measure", what, "--repeat",
         str(repeat)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000,300000,1000000")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per search query")
    parser.add_argument("--baseline", help="another revision's src directory to compare")
    parser.add_argument("--only", help="comma-separated measurements (default: all)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.repeat)))
        return
    django_setup()
    from django.db import connection

    assert connection.vendor == "postgresql", "this benchmark loads with COPY: PostgreSQL only"
    wanted = args.only.split(",") if args.only else MEASUREMENTS
    results: dict[str, Any] = {"machine": machine(), "date": dt.date.today().isoformat()}
    for size in (int(s) for s in args.sizes.split(",")):
        at: dict[str, Any] = {"load_seconds": grow(size)}
        for what in wanted:
            at[what] = _run(what, args.repeat, None)
            if args.baseline:
                at[f"{what} (baseline)"] = _run(what, args.repeat, args.baseline)
            print(f"  {size:,} {what}: {at[what]}", file=sys.stderr, flush=True)
        results[f"{size:,} contracts"] = at
        print(json.dumps(results, indent=1, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
