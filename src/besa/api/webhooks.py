"""Webhooks for new logbook entries: ``entry.appended``, queued inside the append.

``on_entry`` runs as an ``on_append`` hook, so the notification rows commit (or roll back)
with the entry itself: a subscriber hears of exactly the entries that exist. Delivery is the
alerts app's machinery (``besa.alerts.notifications.deliver``: lease, retries with back-off,
HMAC-SHA256 signature in ``X-BESA-Signature``); receivers deduplicate on ``X-BESA-Delivery``.
"""

from __future__ import annotations

from typing import Any

from besa.alerts.models import Notification, WebhookSubscription
from besa.logbook.models import ContractState, Entry

#: The event name a subscription lists to hear new entries.
ENTRY_APPENDED = "entry.appended"


def payload(entry: Entry, institution: str) -> dict[str, Any]:
    """The body POSTed for a new entry: the entry exactly as hashed into the chain (so the
    receiver can verify ``hash``), plus the contract's institution."""
    return {
        "event": ENTRY_APPENDED,
        "institution": institution,
        "entry": {**entry.as_chain_dict(), "salt": entry.salt},
    }


def on_entry(entry: Entry, head: ContractState) -> None:
    """Queue one webhook notification per active subscription that wants ``entry.appended``
    for the entry's institution. Idempotent per (entry, subscription) through the row key."""
    hooks = [
        hook
        for hook in WebhookSubscription.objects.filter(active=True)
        if hook.wants(ENTRY_APPENDED)
    ]
    if not hooks:
        return  # the common case costs one small query
    unit = entry.contract.buying_unit
    institution_id = unit.institution_id
    hooks = [h for h in hooks if h.institution_id in (None, institution_id)]
    if not hooks:
        return
    body = payload(entry, unit.institution.code)
    now = entry.recorded_at
    Notification.objects.bulk_create(
        [
            Notification(
                key=f"entry:{entry.uuid}:webhook:{hook.pk}",
                event=ENTRY_APPENDED,
                channel="webhook",
                address=hook.url,
                subscription=hook,
                payload=body,
                next_attempt_at=now,
                created_at=now,
            )
            for hook in hooks
        ],
        ignore_conflicts=True,
    )
