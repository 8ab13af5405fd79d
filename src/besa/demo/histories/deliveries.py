"""The delivery schedule and the deliveries: on time, late (with penalties up to the cap),
badly (rejected, partial, with deductions), or paid before delivery. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_UP, Decimal
from typing import Any

from besa.demo.histories.base import _CENT, _HUNDRED, _Deliverable, _money, _plain
from besa.demo.histories.guarantees import _Guarantees

_UNITS = {"adquisicion": ("pieza", "caja", "lote", "paquete"), "servicio": ("servicio",)}
_REJECTION_REASONS = (
    "Los bienes no cumplen con las especificaciones técnicas del anexo técnico",
    "Caducidad menor a la pactada en el contrato",
    "Empaque dañado y sin registro sanitario visible",
    "El servicio no se prestó conforme a los niveles de servicio pactados",
)


class _Deliveries(_Guarantees):
    def schedule(self) -> None:
        term = (self.end - self.start).days
        n = min(6, max(2, term // 90 + self.rng.randint(0, 2)))
        self.schedule_day = self.signed + self.days(0, 3)
        weights = [Decimal(self.rng.randint(80, 120)) for _ in range(n)]
        amounts = [_money(self.amount * w / sum(weights)) for w in weights]
        amounts[-1] = self.amount - sum(amounts[:-1])
        units = _UNITS.get(self.kind, ("periodo",))
        for k in range(1, n + 1):
            if k == n:
                due = self.end
            else:
                due = self.start + dt.timedelta(days=round(term * k / n) - self.rng.randint(0, 5))
            due = max(due, self.start + dt.timedelta(days=15))
            if self.kind == "adquisicion":
                quantity = Decimal(self.rng.randrange(10, 2000) * 10)
                description = f"Entrega {k} de {n}: {self.title}"
            else:
                quantity = Decimal(1)
                description = f"Periodo {k} de {n}: {self.title}"
            self.deliverables.append(
                _Deliverable(
                    id=f"E{k}",
                    description=description,
                    quantity=quantity,
                    unit=self.rng.choice(units),
                    amount=amounts[k - 1],
                    due=due,
                    floor=self.schedule_day + dt.timedelta(days=1),
                    place=f"Almacén central de {self.buyer_code}",
                )
            )
        self.add(
            "deliverable_schedule",
            self.schedule_day,
            {"deliverables": [d.payload() for d in self.deliverables]},
        )
        self.amortise()

    def amortise(self) -> None:
        """Spread the advance over the deliverables' CFDIs, as a discount."""
        if not self.advance_subtotal:
            return
        left = self.advance_subtotal
        for deliverable in self.deliverables[:-1]:
            deliverable.discount = _money(deliverable.amount * self.advance_percent / _HUNDRED)
            left -= deliverable.discount
        self.deliverables[-1].discount = left

    def choose_targets(self, deliverables: list[_Deliverable]) -> None:
        """Mark the deliverables that the delivery and payment defects bend (never twice)."""
        if not deliverables:
            return
        taken: set[str] = set()

        def pick(condition: Callable[[_Deliverable], bool], *, last: bool = False) -> _Deliverable:
            free = [d for d in deliverables if d.id not in taken] or deliverables
            fitting = [d for d in free if condition(d)] or free[:1]
            chosen = fitting[-1] if last else self.rng.choice(fitting)
            taken.add(chosen.id)
            return chosen

        def passed(days: int) -> Callable[[_Deliverable], bool]:
            return lambda d: d.due + dt.timedelta(days=days) < self.today

        if "payment_without_delivery" in self.defects:
            taken.add(deliverables[0].id)
            deliverables[0].pay_mode = "before_delivery"
        late = {"late_delivery", "late_delivery_no_penalty", "penalty_underapplied"} & self.defects
        if late:
            pick(passed(25)).mode = late.pop()
        if "penalty_cap" in self.defects:
            self.cap_target(deliverables, taken)
        if "rejected_delivery" in self.defects:
            pick(passed(12)).mode = "rejected"
        if "missing_delivery" in self.defects:
            pick(passed(5), last=True).mode = "missing"
        if "late_payment" in self.defects:
            pick(passed(80)).pay_mode = "late"
        if "unpaid_invoice" in self.defects:
            pick(passed(35), last=True).pay_mode = "unpaid"
        if "overpayment" in self.defects:
            pick(lambda d: True, last=True).pay_mode = "overpaid"

    def cap(self) -> Decimal:
        """The penalty cap: the performance guarantee's amount (or the one required)."""
        guarantee = self.guarantees.get("G-1")
        if guarantee is not None:
            return Decimal(guarantee["amount"])
        return (self.base * self.guarantee_percent / _HUNDRED).quantize(_CENT, ROUND_UP)

    def days_to_cap(self, deliverable: _Deliverable) -> int:
        """Days late after which the deliverable's penalty reaches the cap (one spare day)."""
        daily = deliverable.amount * self.penalty_rate / _HUNDRED
        if not daily:
            return 10**6
        return int((self.cap() / daily).to_integral_value(ROUND_UP)) + 1

    def cap_target(self, deliverables: list[_Deliverable], taken: set[str]) -> None:
        """``penalty_cap``: the largest deliverable (not the last) whose penalty can reach the
        cap, be withheld and be left undecided for a month, all before the end date."""
        limit = min(self.today, self.current_end)
        free = (
            [d for d in deliverables[:-1] if d.id not in taken]
            or [d for d in deliverables if d.id not in taken]
            or deliverables
        )
        fitting = [d for d in free if d.due + dt.timedelta(days=self.days_to_cap(d) + 35) < limit]
        chosen = max(fitting or free[:1], key=lambda d: d.amount)
        taken.add(chosen.id)
        chosen.mode = "penalty_cap"

    def receive(
        self,
        deliverable: _Deliverable,
        day: dt.date,
        received: Decimal,
        accepted: Decimal,
        result: str,
        reason: str | None = None,
    ) -> None:
        payload: dict[str, Any] = {
            "deliverable_id": deliverable.id,
            "date": day.isoformat(),
            "quantity_received": _plain(received),
            "quantity_accepted": _plain(accepted),
            "result": result,
            "receipt_document": f"ER-{deliverable.id}-{day:%Y%m%d}",
        }
        if reason:
            payload["reason"] = reason
        self.add(
            "delivery", day, payload, self.document(f"Acta de entrega-recepción {deliverable.id}")
        )

    def on_time(self, deliverable: _Deliverable) -> dt.date:
        return max(deliverable.floor, deliverable.due - self.days(0, 10))

    def deliver(self, deliverable: _Deliverable) -> dt.date | None:
        """Record the receptions of ``deliverable``; return the day it was fully accepted."""
        mode = deliverable.mode
        quantity = deliverable.quantity
        if mode == "missing":
            return None
        if mode in ("late_delivery", "late_delivery_no_penalty", "penalty_underapplied",
                    "penalty_cap"):  # fmt: skip
            return self.deliver_late(deliverable)
        if mode == "rejected":
            return self.deliver_badly(deliverable)
        day = self.on_time(deliverable)
        self.receive(deliverable, day, quantity, quantity, "accepted")
        return day

    def deliver_late(self, deliverable: _Deliverable) -> dt.date:
        # Keep the penalty below the guarantee (the cap, A10): days × rate × base ≤ 8 % amount.
        share = deliverable.amount * self.penalty_rate / _HUNDRED
        most = int(self.amount * Decimal("0.08") / share) if share else 20
        room = (self.today - deliverable.due).days - 6
        days_late = self.rng.randint(2, max(2, min(20, most, room)))
        if deliverable.mode == "penalty_cap":  # at the cap: the guarantee's amount or more
            days_late = self.days_to_cap(deliverable) + self.rng.randint(0, 3)
        day = deliverable.due + dt.timedelta(days=days_late)
        self.receive(deliverable, day, deliverable.quantity, deliverable.quantity, "accepted")
        if deliverable.mode == "late_delivery_no_penalty" or not self.penalty_rate:
            return day
        calculated = _money(share * days_late)
        applied = calculated
        if deliverable.mode == "penalty_underapplied":
            applied = _money(calculated * Decimal(self.rng.randint(20, 70)) / _HUNDRED)
        deliverable.penalty = applied
        on = min(day + self.days(1, 5), max(day, self.yesterday()))
        self.add(
            "penalty",
            on,
            {
                "deliverable_id": deliverable.id,
                "days_late": days_late,
                "daily_rate_percent": _plain(self.penalty_rate),
                "base_amount": _plain(deliverable.amount),
                "calculated_amount": _plain(calculated),
                "applied_amount": _plain(applied),
                "application": "withheld",
                "date": on.isoformat(),
            },
        )
        return on

    def deliver_badly(self, deliverable: _Deliverable) -> dt.date:
        quantity = deliverable.quantity
        first = max(deliverable.floor, deliverable.due - self.days(8, 15))
        reason = self.rng.choice(_REJECTION_REASONS)
        # A partial reception of one service makes no sense: only goods can be partial.
        variants = (
            ("rejected", "partial", "deficient") if quantity >= 10 else ("rejected", "deficient")
        )
        variant = self.rng.choice(variants)
        if variant == "deficient":
            self.receive(deliverable, first, quantity, quantity, "deficient", reason)
            accepted = first
        else:
            kept = Decimal(0)
            if variant == "partial":
                kept = (quantity * Decimal(self.rng.randint(70, 95)) / _HUNDRED).to_integral_value()
            self.receive(deliverable, first, quantity, kept, variant, reason)
            accepted = self.between(first + dt.timedelta(days=1), deliverable.due)
            rest = quantity - kept
            self.receive(deliverable, accepted, rest, rest, "accepted")
        if variant != "rejected" and self.rng.random() < 0.5:
            percent = Decimal(self.rng.randint(2, 10))
            deliverable.deduction = _money(deliverable.amount * percent / _HUNDRED)
            on = accepted + self.days(0, 3)
            self.add(
                "deduction",
                on,
                {
                    "deliverable_id": deliverable.id,
                    "description": f"Deductiva por entrega {variant}: {reason}",
                    "percent": _plain(percent),
                    "amount": _plain(deliverable.deduction),
                    "date": on.isoformat(),
                },
            )
            accepted = on
        return accepted

    def pay_before_delivery(self, deliverable: _Deliverable) -> None:
        """The CFDI of ``deliverable`` arrives and is paid before anything is delivered."""
        # Before every possible reception: on-time deliveries come at most 10 days early.
        first_due = min(d.due for d in self.deliverables)
        upper = min(
            self.signed + dt.timedelta(days=30),
            self.today - dt.timedelta(days=2),
            first_due - dt.timedelta(days=11),
        )
        paid = self.signed + self.days(3, (upper - self.signed).days)
        received = max(self.schedule_day, paid - self.days(1, 10))
        issued = max(self.schedule_day, received - self.days(0, 2))
        invoice = self.invoice(
            issued, received, deliverable.amount, deliverable.discount, [deliverable.id]
        )
        self.pay(invoice, paid, invoice.total)
        day = max(self.on_time(deliverable), paid + dt.timedelta(days=1))
        self.receive(deliverable, day, deliverable.quantity, deliverable.quantity, "accepted")
