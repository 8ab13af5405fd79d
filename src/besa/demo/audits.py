"""The demo's audit work: what an oversight body would find on its desk, written through the
same functions its pages call (``besa.audits.cases``, ``besa.complaints.intake``), so every
step is in the contracts' logbooks and verifies like the rest.

- a case opened from an alert three weeks ago, under way, whose request for information to
  the demo operator's buying unit went unanswered past its deadline (alert A26; the operator
  finds the request under *Requerimientos*);
- a case on another contract closed as eliminated after a finding, its remediation period and
  the verdict (the audits report has a resolution, an amount recovered and time per stage);
- a citizen's anonymous report waiting in the oversight body's inbox.
"""

from __future__ import annotations

import datetime as dt

from besa.alerts.models import ACTIVE_STATES, Alert
from besa.alerts.words import rule_name
from besa.audits import cases
from besa.complaints import intake
from besa.jurisdiction import Jurisdiction
from besa.registry.models import Contract, User

#: The client address the demo's citizen report is counted against (documentation range).
DEMO_ADDRESS = "192.0.2.10"


def seed(today: dt.date, jurisdiction: Jurisdiction, oversight: User, operator: User) -> list[str]:
    """Write the demo's audit cases and citizen report as of ``today``; the ocids of the
    contracts whose logbooks they touched (their rules are to be run again)."""

    def at(days_ago: int, hour: int = 10) -> dt.datetime:
        day = today - dt.timedelta(days=days_ago)
        return dt.datetime.combine(day, dt.time(hour), tzinfo=jurisdiction.zone)

    overseen = Contract.objects.filter(buying_unit__institution__oversight_users=oversight)
    alert = (
        Alert.objects.filter(
            state__in=ACTIVE_STATES,
            contract__in=overseen.filter(buying_unit__operators=operator),
        )
        .select_related("contract__buying_unit__institution")
        .order_by("opened_at", "id")
        .first()
    )
    if alert is None or alert.contract is None:
        return []
    late = alert.contract
    case = cases.open_case(
        opened_by=oversight,
        institution=late.buying_unit.institution,
        contracts=[late],
        source="alert",
        source_reference=str(alert.id),
        title=f"{late.number}: {rule_name(alert.rule, 'es')}"[:300],
        reason="La alerta sigue sin atenderse.",
        stages=["implementation"],
        now=at(21),
    )
    cases.take_step(case, "activate", by=oversight, now=at(21, 11))
    cases.send_request(
        case,
        by=oversight,
        buying_unit=late.buying_unit,
        subject="Actas de entrega-recepción",
        body="Envíe las actas de entrega-recepción y la justificación del atraso.",
        business_days=5,
        now=at(15),
    )

    done = (
        overseen.exclude(pk=late.pk)
        .select_related("buying_unit__institution")
        .order_by("number")
        .first()
    )
    touched = [late.ocid]
    if done is not None:
        closed = cases.open_case(
            opened_by=oversight,
            institution=done.buying_unit.institution,
            contracts=[done],
            source="manual",
            source_reference="",
            title=f"{done.number}: revisión de penas convencionales",
            reason="Revisión del programa anual de auditorías.",
            now=at(70),
        )
        cases.take_step(closed, "activate", by=oversight, now=at(69))
        finding = cases.record_finding(
            closed,
            by=oversight,
            title="Pena convencional no aplicada",
            description="Una entrega tardía no se descontó del pago.",
            legal_basis="LAASSP art. 53; RLAASSP art. 96",
            amount_at_stake="185000.00",
            now=at(50),
        )
        cases.take_step(closed, "report_findings", by=oversight, now=at(48))
        cases.take_step(
            closed,
            "open_remediation",
            by=oversight,
            remediation_until=today - dt.timedelta(days=18),
            now=at(47),
        )
        cases.set_verdict(
            finding, by=oversight, verdict="eliminated", amount_recovered="185000.00", now=at(15)
        )
        cases.take_step(closed, "resolve", by=oversight, outcome="eliminated", now=at(14))
        cases.take_step(closed, "close", by=oversight, now=at(13))
        touched.append(done.ocid)

    intake.file(
        late,
        text=(
            "El almacén de la unidad recibió menos piezas de las facturadas en la última "
            "entrega; el personal lo comentó y nadie levantó acta."
        ),
        anonymous=True,
        address=DEMO_ADDRESS,
        now=at(3, 18),
    )
    return touched
