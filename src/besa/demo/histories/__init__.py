"""Execution histories for the demo contracts: what happened to each contract after signing.

Pure: no Django, no clock, no database. ``plan_history`` turns a contract's registration
payload into the logbook entries of its life up to (not including) ``today``, each payload
valid for ``besa.logbook.kinds`` against the state of its moment; ``besa.demo.seed`` appends
them through ``append()``. The same generator state, registration and ``today`` always give
the same plan.

**A clean history** (domain.md §3.3, §3.4): the budget sufficiency, dated 10–60 days before
the award, and positive SAT 32-D, IMSS and INFONAVIT opinions go in the registration payload
(``complete_registration``); the performance guarantee is received 1–10 natural days after
signing, for the contract's ``guarantee_percent`` of the amount (of the maximum for open
contracts), valid until 3–12 months after the end date, in favour of the jurisdiction's
``guarantee_beneficiary`` (TESOFE, for entidades too: the registration does not say which
institutions are entidades); contracts with an advance get an advance guarantee, the advance's
CFDI and its payment (``is_advance``), the advance being amortised as a ``discount`` on every
later CFDI; a schedule of 2–6 deliverables spread over the term, amounts adding up to the
contract amount; deliveries accepted on or before their due date; one PUE CFDI per deliverable
from the (lead) supplier to the buying institution, received 0–6 days after acceptance,
subtotal + 16 % VAT; payment of the CFDI total within ``payment_days`` natural days of its
receipt (5 % of CFDIs get a deficiency letter within the review days and a corrected CFDI, and
are paid after day 20 but within 20 days plus the pause); the finiquito (``closure``) 5–25
days after the end date and always before ``closure_days`` are over, then the release of the
guarantees. About 8 % of clean contracts also get an amendment of +3–15 % (amount and
quantity, sometimes term) with the guarantee's endorsement and an extra deliverable.
Foreign-currency contracts invoice and pay in their currency at the contract's exchange rate.

**Defects** (``DEFECTS``) each bend the history in one way; ``ALERTS`` names the §4 alerts
each is meant to raise. Where ``besa.logbook.kinds.checks`` refuses the literal bad practice,
the nearest allowed form is used:

- ``payment_without_delivery``: a payment may not precede the receipt of a CFDI it names, so
  the supplier's CFDI is received, and paid, before the delivery (the CFDI is therefore also
  dated before its deliverable, A15's [INF] clause).
- ``early_termination_no_justification``, ``rescission`` and a suspension that never resumes:
  deliverables cannot be unscheduled (a re-plan needs an amount > 0), so the cancelled ones
  stay scheduled and undelivered; alert rules must read the ``terminated_early``,
  ``rescinded`` and ``suspended`` statuses as ending or pausing those obligations.
- ``late_amendment``: nothing but guarantees, payments and documents may follow a closure, so
  the late amendment is signed 3–20 days after expiry and the finiquito comes after it.
- ``rescission``: a guarantee can only be enforced if it exists and is still active, so the
  defect is never combined with ``missing_guarantee`` or with ``amendment_over_20`` (whose
  endorsement could follow the enforcement).
- ``late_delivery`` and ``penalty_underapplied``: a penalty needs a daily rate > 0, so only
  contracts with a ``penalty_rate_percent`` qualify (``applicable``).
- ``overpayment``: there is no refund (reintegro) kind; the closure records the excess as
  ``balance_owed_to_buyer``.

Amounts: contract amounts, deliverables, penalties, deductions and amendments are without VAT;
CFDIs and payments carry VAT (payments pay CFDI totals), so alert rules comparing payments
with contract or accepted amounts must add VAT (or compare CFDI subtotals).

**Layout**, one module per phase of a contract's life: ``defects`` (which bad practices, how
many, which combine), ``registration`` (the registration's opening evidence and the day it is
recorded), ``base`` (the planner's state, the planned entry, money and date helpers), then
the planner's phases, each a class that extends the one before so that a later phase may use
an earlier one's steps: ``invoices`` (CFDIs and payments) <- ``guarantees`` (budget,
guarantees, advance) <- ``deliveries`` (schedule, deliveries, penalties, deductions) <-
``amendments`` <- ``endings`` (suspension, termination, rescission, closure) <- ``planner``
(``plan_history``: the phases in order).
"""

from besa.demo.histories.base import PlannedEntry
from besa.demo.histories.defects import (
    ALERTS,
    CLEAN_SHARE,
    DEFECTS,
    LISTED,
    OUTSIDE_HISTORY,
    applicable,
    assign_defects,
    compatible,
    fits,
    share,
)
from besa.demo.histories.planner import plan_history
from besa.demo.histories.registration import complete_registration, registration_day

__all__ = [
    "ALERTS",
    "CLEAN_SHARE",
    "DEFECTS",
    "LISTED",
    "OUTSIDE_HISTORY",
    "PlannedEntry",
    "applicable",
    "assign_defects",
    "compatible",
    "complete_registration",
    "fits",
    "plan_history",
    "registration_day",
    "share",
]
