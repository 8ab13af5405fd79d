"""Published versus registered contracts, per institution (issue 12, item 6).

Each contract in the reader's scope is in one of four states:

- ``registered``: its buying unit registered it in BESA itself (not imported);
- ``confirmed``: published (CompraNet/ComprasMX, imported) and confirmed by its buying unit;
- ``pending``: published, unconfirmed, and the registration deadline (signing +
  ``registration_business_days``) has not passed;
- ``not_registered``: published, unconfirmed, past the deadline (A01 "not registered").

The deadline is computed per contract on the jurisdiction's calendar, for the contracts listed
(a page); the per-institution counts of ``not_registered`` come from the open A01 alerts that
say so, which the sweep raised on the day after each deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from besa.alerts.models import ACTIVE_STATES, Alert
from besa.jurisdiction import from_env
from besa.registry.models import Contract, Institution
from besa.registry.publication import confirmations, imported_registrations

STATES = ("registered", "confirmed", "pending", "not_registered")


@dataclass(frozen=True)
class Counts:
    """One institution's contracts by state (``STATES``), within the filters."""

    institution: Institution
    total: int
    registered: int
    published: int
    confirmed: int
    not_registered: int

    @property
    def pending(self) -> int:
        return self.published - self.confirmed - self.not_registered


def contracts(
    user: Any,
    *,
    institution: str | None = None,
    signed_from: dt.date | None = None,
    signed_until: dt.date | None = None,
    state: str | None = None,
) -> QuerySet[Contract]:
    """Contracts in ``user``'s scope annotated with ``published``, ``confirmed`` and
    ``not_registered`` (an open A01 "not registered" alert), filtered."""
    rows = Contract.objects.visible_to(user).annotate(
        published=Exists(imported_registrations().filter(contract=OuterRef("pk"))),
        confirmed=Exists(confirmations().filter(contract=OuterRef("pk"))),
        not_registered=Exists(
            Alert.objects.filter(
                contract=OuterRef("pk"),
                rule="A01",
                evidence__problem="not_registered",
                state__in=ACTIVE_STATES,
            )
        ),
    )
    if institution:
        rows = rows.filter(buying_unit__institution__code=institution)
    if signed_from:
        rows = rows.filter(signing_date__gte=signed_from)
    if signed_until:
        rows = rows.filter(signing_date__lte=signed_until)
    if state == "registered":
        rows = rows.filter(published=False)
    elif state == "confirmed":
        rows = rows.filter(published=True, confirmed=True)
    elif state == "pending":
        rows = rows.filter(published=True, confirmed=False, not_registered=False)
    elif state == "not_registered":
        rows = rows.filter(published=True, confirmed=False, not_registered=True)
    return rows.select_related("buying_unit__institution").order_by(
        "buying_unit__institution__code", "signing_date", "number"
    )


def counts(rows: QuerySet[Contract]) -> list[Counts]:
    """Per-institution counts of ``rows`` (as ``contracts`` returns them), one query."""
    grouped = (
        rows.order_by()
        .values("buying_unit__institution")
        .annotate(
            total=Count("pk"),
            published_count=Count("pk", filter=Q(published=True)),
            confirmed_count=Count("pk", filter=Q(published=True, confirmed=True)),
            overdue_count=Count(
                "pk", filter=Q(published=True, confirmed=False, not_registered=True)
            ),
        )
    )
    per = {row["buying_unit__institution"]: row for row in grouped}
    return [
        Counts(
            inst,
            per[inst.pk]["total"],
            per[inst.pk]["total"] - per[inst.pk]["published_count"],
            per[inst.pk]["published_count"],
            per[inst.pk]["confirmed_count"],
            per[inst.pk]["overdue_count"],
        )
        for inst in Institution.objects.filter(pk__in=per).order_by("code")
    ]


def state_of(contract: Contract) -> str:
    """The contract's state (``STATES``), from the annotations of ``contracts``."""
    if not getattr(contract, "published", False):
        return "registered"
    if getattr(contract, "confirmed", False):
        return "confirmed"
    return "not_registered" if getattr(contract, "not_registered", False) else "pending"


def registration_deadline(contract: Contract) -> dt.date:
    """The last day its buying unit had (or has) to register it: signing + the regime's
    ``registration_business_days`` on the jurisdiction's calendar."""
    jurisdiction = from_env()
    days = jurisdiction.regime(contract.regime).registration_business_days
    return jurisdiction.calendar.add_business_days(contract.signing_date, days)
