"""How a contract ends: suspension, early termination, rescission, and the closure
(finiquito) with the release of its guarantees. Pure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from besa.demo.histories.amendments import _Amendments
from besa.demo.histories.base import _HUNDRED, _day, _Deliverable, _money, _plain

_RESCISSION_CAUSES = (
    "Incumplimiento en la entrega de los bienes en la fecha pactada",
    "Incumplimiento reiterado de las obligaciones del contrato",
)
_TERMINATION_CAUSES = (
    "Razones de interés general",
    "Extinción de la necesidad de los bienes o servicios",
)
_SUSPENSION_CAUSES = (
    "Caso fortuito: cierre temporal del inmueble",
    "Suspensión por causa de fuerza mayor",
    "Reprogramación presupuestal",
)


class _Endings(_Amendments):
    def endings(self) -> None:
        if "suspension" in self.defects:
            self.suspension()
        elif "early_termination_no_justification" in self.defects:
            first = self.start + dt.timedelta(days=30)
            day = self.between(first, min(self.end - dt.timedelta(days=10), self.yesterday()))
            self.cutoff = self.ended_on = day
            cause = self.rng.choice(_TERMINATION_CAUSES)
            payload: dict[str, Any] = {"date": day.isoformat(), "cause": cause}
            if self.rng.random() < 0.5:
                payload["reimbursed_expenses"] = _plain(
                    _money(self.amount * Decimal(self.rng.randint(1, 5)) / _HUNDRED)
                )
            self.termination = payload
        elif "rescission" in self.defects:
            passed = [d for d in self.deliverables if d.due + dt.timedelta(days=50) < self.today]
            target = self.rng.choice(passed) if passed else self.deliverables[0]
            self.cutoff = target.due
            notice = target.due + self.days(5, 20)
            answer = self.business_days(
                notice, self.rng.randint(1, self.regime.rescission_answer_business_days)
            )
            resolution = answer + self.days(3, self.regime.rescission_resolution_days)
            self.ended_on = resolution
            self.rescission = (notice, answer, resolution)

    def suspension(self) -> None:
        first = self.start + dt.timedelta(days=15)
        last = min(self.end - dt.timedelta(days=75), self.yesterday())
        day = self.between(first, last)
        pause = self.days(15, 60)
        self.add(
            "suspension",
            day,
            {
                "action": "suspend",
                "date": day.isoformat(),
                "cause": self.rng.choice(_SUSPENSION_CAUSES),
                "expected_resume_date": (day + pause).isoformat(),
            },
            self.document("Acuerdo de suspensión"),
        )
        resumed = day + pause
        if self.rng.random() >= 0.7 or resumed >= self.today:
            self.cutoff = day
            self.closable = False
            return
        self.add("suspension", resumed, {"action": "resume", "date": resumed.isoformat()})
        self.amend(resumed, Decimal(0), term=self.end + pause)
        moved = []
        for deliverable in self.deliverables:
            if deliverable.due >= day:
                deliverable.due = max(deliverable.due + pause, resumed + dt.timedelta(days=10))
                deliverable.floor = max(deliverable.floor, resumed + dt.timedelta(days=1))
                moved.append(deliverable)
        if moved:
            self.add(
                "deliverable_schedule", resumed, {"deliverables": [d.payload() for d in moved]}
            )

    def rescind(self) -> None:
        if self.rescission is None:
            return
        notice, answer, resolution = self.rescission
        self.add(
            "rescission",
            notice,
            {
                "stage": "notice",
                "date": notice.isoformat(),
                "cause": self.rng.choice(_RESCISSION_CAUSES),
            },
            self.document("Oficio de inicio del procedimiento de rescisión"),
        )
        self.add("rescission", answer, {"stage": "answer", "date": answer.isoformat()})
        payload: dict[str, Any] = {
            "stage": "resolution",
            "date": resolution.isoformat(),
            "supplier_answer_date": answer.isoformat(),
            "decision": "rescinded",
        }
        guarantee = self.guarantees.get("G-1")
        enforce = guarantee is not None and self.rng.random() < 0.5
        if enforce and guarantee is not None:
            payload["guarantee_enforced_amount"] = _plain(guarantee["amount"])
        self.add("rescission", resolution, payload, self.document("Resolución de rescisión"))
        if enforce and guarantee is not None:
            on = resolution + self.days(1, 10)
            self.add(
                "guarantee",
                on,
                {
                    "guarantee_id": "G-1",
                    "type": "performance",
                    "action": "enforcement",
                    "amount": _plain(guarantee["amount"]),
                    "date_received": on.isoformat(),
                },
            )
            guarantee["enforced"] = True
        else:
            self.closable = self.rng.random() < 0.5

    def terminate(self) -> None:
        if self.termination is not None:
            self.add("early_termination", _day(self.termination["date"]), self.termination)

    def close(self) -> None:
        if not self.closable or "no_closure" in self.defects:
            return
        if any(d.mode == "missing" or d.pay_mode == "unpaid" for d in self.deliverables):
            return
        if any(not invoice.paid for invoice in self.invoices):
            return
        if self.ended_on is None and any(not self.delivered(d) for d in self.deliverables):
            return
        ended = self.ended_on or self.current_end
        last = max(e.day for e in self.events)
        limit = ended + dt.timedelta(days=self.regime.closure_days - 2)
        day = max(last + dt.timedelta(days=1), min(max(ended, last) + self.days(5, 25), limit))
        if day >= self.today:
            return
        released = min(day + self.days(0, 5), self.yesterday())
        # The guarantees still held are released with the finiquito.
        active = [g for g, facts in self.guarantees.items() if not facts.get("enforced")]
        settlement = self.settlement(day, released if "G-1" in active else None)
        self.add("closure", day, settlement, self.document("Acta de finiquito"))
        for guarantee_id in active:
            self.add(
                "guarantee",
                released,
                {
                    "guarantee_id": guarantee_id,
                    "type": "performance" if guarantee_id == "G-1" else "advance",
                    "action": "release",
                    "date_received": released.isoformat(),
                },
                self.document(f"Carta de liberación de la garantía {guarantee_id}"),
            )

    def delivered(self, deliverable: _Deliverable) -> bool:
        return any(
            e.kind == "delivery" and e.payload["deliverable_id"] == deliverable.id
            for e in self.events
        )

    def settlement(self, day: dt.date, released: dt.date | None) -> dict[str, Any]:
        accepted: dict[str, Decimal] = {}
        invoiced = paid = penalties = deductions = withheld = Decimal(0)
        for event in self.events:
            p = event.payload
            if event.kind == "delivery":
                accepted[p["deliverable_id"]] = accepted.get(p["deliverable_id"], Decimal(0)) + (
                    Decimal(p["quantity_accepted"])
                )
            elif event.kind == "invoice":
                invoiced += Decimal(p["total"])
            elif event.kind == "payment":
                paid += Decimal(p["amount"])
                withheld += Decimal(p.get("penalties_withheld", 0))
                withheld += Decimal(p.get("deductions_withheld", 0))
            elif event.kind == "penalty":
                penalties += Decimal(p["applied_amount"])
            elif event.kind == "deduction":
                deductions += Decimal(p["amount"])
        delivered = Decimal(0)
        for deliverable in self.deliverables:
            share = min(Decimal(1), accepted.get(deliverable.id, Decimal(0)) / deliverable.quantity)
            delivered += _money(deliverable.amount * share)
        balance = invoiced - paid - withheld
        payload: dict[str, Any] = {
            "date": day.isoformat(),
            "delivered_amount": _plain(delivered),
            "invoiced_amount": _plain(invoiced),
            "paid_amount": _plain(paid),
            "penalties_total": _plain(penalties),
            "deductions_total": _plain(deductions),
            "balance_owed_to_supplier": _plain(max(balance, Decimal(0))),
            "balance_owed_to_buyer": _plain(max(-balance, Decimal(0))),
        }
        if released is not None:
            payload["guarantee_release_date"] = released.isoformat()
        return payload
