"""Monthly delivery: each institution's report goes once a month to its coordinators and
oversight, however often the worker runs or restarts, and never to whoever turned it off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from tests.world import World

from besa.cli import worker
from besa.reports import delivery
from besa.reports.models import MonthlyDelivery

pytestmark = pytest.mark.django_db
DECEMBER = timezone.make_aware(dt.datetime(2025, 12, 3, 9, 0))
JANUARY = timezone.make_aware(dt.datetime(2026, 1, 2, 9, 0))


@pytest.fixture
def people(world: World) -> World:
    for user, address in (
        (world.coordinator, "coord@a.gob.mx"),
        (world.oversight, "oic@a.gob.mx"),
        (world.operator, "oper@a.gob.mx"),
    ):
        user.email = address
        user.save()
    return world


def _sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_each_institution_reports_once_a_month_to_coordinator_and_oversight(people) -> None:
    assert delivery.deliver(DECEMBER) == 2
    assert _sent_to() == ["coord@a.gob.mx", "oic@a.gob.mx"]  # the operator gets none
    message = mail.outbox[0]
    assert "2025-11" in message.subject and "Institución A" in message.subject
    names = [name for name, _body, _type in message.attachments]
    assert names == ["contratos-INSTA-2025-11.pdf", "alertas-INSTA-2025-11.pdf"]
    assert all(body.startswith(b"%PDF") for _n, body, _t in message.attachments)
    assert [name for name, _body, _type in mail.outbox[1].attachments] == names  # each person's
    assert "/informes/correo/" in message.body and message.extra_headers["List-Unsubscribe"]


def test_running_again_or_restarting_sends_nothing_more_that_month(people) -> None:
    delivery.deliver(DECEMBER)
    later = DECEMBER + dt.timedelta(days=10)
    assert delivery.deliver(later) == 0
    # The job as the worker registered it (run_once would close the test's connection).
    assert worker._JOBS["monthly_reports"].job(later) == 0
    assert len(mail.outbox) == 2
    assert MonthlyDelivery.objects.filter(sent_at__isnull=False).count() == 2


def test_the_next_month_is_sent_again(people) -> None:
    delivery.deliver(DECEMBER)
    assert delivery.deliver(JANUARY) == 2
    assert len(mail.outbox) == 4 and "2025-12" in mail.outbox[-1].subject


def test_a_person_who_turned_it_off_gets_nothing(people) -> None:
    client = Client()
    client.force_login(people.oversight)
    page = client.get("/informes/correo/")
    assert page.status_code == 200 and b'name="monthly" checked' in page.content
    client.post("/informes/correo/", {})  # the box unticked
    assert not delivery.wants_monthly(people.oversight)
    assert delivery.deliver(DECEMBER) == 1
    assert _sent_to() == ["coord@a.gob.mx"]
    client.post("/informes/correo/", {"monthly": "on"})
    assert delivery.deliver(JANUARY) == 2


def test_a_failed_send_is_retried_by_the_next_run(people, settings) -> None:
    settings.EMAIL_BACKEND = "tests.reports.failing_mail.Backend"
    assert delivery.deliver(DECEMBER) == 0
    failed = MonthlyDelivery.objects.get(recipient=people.coordinator)
    assert failed.sent_at is None and "down" in failed.last_error and failed.attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.deliver(DECEMBER + dt.timedelta(hours=1)) == 2
