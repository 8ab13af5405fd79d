"""The audits report: cases by state and by institution, findings, amounts at stake and
recovered, outcomes, and the mean time per stage (from each case's history of states).

Only the cases the reader may see (``AuditCase.objects.visible_to``): an oversight body its
institutions', the central administrator all. Not public. Rendered like every report
(page, PDF, Excel) by ``besa.reports``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from besa.audits.models import AuditCase, CaseEvent, CaseState, Finding, Outcome
from besa.reports.tables import CENT, Column, Report, Table

SLUG = "auditorias"


def _days(delta: dt.timedelta) -> Decimal:
    return Decimal(delta.total_seconds() / 86400).quantize(Decimal("0.1"))


def build(user: Any, as_of: dt.datetime, contracts: Any = None) -> Report:
    """The report over the cases ``user`` may see, on ``contracts`` when given (the report
    filters' selection: a case counts when one of its contracts is selected);
    ``PermissionDenied`` for roles that see no case (operators, coordinators, citizens)."""
    if user is None or not user.is_authenticated or not user.is_overseer:
        raise PermissionDenied
    found = AuditCase.objects.visible_to(user)
    if contracts is not None:
        found = AuditCase.objects.filter(
            pk__in=found.filter(contracts__in=contracts.values("pk")).values("pk")
        )
    findings = Finding.objects.filter(case__in=found.values("pk"))
    money = findings.values("case_id").annotate(
        n=Count("id"), stake=Sum("amount_at_stake"), recovered=Sum("amount_recovered")
    )
    by_case = {row["case_id"]: row for row in money}
    states = dict(CaseState.choices)
    by_state: dict[str, dict[str, Any]] = {}
    by_institution: dict[str, dict[str, Any]] = {}
    outcomes: dict[str, int] = defaultdict(int)
    for case_id, state, outcome, institution in found.values_list(
        "id", "state", "outcome", "institution__name"
    ):
        sums = by_case.get(case_id, {})
        for groups, key, label in (
            (by_state, state, str(states.get(state, state))),
            (by_institution, institution, institution),
        ):
            row = groups.setdefault(
                key,
                {"label": label, "cases": 0, "findings": 0, "stake": Decimal(0),
                 "recovered": Decimal(0)},
            )  # fmt: skip
            row["cases"] += 1
            row["findings"] += sums.get("n", 0)
            row["stake"] += sums.get("stake") or Decimal(0)
            row["recovered"] += sums.get("recovered") or Decimal(0)
        if outcome:
            outcomes[outcome] += 1
    for groups in (by_state, by_institution):
        for row in groups.values():
            row["stake"] = row["stake"].quantize(CENT)
            row["recovered"] = row["recovered"].quantize(CENT)
    columns = [
        Column("cases", _("Casos"), "int", summed=True),
        Column("findings", _("Observaciones"), "int", summed=True),
        Column("stake", _("Monto observado"), "money", summed=True),
        Column("recovered", _("Monto recuperado"), "money", summed=True),
    ]
    order = list(CaseState.values)
    tables = [
        Table(
            "states",
            _("Casos por estado"),
            [Column("label", _("Estado")), *columns],
            [by_state[s] for s in order if s in by_state],
            chart=("label", "cases"),
        ),
        Table(
            "institutions",
            _("Casos por institución"),
            [Column("label", _("Institución")), *columns],
            sorted(by_institution.values(), key=lambda r: (-r["cases"], r["label"])),
        ),
        Table(
            "outcomes",
            _("Resultados de los casos concluidos"),
            [Column("label", _("Resultado")), Column("cases", _("Casos"), "int", summed=True)],
            [
                {"label": str(Outcome(o).label), "cases": outcomes[o]}
                for o in Outcome.values
                if outcomes.get(o)
            ],
        ),
        _stages(found, as_of),
    ]
    return Report(SLUG, _("Auditorías"), tables, as_of)


def _stages(found: Any, as_of: dt.datetime) -> Table:
    """Mean days per stage: from entering a state to the next change (or to ``as_of`` for
    the state a case is still in); final states have no duration."""
    spans: dict[str, list[Decimal]] = defaultdict(list)
    events = CaseEvent.objects.filter(case__in=found.values("pk")).order_by("case_id", "at", "pk")
    previous: tuple[Any, str, dt.datetime] | None = None
    for case_id, state, at in events.values_list("case_id", "to_state", "at"):
        if previous is not None and previous[0] == case_id:
            spans[previous[1]].append(_days(at - previous[2]))
        elif previous is not None:
            _still(spans, previous, as_of)
        previous = (case_id, state, at)
    if previous is not None:
        _still(spans, previous, as_of)
    states = dict(CaseState.choices)
    rows = [
        {
            "label": str(states[s]),
            "cases": len(spans[s]),
            "mean": (sum(spans[s], Decimal(0)) / len(spans[s])).quantize(Decimal("0.1")),
        }
        for s in CaseState.values
        if spans.get(s)
    ]
    return Table(
        "stages",
        _("Tiempo por etapa"),
        [
            Column("label", _("Etapa")),
            # summed: the workbook's totals row counts the stage passages
            Column("cases", _("Casos que pasaron por ella"), "int", summed=True),
            Column("mean", _("Días en promedio"), "days"),
        ],
        rows,
        note=_("Una etapa en curso cuenta hasta la fecha del informe."),
    )


def _still(
    spans: dict[str, list[Decimal]], last: tuple[Any, str, dt.datetime], as_of: dt.datetime
) -> None:
    _, state, at = last
    if state not in (CaseState.CLOSED, CaseState.STOPPED, CaseState.CANCELLED):
        spans[state].append(_days(as_of - at))
