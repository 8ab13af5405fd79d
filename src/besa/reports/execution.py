"""Report (d): execution — payment delays, penalties calculated vs applied, guarantee
coverage, amendments over 20 %, early terminations and rescissions, per institution.

Read from each contract's folded state (``ContractState.snapshot``, ``besa.logbook.state``):
its money totals are already in the home currency, rounded to cents per entry. A payment's
delay is the days from the invoice's reception to the payment (the law allows 20 natural
days). Public: aggregates only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from besa.logbook.models import ContractState
from besa.registry.models import ContractQuerySet
from besa.reports.tables import Column, Report, Table, bucket, bucket_rows, money

SLUG = "ejecucion"
#: Payment delay buckets, in days from the invoice's reception to the payment.
DELAYS = ((20, _("Hasta 20 días")), (30, _("21 a 30 días")), (60, _("31 a 60 días")))
LATER = _("Más de 60 días")
AMENDMENT_LIMIT = Decimal(20)


def payment_delays(snapshot: dict[str, Any]) -> list[int]:
    """Days from each paid invoice's reception to the payment that paid it (pure)."""
    delays = []
    for payment in snapshot.get("payments", []):
        paid = dt.date.fromisoformat(payment["date"])
        for uuid in payment.get("invoice_uuids", []):
            invoice = snapshot.get("invoices", {}).get(uuid)
            if invoice and invoice.get("date_received"):
                delays.append((paid - dt.date.fromisoformat(invoice["date_received"])).days)
    return delays


def build(contracts: ContractQuerySet, as_of: dt.datetime) -> Report:
    per: dict[str, dict[str, Any]] = defaultdict(
        lambda: {
            "contracts": 0,
            "payments": 0,
            "late_payments": 0,
            "calculated": Decimal(0),
            "applied": Decimal(0),
            "guarantee_due": 0,
            "guaranteed": 0,
            "amended": 0,
            "terminated": 0,
            "rescinded": 0,
        }
    )
    buckets: dict[int, int] = defaultdict(int)
    states = ContractState.objects.filter(contract__in=contracts.values("pk")).values_list(
        "contract__buying_unit__institution__name", "contract__guarantee_percent", "snapshot"
    )
    for institution, guarantee_percent, snapshot in states.iterator(500):
        row = per[institution]
        row["contracts"] += 1
        for delay in payment_delays(snapshot):
            row["payments"] += 1
            row["late_payments"] += delay > DELAYS[0][0]
            buckets[bucket(delay, DELAYS)] += 1
        totals = snapshot.get("totals", {})
        row["calculated"] += money(totals.get("penalties_calculated"))
        row["applied"] += money(totals.get("penalties_applied"))
        if guarantee_percent and Decimal(guarantee_percent) > 0:
            row["guarantee_due"] += 1
            guarantees = (snapshot.get("guarantees") or {}).values()
            row["guaranteed"] += any(g.get("status") in ("active", "exempted") for g in guarantees)
        increase = Decimal(snapshot.get("amendment_increase_percent") or 0)
        row["amended"] += increase > AMENDMENT_LIMIT
        row["terminated"] += snapshot.get("early_termination") is not None
        row["rescinded"] += (snapshot.get("rescission") or {}).get("decision") == "rescinded"

    names = sorted(per)
    return Report(
        slug=SLUG,
        title=_("Ejecución de los contratos"),
        public=True,
        as_of=as_of,
        tables=[
            Table(
                "delays",
                _("Días del recibo de la factura al pago"),
                [
                    Column("label", _("Días")),
                    Column("payments", _("Pagos"), "int", summed=True),
                ],
                bucket_rows(DELAYS, LATER, buckets, "payments"),
                chart=("label", "payments"),
            ),
            Table(
                "penalties",
                _("Penas convencionales por institución"),
                [
                    Column("label", _("Institución")),
                    Column("calculated", _("Calculadas"), "money", summed=True),
                    Column("applied", _("Aplicadas"), "money", summed=True),
                    Column("gap", _("Sin aplicar"), "money", summed=True),
                ],
                [
                    {
                        "key": n,
                        "label": n,
                        "calculated": per[n]["calculated"],
                        "applied": per[n]["applied"],
                        "gap": per[n]["calculated"] - per[n]["applied"],
                    }
                    for n in names
                ],
                chart=("label", "gap"),
            ),
            Table(
                "execution",
                _("Pagos, garantías, convenios y terminaciones por institución"),
                [
                    Column("label", _("Institución")),
                    Column("contracts", _("Contratos"), "int", summed=True),
                    Column("payments", _("Facturas pagadas"), "int", summed=True),
                    Column("late_payments", _("Pagadas después de 20 días"), "int", summed=True),
                    Column("guarantee_due", _("Con garantía exigida"), "int", summed=True),
                    Column("guaranteed", _("Con garantía vigente"), "int", summed=True),
                    Column("amended", _("Convenios de más del 20 %"), "int", summed=True),
                    Column("terminated", _("Terminaciones anticipadas"), "int", summed=True),
                    Column("rescinded", _("Rescisiones"), "int", summed=True),
                ],
                [{"key": n, "label": n, **per[n]} for n in names],
                chart=("label", "late_payments"),
            ),
        ],
    )
