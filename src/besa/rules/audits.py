"""A26: a request for information of an audit left unanswered past its deadline.

The auditor's request (``audit_request`` entry, ``besa.audits``) fixes its deadline when it
is sent: ``business_days`` business days after the day it was sent, on the jurisdiction's
calendar (``answer_due_on``), written in the entry as ``due_on`` so the buying unit, the
auditor and this rule read the same date. Pure: no Django, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from besa.jurisdiction.calendar import BusinessCalendar
from besa.rules.base import Context, Finding, Verdict, earliest, rule
from besa.rules.facts import day, iso

_DAY = dt.timedelta(days=1)


def answer_due_on(calendar: BusinessCalendar, sent_on: dt.date, business_days: int) -> dt.date:
    """The last day to answer a request sent on ``sent_on``: the ``business_days``-th business
    day after it (the day of sending does not count, even when it is a business day; a request
    sent on a weekend or holiday counts from the next business day)."""
    return calendar.add_business_days(sent_on, business_days)


@rule(
    "A26",
    name_es="Requerimiento de auditoría sin respuesta en plazo",
    name_en="Audit request unanswered by its deadline",
    severity="M",
    legal_basis="Acuerdo de fiscalización de la SFP (DOF 2020-11-05); LGRA art. 49 fr. VII",
    trigger_es=(
        "Un requerimiento de información del área fiscalizadora a la unidad compradora sigue "
        "sin respuesta el día hábil siguiente a su fecha límite (N días hábiles después del "
        "envío, N fijado en el requerimiento)"
    ),
    trigger_en=(
        "A request for information from the oversight body to the buying unit is still "
        "unanswered the day after its deadline (N business days after it was sent, N set in "
        "the request)"
    ),
    parameters=("timezone",),
)
def unanswered_request(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A26, one finding per unanswered request, subject ``audit_request:<request id>``: the
    request was not answered and today is after its ``due_on`` (answered on the last day is
    on time; the alert is raised from the day after). A request whose case ended
    (``withdrawn``) is owed no more. ``next_check`` is the day after the earliest deadline
    still ahead, so the sweep raises the alert on that day and not before."""
    findings: list[Finding] = []
    next_check: dt.date | None = None
    for request_id, request in sorted(snapshot.get("audit_requests", {}).items()):
        if request["answered_on"] is not None or request.get("withdrawn"):
            continue
        due = day(request["due_on"])
        if context.today <= due:
            next_check = earliest(next_check, due + _DAY)
            continue
        late = context.jurisdiction.calendar.business_days_between(due, context.today)
        findings.append(
            Finding(
                "A26",
                f"audit_request:{request_id}",
                "M",
                {
                    "request": request_id,
                    "case": request["case"],
                    "addressed_to": request["addressed_to"],
                    "sent_on": request["sent_on"],
                    "business_days": request["business_days"],
                    "due_on": iso(due),
                    "business_days_late": late,
                },
                f"Requerimiento sin respuesta desde el {iso(due)} / "
                f"request unanswered since {iso(due)}",
                since=due + _DAY,
            )
        )
    return Verdict(tuple(findings), next_check)
