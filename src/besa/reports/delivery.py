"""Monthly delivery: each institution's report of the past month, by e-mail, to its
coordinators and its oversight bodies (people who turned it off are skipped).

``deliver_job(now)`` is registered with the worker (hourly) and may run any number of times,
from any number of workers: each (institution, month, person) is recorded once
(``MonthlyDelivery``, unique) before sending, claimed with a conditional UPDATE, and stamped
when sent, so a month is never sent twice to the same person. A failed send is retried by
later runs, up to ``MAX_ATTEMPTS``. (A worker killed between the SMTP hand-off and the stamp
leaves the row unsent; the next run sends it again — the one window for a duplicate.)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from besa.registry.models import Contract, Institution, Role, User
from besa.reports import alerts, contracts, rendering
from besa.reports.filters import ReportFilters
from besa.reports.models import MonthlyDelivery, ReportPreference

MAX_ATTEMPTS = 5
LANGUAGE = "es"


def reported_month(now: dt.datetime) -> dt.date:
    """The month a run at ``now`` reports on: the previous calendar month (local time)."""
    first = timezone.localtime(now).date().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def is_recipient(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in (Role.COORDINATOR, Role.OVERSIGHT))


def wants_monthly(user: Any) -> bool:
    found = ReportPreference.objects.filter(user=user).first()
    return found is None or found.monthly_email


def set_monthly(user: Any, wanted: bool) -> None:
    ReportPreference.objects.update_or_create(user=user, defaults={"monthly_email": wanted})


def recipients(institution: Institution) -> list[User]:
    """Active coordinators of ``institution`` and oversight users over it, with an e-mail,
    who have not turned the monthly report off."""
    scope = Q(role=Role.COORDINATOR, institution=institution) | Q(
        role=Role.OVERSIGHT, oversees=institution
    )
    return list(
        User.objects.filter(scope, is_active=True)
        .exclude(email="")
        .exclude(report_preference__monthly_email=False)
        .distinct()
        .order_by("username")
    )


def plan(month: dt.date, now: dt.datetime) -> int:
    """Record the deliveries due for ``month`` (idempotent); returns how many rows exist."""
    rows = [
        MonthlyDelivery(
            institution=institution,
            month=month,
            recipient=user,
            address=user.email,
            created_at=now,
        )
        for institution in Institution.objects.filter(buying_units__contracts__isnull=False)
        .distinct()
        .order_by("code")
        for user in recipients(institution)
    ]
    MonthlyDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return MonthlyDelivery.objects.filter(month=month).count()


def attachments(institution: Institution, month: dt.date, now: dt.datetime) -> list[Any]:
    """The PDFs of one institution's month: its contracts signed in the month, its alerts."""
    last = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    mine = Contract.objects.filter(buying_unit__institution=institution)
    monthly = ReportFilters(institution=institution.code, since=month, until=last)
    with translation.override(LANGUAGE):
        signed = contracts.build(monthly.contracts(mine), now)
        signed.filter_words = monthly.words()
        raised = alerts.build(mine, now, LANGUAGE)
        raised.filter_words = ReportFilters(institution=institution.code).words()
    return [
        (
            f"contratos-{institution.code}-{month:%Y-%m}.pdf",
            rendering.pdf(signed, LANGUAGE),
            "application/pdf",
        ),
        (
            f"alertas-{institution.code}-{month:%Y-%m}.pdf",
            rendering.pdf(raised, LANGUAGE),
            "application/pdf",
        ),
    ]


def send(delivery: MonthlyDelivery, files: list[Any]) -> None:
    """E-mail ``delivery``'s recipient the month's report, ``files`` attached."""
    institution = delivery.institution
    link = getattr(settings, "BESA_PUBLIC_URL", "").rstrip("/") + reverse("reports:subscription")
    with translation.override(LANGUAGE):
        subject = _("[BESA] Informe mensual %(month)s — %(institution)s") % {
            "month": f"{delivery.month:%Y-%m}",
            "institution": institution.name,
        }
        body = "\n".join(
            [
                _("Adjuntamos el informe de %(institution)s del mes %(month)s.")
                % {"institution": institution.name, "month": f"{delivery.month:%Y-%m}"},
                "",
                _("Para dejar de recibir este correo: %(link)s") % {"link": link},
            ]
        )
    message = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [delivery.address],
        attachments=files,
    )
    message.extra_headers["List-Unsubscribe"] = f"<{link}>"
    message.send()


def deliver(now: dt.datetime) -> int:
    """Plan this run's month and send every unsent delivery this worker can claim."""
    month = reported_month(now)
    plan(month, now)
    sent = 0
    # One institution's PDFs at a time, made once for all its recipients (rows in its order).
    built: tuple[Any, list[Any]] = (None, [])
    pending = (
        MonthlyDelivery.objects.filter(month=month, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .select_related("institution", "recipient")
        .order_by("institution_id", "pk")
    )
    for delivery in pending:
        # Claim: only the worker whose UPDATE saw the attempts unchanged sends this row.
        claimed = MonthlyDelivery.objects.filter(
            pk=delivery.pk, sent_at__isnull=True, attempts=delivery.attempts
        ).update(attempts=F("attempts") + 1)
        if not claimed:
            continue
        if not wants_monthly(delivery.recipient):  # turned off after the row was planned
            MonthlyDelivery.objects.filter(pk=delivery.pk).update(
                attempts=MAX_ATTEMPTS, last_error="unsubscribed"
            )
            continue
        try:
            if built[0] != delivery.institution_id:
                built = (delivery.institution_id, attachments(delivery.institution, month, now))
            send(delivery, built[1])
        except OSError as exc:  # SMTP and socket errors: the next run retries
            MonthlyDelivery.objects.filter(pk=delivery.pk).update(last_error=str(exc)[:2000])
            continue
        sent += MonthlyDelivery.objects.filter(pk=delivery.pk).update(sent_at=timezone.now())
    return sent


def deliver_job(now: dt.datetime) -> int:
    return deliver(now)
