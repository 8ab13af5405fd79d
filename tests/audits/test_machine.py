"""The audit case's state machine: every allowed and every forbidden transition, by role."""

from __future__ import annotations

import itertools

import pytest

from besa.audits import machine
from besa.audits.machine import Action, CaseState, Outcome
from besa.exceptions import InvalidInput, PermissionDenied

ROLES = ("oversight", "admin", "coordinator", "operator")
S, A = CaseState, Action

#: (from, action) -> (to, roles that may take it), written out by hand from the issue.
ALLOWED = {
    (S.DRAFT, A.ACTIVATE): (S.ACTIVE, {"oversight"}),
    (S.DRAFT, A.CANCEL): (S.CANCELLED, {"oversight", "admin"}),
    (S.ACTIVE, A.REPORT_FINDINGS): (S.FINDINGS, {"oversight"}),
    (S.ACTIVE, A.CLOSE_WITHOUT_FINDINGS): (S.CLOSED, {"oversight"}),
    (S.ACTIVE, A.CANCEL): (S.CANCELLED, {"oversight", "admin"}),
    (S.ACTIVE, A.STOP): (S.STOPPED, {"oversight", "admin"}),
    (S.FINDINGS, A.OPEN_REMEDIATION): (S.REMEDIATION, {"oversight"}),
    (S.FINDINGS, A.STOP): (S.STOPPED, {"oversight", "admin"}),
    (S.REMEDIATION, A.RESOLVE): (S.RESOLVED, {"oversight"}),
    (S.REMEDIATION, A.STOP): (S.STOPPED, {"oversight", "admin"}),
    (S.RESOLVED, A.CLOSE): (S.CLOSED, {"oversight"}),
}

EVERY = list(itertools.product(CaseState, Action, ROLES))


def _take(state: str, action: str, role: str) -> str:
    return machine.transition(
        state, action, role, reason="motivo", outcome=Outcome.ELIMINATED, findings=1
    )


@pytest.mark.parametrize(("state", "action", "role"), EVERY)
def test_every_transition_is_allowed_exactly_as_the_table_says(
    state: CaseState, action: Action, role: str
) -> None:
    allowed = ALLOWED.get((state, action))
    if allowed is None:
        with pytest.raises(InvalidInput) as refused:
            _take(state, action, role)
        assert refused.value.field == "action"
    elif role not in allowed[1]:
        with pytest.raises(PermissionDenied):
            _take(state, action, role)
    else:
        assert _take(state, action, role) == allowed[0]


def test_final_states_have_no_way_out() -> None:
    for state in machine.FINAL:
        assert all(machine.allowed(state, role) == [] for role in ROLES)


def test_the_buttons_a_role_sees_are_its_allowed_steps() -> None:
    assert {s.action for s in machine.allowed(S.ACTIVE, "admin")} == {A.CANCEL, A.STOP}
    assert machine.allowed(S.ACTIVE, "operator") == []


@pytest.mark.parametrize(
    ("state", "action"),
    [(S.DRAFT, A.CANCEL), (S.ACTIVE, A.STOP), (S.ACTIVE, A.CLOSE_WITHOUT_FINDINGS)],
)
def test_cancelling_stopping_and_closing_without_findings_need_a_reason(
    state: CaseState, action: Action
) -> None:
    with pytest.raises(InvalidInput) as refused:
        machine.transition(state, action, "oversight", reason="  ")
    assert refused.value.field == "reason"


def test_a_resolution_must_say_how_much_was_eliminated() -> None:
    with pytest.raises(InvalidInput) as refused:
        machine.transition(S.REMEDIATION, A.RESOLVE, "oversight", outcome="no_findings")
    assert refused.value.field == "outcome"
    for outcome in machine.RESOLUTIONS:
        assert machine.transition(S.REMEDIATION, A.RESOLVE, "oversight", outcome=outcome) == (
            S.RESOLVED
        )


def test_findings_cannot_be_reported_when_none_was_recorded() -> None:
    with pytest.raises(InvalidInput) as refused:
        machine.transition(S.ACTIVE, A.REPORT_FINDINGS, "oversight", findings=0)
    assert refused.value.field == "findings"


def test_an_unknown_state_or_action_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput):
        machine.transition("limbo", "activate", "oversight")
    with pytest.raises(InvalidInput):
        machine.transition("draft", "teleport", "oversight")
