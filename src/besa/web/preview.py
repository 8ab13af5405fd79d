"""What an entry would do, told before it is written: the alerts it would open and close.

The would-be entry is folded into a copy of the contract's state (``besa.logbook.state``) and
the alert rules are run on it (``besa.alerts.evaluation.alert_findings``), exactly as the append
hook would run them, then compared with the contract's alerts as ``sync`` would compare them.
Nothing is written: no entry, no alert, no state.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language

from besa.alerts import words
from besa.alerts.evaluation import alert_findings
from besa.alerts.models import ACTIVE_STATES, Alert, AlertState
from besa.logbook import state
from besa.logbook.actor import Actor
from besa.logbook.models import entry_dict
from besa.registry.models import Contract


@dataclass(frozen=True)
class Consequence:
    """One alert the entry would open, change (an open alert's evidence) or close."""

    rule: str  #: the rule's code, a secondary label
    name: str  #: the rule's name in the user's language
    summary: str  #: what the rule found, in the user's language ("" for a closing alert)
    effect: str  #: "opens", "updates" or "closes"

    @property
    def opens(self) -> bool:
        return self.effect == "opens"


def rule_name(code: str) -> str:
    """A rule's name in the user's language."""
    return words.rule_name(code, words.language(get_language()))


def found_in_words(rule: str, evidence: Mapping[str, Any]) -> str:
    """What a rule found, in the user's language: its evidence as sentences
    (``besa.alerts.words``), not the stored bilingual summary, whose halves carry breach
    codes (``amount_over_limit``)."""
    return " ".join(words.evidence(rule, evidence, words.language(get_language())))


def consequences(
    contract: Contract,
    kind: str,
    payload: Mapping[str, Any],
    *,
    actor: Actor,
    documents: Sequence[Mapping[str, Any]] = (),
    occurred_at: dt.datetime | None = None,
    now: dt.datetime,
) -> list[Consequence]:
    """The alerts that appending ``payload`` (already normalised by ``validate_payload``) as
    an entry of ``kind`` at ``now`` would open and close. Read-only."""
    head = contract.state
    would_be = entry_dict(
        uuid.uuid4(),
        contract.ocid,
        head.last_sequence + 1,
        kind,
        occurred_at or now,
        now,
        actor.as_json(),
        dict(payload),
        list(documents),
        head.last_hash,
        "",
    )
    after = state.apply(head.snapshot, would_be)
    # As sync decides: data gaps of an imported contract are no alert yet, and a person's
    # rectification of an imported registration is the buying unit confirming it (A01).
    confirming = (
        kind == "rectification"
        and actor.user is not None
        and "buyer" in (payload.get("payload") or {})
    )
    findings = alert_findings(contract.pk, after, now, confirmed_at=now if confirming else None)
    found = {(f.rule, f.subject) for f in findings}
    alerts = {
        (a.rule, a.subject): a
        for a in Alert.objects.filter(contract=contract).exclude(state=AlertState.CORRECTED)
    }
    result: list[Consequence] = []
    for f in findings:
        alert = alerts.get((f.rule, f.subject))
        summary = found_in_words(f.rule, f.evidence)
        if alert is None:
            result.append(Consequence(f.rule, rule_name(f.rule), summary, "opens"))
        elif alert.state in ACTIVE_STATES and dict(alert.evidence) != dict(f.evidence):
            result.append(Consequence(f.rule, rule_name(f.rule), summary, "updates"))
    result += [
        Consequence(a.rule, rule_name(a.rule), "", "closes")
        for key, a in alerts.items()
        if key not in found and a.state in ACTIVE_STATES
    ]
    order = {"opens": 0, "updates": 1, "closes": 2}
    return sorted(result, key=lambda c: (order[c.effect], c.rule))
