"""Login throttling (django-axes): the configured number of wrong passwords locks the account,
and separately the client's address, until the lock-out period has passed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from tests.world import World

LOGIN = "/cuenta/entrar/"


@pytest.fixture(autouse=True)
def _three_failures_for_ten_minutes(settings: pytest.FixtureRequest) -> None:
    settings.AXES_FAILURE_LIMIT = 3  # type: ignore[attr-defined]
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=10)  # type: ignore[attr-defined]


def _sign_in(
    client: Client, username: str, password: str, address: str = "10.0.0.1", **headers: str
):  # type: ignore[no-untyped-def]
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, headers=headers
    )


def test_a_wrong_password_says_so_and_does_not_lock(client: Client, world: World) -> None:
    response = _sign_in(client, "oper", "wrong")
    assert response.status_code == 200
    assert "Usuario o contraseña incorrectos" in response.content.decode()
    assert _sign_in(client, "oper", "x").status_code == 302


def test_throttling_locks_after_the_configured_failures_and_unlocks_after_the_period(
    client: Client, world: World
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(2):
            assert _sign_in(client, "oper", "wrong").status_code == 200
        third = _sign_in(client, "oper", "wrong")
        assert third.status_code == 429
        # Locked: even the right password is refused, with a message that says what to do.
        locked = _sign_in(client, "oper", "x")
        assert locked.status_code == 429
        page = locked.content.decode()
        assert "Entrada bloqueada por demasiados intentos fallidos" in page
        assert "Espere 10 minutos" in page
        assert "_auth_user_id" not in client.session
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        response = _sign_in(client, "oper", "x")
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(world.operator.pk)


def test_trying_during_the_lock_out_starts_the_period_again(client: Client, world: World) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            _sign_in(client, "oper", "wrong")
    with time_machine.travel(start + dt.timedelta(minutes=9), tick=False):
        assert _sign_in(client, "oper", "x").status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=18), tick=False):
        assert _sign_in(client, "oper", "x").status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert _sign_in(client, "oper", "x").status_code == 302


def test_the_account_stays_locked_from_another_address(client: Client, world: World) -> None:
    for _ in range(3):
        _sign_in(client, "coord", "wrong", address="10.0.0.1")
    assert _sign_in(Client(), "coord", "x", address="10.9.9.9").status_code == 429
    # Another account from a third address is untouched.
    assert _sign_in(Client(), "oper", "x", address="10.8.8.8").status_code == 302


def test_an_address_trying_many_accounts_is_locked(client: Client, world: World) -> None:
    for name in ("coord", "oper", "admin"):
        _sign_in(client, name, "wrong", address="10.0.0.7")
    # Right password of a fourth account, from the same address: locked by address.
    assert _sign_in(client, "oic", "x", address="10.0.0.7").status_code == 429
    # The same account from another address signs in.
    assert _sign_in(Client(), "oic", "x", address="10.0.0.8").status_code == 302


def test_forwarded_addresses_are_ignored_unless_the_proxy_is_trusted(
    client: Client, world: World, settings: pytest.FixtureRequest
) -> None:
    # Untrusted: a client cannot dodge the lock-out by inventing X-Forwarded-For addresses.
    for n in range(3):
        _sign_in(client, f"nobody{n}", "wrong", address="10.0.0.9", x_forwarded_for=f"1.1.1.{n}")
    assert (
        _sign_in(client, "oper", "x", address="10.0.0.9", x_forwarded_for="1.1.1.200").status_code
        == 429
    )
    # Trusted proxy: each client is its own address, so one client's lock-out does not lock
    # out everyone behind the proxy.
    settings.BESA_TRUSTED_PROXIES = ("192.168.1.0/24",)  # type: ignore[attr-defined]
    for n in range(3):
        _sign_in(client, f"other{n}", "wrong", address="192.168.1.2", x_forwarded_for="2.2.2.2")
    assert (
        _sign_in(client, "coord", "x", address="192.168.1.2", x_forwarded_for="2.2.2.2").status_code
        == 429
    )
    assert (
        _sign_in(
            Client(), "coord", "x", address="192.168.1.2", x_forwarded_for="3.3.3.3"
        ).status_code
        == 302
    )


def test_the_lock_out_page_is_in_english_when_chosen(client: Client, world: World) -> None:
    client.cookies["django_language"] = "en"
    for _ in range(3):
        _sign_in(client, "oper", "wrong")
    page = _sign_in(client, "oper", "x").content.decode()
    assert "Sign-in locked after too many failed attempts" in page
