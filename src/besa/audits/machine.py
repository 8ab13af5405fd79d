"""The audit case's states and the transitions between them, with the role that may take each.

Pure: no Django, no clock, no database. ``besa.audits.cases`` asks ``transition`` before it
writes anything, so a refused step leaves no trace::

    draft ──activate──► active ──report_findings──► findings ──open_remediation──► remediation
      │                   │                            │                              │
      │                   └──close_without_findings──► closed ◄──close── resolved ◄──resolve
      │                   │                            │                              │
      └──cancel──► cancelled ◄──cancel─┘     stop ──► stopped ◄── stop ───────────────┘

``resolve`` carries the outcome (eliminated / partly eliminated / not eliminated: whether the
buying unit eliminated the irregularities found during the remediation period); ``cancel``
and ``stop`` need a reason. Cancelling is for a case that should never have run (opened in
error, duplicate), before any finding; stopping ends a case already at work (the contract
was rescinded, another authority took the matter).

Who: the oversight body (área fiscalizadora, OIC) runs its cases; the central administrator
may also cancel and stop them (a duplicate across bodies, a reassignment). Operators and
coordinators take no case step: they answer the requests addressed to them
(``REQUEST_STATES``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from besa.exceptions import InvalidInput, PermissionDenied


class CaseState(enum.StrEnum):
    #: opened, not yet started: auditors may still be assigned and the object changed
    DRAFT = "draft"
    #: the audit is under way: requests to the buying unit, findings being recorded
    ACTIVE = "active"
    #: the findings were reported to the institution (pliego de observaciones)
    FINDINGS = "findings"
    #: the institution has a period to eliminate the irregularities found
    REMEDIATION = "remediation"
    #: the remediation was assessed: eliminated, partly eliminated or not eliminated
    RESOLVED = "resolved"
    #: finished (with a resolution, or without findings)
    CLOSED = "closed"
    #: ended while at work, with a reason
    STOPPED = "stopped"
    #: withdrawn before any finding, with a reason
    CANCELLED = "cancelled"


class Outcome(enum.StrEnum):
    """How a case ended (set by ``resolve`` or ``close_without_findings``)."""

    #: the irregularities were eliminated (solventadas)
    ELIMINATED = "eliminated"
    #: some were eliminated, some remain
    PARTLY_ELIMINATED = "partly_eliminated"
    #: none was eliminated
    NOT_ELIMINATED = "not_eliminated"
    #: the audit found nothing to observe
    NO_FINDINGS = "no_findings"


class Action(enum.StrEnum):
    ACTIVATE = "activate"
    REPORT_FINDINGS = "report_findings"
    CLOSE_WITHOUT_FINDINGS = "close_without_findings"
    OPEN_REMEDIATION = "open_remediation"
    RESOLVE = "resolve"
    CLOSE = "close"
    STOP = "stop"
    CANCEL = "cancel"


OVERSIGHT = "oversight"
ADMIN = "admin"


@dataclass(frozen=True)
class Step:
    """One allowed transition: from ``source`` by ``action`` to ``target``, by ``roles``."""

    source: CaseState
    action: Action
    target: CaseState
    roles: frozenset[str]
    needs_reason: bool = False
    needs_outcome: bool = False


S, A = CaseState, Action
_RUN = frozenset({OVERSIGHT})
_END = frozenset({OVERSIGHT, ADMIN})

#: Every allowed transition; anything not listed is forbidden.
STEPS: tuple[Step, ...] = (
    Step(S.DRAFT, A.ACTIVATE, S.ACTIVE, _RUN),
    Step(S.DRAFT, A.CANCEL, S.CANCELLED, _END, needs_reason=True),
    Step(S.ACTIVE, A.REPORT_FINDINGS, S.FINDINGS, _RUN),
    Step(S.ACTIVE, A.CLOSE_WITHOUT_FINDINGS, S.CLOSED, _RUN, needs_reason=True),
    Step(S.ACTIVE, A.CANCEL, S.CANCELLED, _END, needs_reason=True),
    Step(S.ACTIVE, A.STOP, S.STOPPED, _END, needs_reason=True),
    Step(S.FINDINGS, A.OPEN_REMEDIATION, S.REMEDIATION, _RUN),
    Step(S.FINDINGS, A.STOP, S.STOPPED, _END, needs_reason=True),
    Step(S.REMEDIATION, A.RESOLVE, S.RESOLVED, _RUN, needs_outcome=True),
    Step(S.REMEDIATION, A.STOP, S.STOPPED, _END, needs_reason=True),
    Step(S.RESOLVED, A.CLOSE, S.CLOSED, _RUN),
)
_BY_KEY = {(step.source, step.action): step for step in STEPS}

#: States in which the case is over: nothing more is recorded on it.
FINAL = frozenset({S.CLOSED, S.STOPPED, S.CANCELLED})
#: States in which the auditor may send requests to the buying unit.
REQUEST_STATES = frozenset({S.ACTIVE, S.FINDINGS, S.REMEDIATION})
#: States in which findings may be recorded (before they are reported, or while reporting).
FINDING_STATES = frozenset({S.ACTIVE, S.FINDINGS})
#: States in which a referral to investigation may be made (there is something to refer).
REFERRAL_STATES = frozenset({S.FINDINGS, S.REMEDIATION, S.RESOLVED, S.CLOSED})
#: Outcomes ``resolve`` accepts.
RESOLUTIONS = frozenset({Outcome.ELIMINATED, Outcome.PARTLY_ELIMINATED, Outcome.NOT_ELIMINATED})


def allowed(state: str, role: str) -> list[Step]:
    """The steps ``role`` may take from ``state`` (for the buttons a page shows)."""
    return [s for s in STEPS if s.source == state and role in s.roles]


def transition(
    state: str,
    action: str,
    role: str,
    *,
    reason: str = "",
    outcome: str = "",
    findings: int = 0,
) -> CaseState:
    """The state after ``action`` taken by ``role`` on a case in ``state``.

    Raises ``InvalidInput`` (field ``action``) for a step the machine does not have from
    ``state``, (``reason``) when a cancel, stop or close without findings has no reason,
    (``outcome``) for a resolution that is not one of ``RESOLUTIONS``, and (``findings``)
    when findings are reported with none recorded; ``PermissionDenied`` when ``role`` may
    not take it. Never writes; may be called repeatedly.
    """
    try:
        step = _BY_KEY[(CaseState(state), Action(action))]
    except (ValueError, KeyError):
        raise InvalidInput(
            "action",
            f"no se puede «{action}» un caso en estado «{state}» / "
            f"a case in state {state!r} cannot {action!r}",
        ) from None
    if role not in step.roles:
        raise PermissionDenied(
            f"la función «{role}» no puede «{action}» / role {role!r} may not {action!r}"
        )
    if step.needs_reason and not reason.strip():
        raise InvalidInput("reason", "indique el motivo / give the reason")
    if step.needs_outcome and outcome not in RESOLUTIONS:
        raise InvalidInput(
            "outcome",
            "elija: eliminadas, parcialmente eliminadas o no eliminadas / "
            "choose eliminated, partly eliminated or not eliminated",
        )
    if step.action == Action.REPORT_FINDINGS and findings < 1:
        raise InvalidInput(
            "findings", "registre al menos una observación / record at least one finding"
        )
    return step.target
