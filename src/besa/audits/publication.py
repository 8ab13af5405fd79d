"""What the public may see of a contract's audits: nothing, unless the jurisdiction publishes
closed cases (``[portal] public_audits = "closed"``); then each closed case's number, title,
outcome, dates, findings (legal basis, amount at stake, verdict, amount recovered) and
referrals. Never a case at work, its requests or answers, nor who took each step."""

from __future__ import annotations

from typing import Any

from besa.audits.models import AuditCase, CaseState
from besa.jurisdiction import from_env
from besa.registry.models import Contract


def audits_published() -> bool:
    return from_env().portal.public_audits == "closed"


def closed_cases(contract: Contract) -> list[AuditCase]:
    """The closed audit cases of ``contract`` the public may see (empty unless published)."""
    if not audits_published():
        return []
    found: Any = (
        contract.audit_cases.filter(state=CaseState.CLOSED)
        .prefetch_related("findings", "referrals")
        .order_by("opened_at")
    )
    return list(found)
