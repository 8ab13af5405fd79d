"""Amendments (convenios modificatorios): the clean +3–15 %, the one over 20 % and the
late one signed after expiry, each with the guarantee's endorsement. Pure."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_UP, Decimal
from typing import Any

from besa.demo.histories.base import _CENT, _HUNDRED, _Deliverable, _money, _plain
from besa.demo.histories.deliveries import _Deliveries


class _Amendments(_Deliveries):
    def amend(
        self, day: dt.date, percent: Decimal, *, term: dt.date | None = None, late: bool = False
    ) -> None:
        """Sign an amendment raising the amount by ``percent`` of the original (0: term only),
        endorse the guarantee and schedule the extra deliverable."""
        self.amendments += 1
        amendment_id = f"CM-{self.amendments}"
        payload: dict[str, Any] = {
            "amendment_id": amendment_id,
            "number": str(self.amendments),
            "signing_date": day.isoformat(),
        }
        change = _money(self.amount * percent / _HUNDRED)
        types = []
        if change:
            types += ["amount", "quantity"]
            payload["amount_change"] = _plain(change)
            payload["quantity_change_percent"] = _plain(percent)
        if term is not None:
            types.append("term")
            payload["new_end_date"] = term.isoformat()
        payload["types"] = types
        payload["justification"] = (
            "Regularización de la vigencia del contrato"
            if late
            else "Ampliación por necesidades adicionales del área requirente"
        )
        guarantee = self.guarantees.get("G-1")
        if guarantee is not None and change:
            payload["guarantee_adjustment"] = f"Endoso {guarantee['policy']}-{self.amendments}"
        self.add("amendment", day, payload, self.document(f"Convenio modificatorio {amendment_id}"))
        self.current_amount += change
        if term is not None:
            self.current_end = term
        if guarantee is not None and change:
            endorsed = day + self.days(1, 7)
            needed = self.current_end + dt.timedelta(days=60)
            valid_until = max(guarantee["valid_until"], needed)
            if "expired_guarantee" in self.defects:
                valid_until = guarantee["valid_until"]
            covered = self.base + self.current_amount - self.amount
            amount = (covered * guarantee["percent"] / _HUNDRED).quantize(_CENT, ROUND_UP)
            guarantee.update(amount=amount, valid_until=valid_until)
            self.add(
                "guarantee",
                endorsed,
                {
                    "guarantee_id": "G-1",
                    "type": "performance",
                    "action": "extension",
                    "amount": _plain(amount),
                    "date_received": endorsed.isoformat(),
                    "valid_until": valid_until.isoformat(),
                    "policy_number": f"{guarantee['policy']}-{self.amendments}",
                    "amendment_id": amendment_id,
                },
            )
        if change:
            due = min(self.current_end, day + self.days(20, 60))
            extra = _Deliverable(
                id=f"E{len(self.deliverables) + 1}",
                description=f"Entrega adicional ({amendment_id}): {self.title}",
                quantity=Decimal(1) if self.kind != "adquisicion" else Decimal(10),
                unit=self.deliverables[0].unit,
                amount=change,
                due=max(due, day + dt.timedelta(days=10)),
                floor=day + dt.timedelta(days=1),
                place=self.deliverables[0].place,
                added_by=amendment_id,
            )
            self.deliverables.append(extra)
            self.add("deliverable_schedule", day, {"deliverables": [extra.payload()]})

    def clean_amendment(self) -> None:
        if self.defects or self.rng.random() >= 0.08:
            return
        first, last = self.start + dt.timedelta(days=30), self.end - dt.timedelta(days=45)
        if first >= min(last, self.yesterday()):
            return
        day = self.between(first, min(last, self.yesterday()))
        term = None
        if self.rng.random() < 0.3:
            term = self.end + self.days(30, 60)
        self.amend(day, Decimal(self.rng.randint(3, 15)), term=term)

    def amendment_over_20(self) -> None:
        if "amendment_over_20" not in self.defects:
            return
        first = self.start + dt.timedelta(days=20)
        last = min(self.end - dt.timedelta(days=10), self.yesterday())
        total = Decimal(self.rng.randint(21, 35))
        if (last - first).days > 60 and self.rng.random() < 0.4:
            step = Decimal(self.rng.randint(8, int(total) - 8))
            day = self.between(first, last - dt.timedelta(days=30))
            self.amend(day, step)
            self.amend(self.between(day + dt.timedelta(days=20), last), total - step)
        else:
            self.amend(self.between(first, last), total)

    def late_amendment(self) -> None:
        if "late_amendment" not in self.defects:
            return
        room = (self.today - self.end).days - 1
        day = self.end + self.days(3, min(20, room))
        self.amend(day, Decimal(0), term=self.end + self.days(30, 60), late=True)
