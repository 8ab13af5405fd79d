"""The contract's opening: budget sufficiency, the performance guarantee (or its
exemption) and the advance with its guarantee, CFDI and payment. Pure."""

from __future__ import annotations

from decimal import ROUND_UP, Decimal

from besa.demo.histories.base import _CENT, _HUNDRED, VAT_RATE, _money, _plain
from besa.demo.histories.invoices import _Invoicing
from besa.demo.histories.registration import _budget

_SURETIES = (
    "Afianzadora Sofimex, S.A.",
    "Fianzas Dorama, S.A.",
    "Afianzadora Aserta, S.A. de C.V.",
    "Chubb Fianzas Monterrey, S.A.",
    "Liberty Fianzas, S.A. de C.V.",
)


class _Guarantees(_Invoicing):
    def budget(self) -> None:
        if "budget_sufficiency" in self.registration:
            return
        if "late_budget" in self.defects:
            day = self.signed + self.days(1, min(30, (self.today - self.signed).days - 1))
        else:
            day = self.signed - self.days(10, 60)
        self.add("budget_sufficiency", day, _budget(self.rng, self.registration, day))

    def performance_guarantee(self) -> None:
        if "missing_guarantee" in self.defects:
            return
        limit = self.regime.performance_guarantee_days
        if "late_guarantee" in self.defects:
            room = (self.today - self.signed).days - 1
            received = self.signed + self.days(limit + 1, min(limit + 15, room))
        else:
            received = self.signed + self.days(1, limit)
        if not self.guarantee_percent:  # the contract waives it: the exemption is recorded
            self.add(
                "guarantee",
                received,
                {
                    "guarantee_id": "G-1",
                    "type": "performance",
                    "action": "exemption",
                    "date_received": received.isoformat(),
                    "legal_basis": "Excepción a la garantía de cumplimiento, art. 48 LAASSP",
                },
            )
            return
        percent = self.guarantee_percent
        if "short_guarantee" in self.defects:
            percent = (percent * Decimal(self.rng.randint(30, 80)) / _HUNDRED).quantize(_CENT)
        amount = (self.base * percent / _HUNDRED).quantize(_CENT, ROUND_UP)
        if "expired_guarantee" in self.defects:
            valid_until = self.end - self.days(15, min(120, (self.end - self.start).days // 2))
        else:
            valid_until = self.end + self.days(90, 365)
        policy = f"FZ-{self.rng.randrange(10**6, 10**7)}"
        self.guarantees["G-1"] = {
            "amount": amount,
            "percent": percent,
            "valid_until": valid_until,
            "policy": policy,
        }
        self.add(
            "guarantee",
            received,
            {
                "guarantee_id": "G-1",
                "type": "performance",
                "instrument": "surety_bond",
                "issuer": self.rng.choice(_SURETIES),
                "policy_number": policy,
                "amount": _plain(amount),
                "percent": _plain(percent),
                "beneficiary": self.beneficiary,
                "date_received": received.isoformat(),
                "valid_from": self.signed.isoformat(),
                "valid_until": valid_until.isoformat(),
            },
            self.document(f"Póliza de fianza de cumplimiento {policy}"),
        )

    def advance(self) -> None:
        if not 0 < self.advance_percent < 100:
            return
        subtotal = self.advance_subtotal = _money(self.amount * self.advance_percent / _HUNDRED)
        taxes = _money(subtotal * VAT_RATE)
        total = subtotal + taxes
        ready = self.signed + self.days(2, 10)
        if "advance_without_guarantee" not in self.defects:
            policy = f"FZA-{self.rng.randrange(10**6, 10**7)}"
            self.guarantees["G-A"] = {"amount": total, "policy": policy}
            self.add(
                "guarantee",
                ready,
                {
                    "guarantee_id": "G-A",
                    "type": "advance",
                    "instrument": "surety_bond",
                    "issuer": self.rng.choice(_SURETIES),
                    "policy_number": policy,
                    "amount": _plain(total),
                    "percent": "100",
                    "beneficiary": self.beneficiary,
                    "date_received": ready.isoformat(),
                    "valid_from": self.signed.isoformat(),
                    "valid_until": (self.end + self.days(30, 90)).isoformat(),
                },
                self.document(f"Póliza de fianza de anticipo {policy}"),
            )
        issued = ready + self.days(0, 5)
        invoice = self.invoice(issued, issued + self.days(0, 2), subtotal, Decimal(0), [])
        paid = invoice.received + self.days(3, 15)
        self.pay(invoice, paid, total, is_advance=True)
