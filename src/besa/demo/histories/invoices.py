"""CFDIs and payments: each deliverable billed after its acceptance and paid within the
regime's days (or late, short, twice, before delivery, for the defects). Pure."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from besa.demo.histories.base import (
    _HUNDRED,
    VAT_RATE,
    _Base,
    _Deliverable,
    _Invoice,
    _money,
    _plain,
)


class _Invoicing(_Base):
    def invoice(
        self,
        issued: dt.date,
        received: dt.date,
        subtotal: Decimal,
        discount: Decimal,
        deliverable_ids: list[str],
        *,
        letter: tuple[dt.date, dt.date] | None = None,
    ) -> _Invoice:
        taxes = _money((subtotal - discount) * VAT_RATE)
        total = subtotal - discount + taxes
        self.folio += 1
        # Mixed with the contract number: one seed planned for two contracts (as tests do) must
        # not repeat CFDI UUIDs, which the logbook refuses across contracts. The draw from
        # ``rng`` is unchanged, so every other planned value stays the same.
        drawn = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        cfdi = str(uuid.uuid5(drawn, str(self.registration["contract"]["number"]))).upper()
        payload: dict[str, Any] = {
            "uuid": cfdi,
            "series": "A",
            "folio": str(self.folio),
            "issue_date": issued.isoformat(),
            "date_received": received.isoformat(),
            "issuer_rfc": self.supplier_rfc,
            "receiver_rfc": self.buyer_rfc,
            "subtotal": _plain(subtotal),
            "taxes": _plain(taxes),
            "total": _plain(total),
            "currency": self.currency,
            **self.rate_fields(),
            "payment_method": "PUE",
            "deliverable_ids": deliverable_ids,
        }
        if discount:
            payload["discount"] = _plain(discount)
        if letter is not None:
            payload["deficiency_letter_date"] = letter[0].isoformat()
            payload["corrected_invoice_date"] = letter[1].isoformat()
        self.add("invoice", received, payload)
        invoice = _Invoice(cfdi, total, received)
        self.invoices.append(invoice)
        return invoice

    def pay(
        self,
        invoice: _Invoice,
        day: dt.date,
        amount: Decimal,
        *,
        is_advance: bool = False,
        penalties: Decimal = Decimal(0),
        deductions: Decimal = Decimal(0),
        charges: Decimal = Decimal(0),
    ) -> None:
        payload: dict[str, Any] = {
            "date": day.isoformat(),
            "amount": _plain(amount),
            "currency": self.currency,
            **self.rate_fields(),
            "invoice_uuids": [invoice.uuid],
            "clc_folio": f"CLC-{day.year}-{self.rng.randrange(10**5):05d}",
            "channel": "SIAFF" if self.currency == self.home else "SPEI",
        }
        if penalties:
            payload["penalties_withheld"] = _plain(penalties)
        if deductions:
            payload["deductions_withheld"] = _plain(deductions)
        if charges:
            payload["financial_charges"] = _plain(charges)
        if is_advance:
            payload["is_advance"] = True
        self.add("payment", day, payload)
        invoice.paid.append(day)

    def letter(self, received: dt.date) -> tuple[dt.date, dt.date]:
        """A deficiency letter within the review days, and the corrected CFDI's arrival."""
        sent = self.business_days(
            received, self.rng.randint(1, self.regime.invoice_review_business_days)
        )
        return sent, sent + self.days(3, 12)

    def bill(self, deliverable: _Deliverable, accepted: dt.date) -> None:
        issued = accepted + self.days(0, 3)
        received = issued + self.days(0, 3)
        limit = self.regime.payment_days
        mode = deliverable.pay_mode
        letter = None
        if (mode == "late" and self.rng.random() < 0.4) or (
            mode == "clean" and (self.rng.random() < 0.05)
        ):
            letter = self.letter(received)
        invoice = self.invoice(
            issued, received, deliverable.amount, deliverable.discount, [deliverable.id],
            letter=letter,
        )  # fmt: skip
        paused = (letter[1] - letter[0]).days if letter else 0
        due = received + dt.timedelta(days=limit + paused)
        net = invoice.total - deliverable.penalty - deliverable.deduction

        def pay(day: dt.date, amount: Decimal, charges: Decimal = Decimal(0)) -> None:
            self.pay(
                invoice, day, amount, penalties=deliverable.penalty,
                deductions=deliverable.deduction, charges=charges,
            )  # fmt: skip

        if mode == "unpaid":
            return
        if mode == "late":
            day = due + self.days(5, min(40, (self.today - due).days - 1))
            charges = Decimal(0)
            if self.rng.random() < 0.3:  # gastos financieros, as the law wants
                charges = _money(net * Decimal("0.0015") * (day - due).days)
            pay(day, net, charges)
            return
        if letter:
            day = received + self.days(limit + 1, limit + paused)
        else:
            day = received + self.days(3, limit - 2)
        if mode == "overpaid" and self.rng.random() < 0.6:
            pay(day, net)
            pay(min(day + self.days(3, 15), max(day, self.yesterday())), net)  # paid twice
        elif mode == "overpaid":
            pay(day, net + _money(self.amount * Decimal(self.rng.randint(3, 10)) / _HUNDRED))
        else:
            pay(day, net)
