"""The alerts API: list and filter alerts in scope, read one with its history, act on it."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from besa.accesslog import record as accesslog
from besa.accesslog.models import What
from besa.alerts import lifecycle
from besa.alerts.models import Alert
from besa.alerts.queries import as_item, visible_alerts
from besa.api.filters import AlertFilters, FreeText
from besa.api.pagination import Page
from besa.api.schemas import ERRORS, ErrorOut
from besa.exceptions import NotFound

router = Router(tags=["alerts"])


class AlertOut(Schema):
    id: UUID
    ocid: str
    contract_number: str
    institution: str
    rule: str
    severity: str
    state: str
    subject: str
    summary: str
    evidence: dict[str, Any]
    opened_at: datetime
    closed_at: datetime | None
    escalation_level: int


class EventOut(Schema):
    at: datetime
    action: str
    from_state: str
    to_state: str
    actor: str
    reason: str
    documents: list[dict[str, Any]]


class AlertDetail(AlertOut):
    events: list[EventOut]


class ActionIn(Schema):
    """A person's action on an alert. 422 when the action is not possible from the alert's
    state (or a reason is missing), 403 when the caller's role may not take it, 404 when the
    alert is outside the caller's scope."""

    action: Literal["attend", "justify", "resolve", "reject", "refer"] = Field(
        ..., description="`attend`, `justify`, `resolve`, `reject` (not resolved) or `refer`."
    )
    reason: FreeText = ""
    documents: list[dict[str, Any]] = []


@router.get("", response=list[AlertOut], summary="List alerts in scope")
@paginate(Page)
def list_alerts(request: HttpRequest, filters: Query[AlertFilters]) -> list[dict[str, Any]]:
    """Alerts on contracts the caller may read, newest first, narrowed by the filters."""
    alerts = visible_alerts(
        request.user,
        institution=filters.institution,
        rule=filters.rule,
        state=filters.state,
        ocid=filters.ocid,
    )
    return _Items(filters.apply(alerts))  # type: ignore[return-value]


@router.get(
    "/{alert_id}",
    response={200: AlertDetail, 404: ErrorOut},
    summary="One alert with its history",
)
def alert_detail(request: HttpRequest, alert_id: UUID) -> dict[str, Any]:
    alert = visible_alerts(request.user).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound("alerta no encontrada / alert not found")
    accesslog.read(request, What.API, contract=alert.contract)
    return _detail(alert)


@router.post(
    "/{alert_id}/actions",
    response={200: AlertDetail, **ERRORS},
    summary="Attend, justify, resolve…",
)
def alert_action(request: HttpRequest, alert_id: UUID, body: ActionIn) -> dict[str, Any]:
    alert = lifecycle.act(
        request.user, alert_id, body.action, reason=body.reason, documents=body.documents
    )
    return _detail(visible_alerts(request.user).get(pk=alert.pk))


def _detail(alert: Alert) -> dict[str, Any]:
    item = as_item(alert)
    item["events"] = list(
        alert.events.values(
            "at", "action", "from_state", "to_state", "actor", "reason", "documents"
        )
    )
    return item


class _Items:
    """A lazily mapped queryset: pagination slices it, then items are rendered."""

    def __init__(self, alerts: Any) -> None:
        self.alerts = alerts

    def __len__(self) -> int:
        return int(self.alerts.count())

    def count(self) -> int:
        return int(self.alerts.count())

    def __getitem__(self, index: Any) -> Any:
        rows = self.alerts[index]
        return [as_item(a) for a in rows] if isinstance(index, slice) else as_item(rows)
