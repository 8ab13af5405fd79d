"""``plan_history``: a contract's life after its registration, phase by phase. Pure."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from typing import Any

from besa.demo.histories.base import PlannedEntry
from besa.demo.histories.defects import DEFECTS
from besa.demo.histories.endings import _Endings
from besa.jurisdiction.calendar import BusinessCalendar
from besa.jurisdiction.model import Regime


def plan_history(
    rng: random.Random,
    registration: Mapping[str, Any],
    today: dt.date,
    *,
    regime: Regime,
    calendar: BusinessCalendar,
    beneficiary: str,
    zone: dt.tzinfo,
    defects: frozenset[str] = frozenset(),
) -> list[PlannedEntry]:
    """The entries of a contract's life after its registration, dated before ``today``.

    ``registration`` is the (normalised or raw) registration payload, ideally completed by
    ``complete_registration``; without a ``budget_sufficiency`` in it, the sufficiency is
    planned as an entry (dated after signing for ``late_budget``, before otherwise).
    ``regime`` gives the deadlines (``performance_guarantee_days``, ``payment_days``,
    ``closure_days``, ``rescission_*``), ``calendar`` the business days, ``beneficiary`` the
    jurisdiction's guarantee beneficiary and ``zone`` the time zone of ``occurred_at``.
    A defect that the contract's dates leave no room for (``applicable`` is false) is planned
    as best it can be and may not show. Raises ``ValueError`` for an unknown defect.
    """
    unknown = sorted(defects - set(DEFECTS))
    if unknown:
        raise ValueError(f"unknown defects: {unknown}")
    return _Planner(rng, registration, today, regime, calendar, beneficiary, zone, defects).plan()


class _Planner(_Endings):
    def plan(self) -> list[PlannedEntry]:
        self.budget()
        self.performance_guarantee()
        self.advance()
        self.schedule()
        self.clean_amendment()
        self.amendment_over_20()
        self.endings()
        self.execute()
        self.late_amendment()
        self.close()
        return self.entries()

    def execute(self) -> None:
        live = [d for d in self.deliverables if self.cutoff is None or d.due < self.cutoff]
        live.sort(key=lambda d: (d.due, d.id))
        originals = [d for d in live if d.added_by is None]
        self.choose_targets(originals)
        for deliverable in live:
            if deliverable.pay_mode == "before_delivery":
                self.pay_before_delivery(deliverable)
                continue
            accepted = self.deliver(deliverable)
            if accepted is not None:
                self.bill(deliverable, accepted)
        self.rescind()
        self.terminate()
