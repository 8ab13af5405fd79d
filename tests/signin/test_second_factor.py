"""The TOTP second factor through the real forms: required for oversight and administrators
(no page before it), optional for the others, with single-use recovery codes.

These tests sign in with ``client.post`` to the login form, never ``force_login`` (which the
suite's fixture makes a full sign-in)."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.world import World

from besa.signin import devices

VERIFY = "/cuenta/segundo-factor/verificar/"
ENROL = "/cuenta/segundo-factor/alta/"


def _password(client: Client, user: Any) -> None:
    response = client.post("/cuenta/entrar/", {"username": user.username, "password": "x"})
    assert response.status_code == 302, "the password step failed"


def _pages(resolver: Any = None, prefix: str = "") -> list[str]:
    """Every URL of the site without parameters (the API's root and the admin's included)."""
    found: list[str] = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found.extend(_pages(pattern, route))
        elif isinstance(pattern, URLPattern) and "<" not in route and "(?P" not in route:
            found.append("/" + route.lstrip("^").rstrip("$").replace("\\Z", ""))
    return sorted(set(found))


def test_an_oversight_user_cannot_reach_any_page_without_the_second_factor(
    client: Client, world: World
) -> None:
    devices.give_demo_device(world.oversight)
    _password(client, world.oversight)
    contract = world.contracts["A1"]
    pages = [*_pages(), f"/contratos/{contract.pk}/", "/api/contracts", "/admin/"]
    assert len(pages) > 40
    open_ = {"/cuenta/entrar/", "/cuenta/salir/", VERIFY, ENROL, "/i18n/setlang/"}
    for path in pages:
        if path in open_:
            continue
        response = client.get(path)
        if path.startswith("/api/"):
            assert response.status_code == 403, path
        else:
            assert response.status_code == 302, path
            assert response["Location"].startswith(VERIFY), (path, response["Location"])
    # The code opens them.
    device = devices.authenticator(world.oversight)
    assert device is not None
    done = client.post(f"{VERIFY}?next=/contratos/", {"code": devices.current_code(device)})
    assert done.status_code == 302 and done["Location"] == "/contratos/"
    assert client.get(f"/contratos/{contract.pk}/").status_code == 200


def test_a_wrong_code_is_refused_and_says_what_to_do(client: Client, world: World) -> None:
    device = devices.give_demo_device(world.admin)
    _password(client, world.admin)
    wrong = f"{(int(devices.current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 422
    assert "El código no es correcto" in response.content.decode()
    assert client.get("/contratos/").status_code == 302


def test_an_oversight_user_without_a_device_must_enrol_first(client: Client, world: World) -> None:
    _password(client, world.oversight)
    landing = client.get("/inicio/")
    assert landing["Location"].startswith(ENROL)
    page = client.get(landing["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html  # the QR code, drawn on the server
    device = TOTPDevice.objects.get(user=world.oversight, confirmed=False)
    shown_key = re.search(r'<code class="totp-key">([A-Z2-7 ]+)</code>', html)
    assert shown_key is not None
    expected = base64.b32encode(bytes.fromhex(device.key)).decode().rstrip("=")
    assert shown_key.group(1).replace(" ", "") == expected
    # Reloading keeps the key the person may already have scanned.
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=world.oversight).count() == 1
    done = client.post(ENROL, {"code": devices.current_code(device), "next": "/inicio/"})
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert done.status_code == 200 and len(codes) == devices.RECOVERY_CODES
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/contratos/").status_code == 200

    # Next sign-in: a recovery code works once.
    other = Client()
    _password(other, world.oversight)
    assert other.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert other.get("/contratos/").status_code == 200
    third = Client()
    _password(third, world.oversight)
    assert third.post(VERIFY, {"code": codes[0]}).status_code == 422
    assert third.get("/contratos/").status_code == 302


def test_enrolling_again_is_refused_before_verifying_the_existing_device(
    client: Client, world: World
) -> None:
    devices.give_demo_device(world.admin)
    _password(client, world.admin)
    response = client.get(ENROL)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=world.admin, confirmed=False).exists()


def test_the_second_factor_is_optional_for_an_operator_until_enrolled(
    client: Client, world: World
) -> None:
    _password(client, world.operator)
    assert client.get("/contratos/").status_code == 200
    security = client.get("/cuenta/segundo-factor/").content.decode()
    assert "Segundo factor inactivo" in security
    device = devices.start_enrolment(world.operator)
    client.post(ENROL, {"code": devices.current_code(device)})
    later = Client()
    _password(later, world.operator)
    assert later.get("/contratos/")["Location"].startswith(VERIFY)


def test_session_api_reads_need_the_second_factor_but_tokens_do_not(
    client: Client, world: World
) -> None:
    from django.utils import timezone

    from besa.api import tokens

    devices.give_demo_device(world.oversight)
    _password(client, world.oversight)
    assert client.get("/api/contracts").status_code == 403
    _, token = tokens.issue(world.oversight, "sistema", timezone.now())
    bare = Client()
    response = bare.get("/api/contracts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_demo_shows_the_demo_accounts_code_in_demo_mode_only(
    client: Client, world: World, settings: pytest.FixtureRequest, language: str
) -> None:
    device = devices.give_demo_device(world.oversight)
    client.cookies["django_language"] = language
    _password(client, world.oversight)
    assert "demo-code" not in client.get(VERIFY).content.decode()
    settings.BESA_DEMO = True  # type: ignore[attr-defined]
    page = client.get(VERIFY).content.decode()
    assert "demo-code" in page
    assert (
        devices.current_code(device) in page or devices.current_code(device, step_offset=-1) in page
    )
