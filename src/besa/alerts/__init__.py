"""Alerts: the rule findings of each contract as rows with a lifecycle, raised in real time on
every logbook entry and on deadlines by the worker, escalated and notified."""
