"""Sessions end after the configured idle time; each request pushes the end forward."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from tests.world import World


def test_a_session_expires_after_inactivity_only(
    client: Client, world: World, settings: pytest.FixtureRequest
) -> None:
    settings.SESSION_COOKIE_AGE = 30 * 60  # type: ignore[attr-defined]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert (
            client.post("/cuenta/entrar/", {"username": "oper", "password": "x"}).status_code == 302
        )
    # Active every 20 minutes for an hour: still signed in.
    for minutes in (20, 40, 60):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get("/contratos/").status_code == 200, minutes
    # 31 idle minutes: signed out.
    with time_machine.travel(start + dt.timedelta(minutes=91), tick=False):
        response = client.get("/contratos/")
        assert response.status_code == 302 and response["Location"].startswith("/cuenta/entrar/")
