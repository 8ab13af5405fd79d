"""``{{ alert|alert_rule }}``, ``{{ alert|alert_evidence }}``…: an alert in the page's language.

Thin wrappers over ``besa.alerts.words`` (pure) that pick the active language; every page that
shows an alert uses them, so no page prints a rule code, a severity letter, a state value or a
subject such as ``deliverable:E4``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import get_language

from besa.alerts import words
from besa.exceptions import JurisdictionError
from besa.jurisdiction import from_env

register = template.Library()


def _lang() -> str:
    return words.language(get_language())


def _currency(alert: Any) -> str | None:
    contract = getattr(alert, "contract", None)
    return getattr(contract, "currency", None)


@register.filter
def alert_rule(alert: Any) -> str:
    return words.rule_name(alert.rule, _lang())


@register.filter
def alert_rule_description(alert: Any) -> str:
    """The rule's trigger with the values of the contract's regime (30 days, 20 %…)."""
    return words.rule_description(alert.rule, _lang(), _parameters(alert))


def _parameters(alert: Any) -> dict[str, Any]:
    try:
        code = alert.contract.state.snapshot["contract"]["regime"]
        regime = from_env().regime(code)
    except (AttributeError, KeyError, TypeError, ObjectDoesNotExist, JurisdictionError):
        return {}
    return {f.name: getattr(regime, f.name) for f in dataclasses.fields(regime)}


@register.filter
def alert_severity(alert: Any) -> str:
    return words.severity_name(alert.severity, _lang())


@register.filter
def alert_state(alert: Any) -> str:
    return words.state_name(alert.state, _lang())


@register.filter
def alert_subject(alert: Any) -> str:
    return words.subject(alert.subject, alert.evidence or {}, _lang(), _currency(alert))


@register.filter
def alert_evidence(alert: Any) -> list[str]:
    return words.evidence(alert.rule, alert.evidence or {}, _lang())


@register.filter
def alert_headline(alert: Any) -> str:
    return words.headline(alert.rule, alert.evidence or {}, _lang())


@register.filter
def alert_level(alert: Any) -> str:
    return words.escalation_name(alert.escalation_level, _lang())


@register.filter
def event_action(event: Any) -> str:
    return words.action_name(event.action, _lang())


@register.filter
def event_reason(event: Any) -> str:
    """What the person wrote; the system's own (bilingual) reasons are said by the action."""
    return "" if event.action in words.SYSTEM_ACTIONS else event.reason


@register.filter
def event_actor(event: Any) -> str:
    if event.actor.startswith("system:"):
        return words.system_actor(_lang())
    return str(event.actor)


@register.filter
def long_date(value: dt.date | dt.datetime | None) -> str:
    """A date as the locale writes it in full (``12 de marzo de 2025``)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return words.date(value, _lang())
