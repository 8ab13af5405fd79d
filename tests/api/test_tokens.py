"""Token authentication for systems: a bearer token acts with its owner's scope; wrong,
revoked and expired tokens and inactive owners are refused; the token is never stored,
listed or shown again after creation."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from tests.world import World

from besa.api.models import ApiToken, digest
from besa.logbook.models import Entry
from besa.registry.models import User

SUFFICIENCY = {
    "kind": "budget_sufficiency",
    "payload": {
        "oficio_number": "SH/123/2025",
        "date": "2025-06-01",
        "amount": "20000000.00",
        "fiscal_year": 2025,
        "budget_key": "2025-12-610-2-1-01-00-001-25301-1-1-09",
    },
}


def create_token(user: User, *extra: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "token", "create", "--user", user.username, "--name", "SIAF", *extra, stdout=out, stderr=err
    )
    return out.getvalue().strip()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def listed_ocids(client: Client, token: str) -> set[str]:
    response = client.get("/api/contracts", headers=bearer(token))
    assert response.status_code == 200, response.content
    return {c["ocid"] for c in response.json()["items"]}


def test_a_token_acts_with_its_owners_scope(client: Client, world: World) -> None:
    operator_token = create_token(world.operator)
    coordinator_token = create_token(world.coordinator)

    assert listed_ocids(client, operator_token) == {world.contracts["A1"].ocid}
    assert listed_ocids(client, coordinator_token) == {
        world.contracts["A1"].ocid,
        world.contracts["A2"].ocid,
    }
    out_of_scope = f"/api/contracts/{world.contracts['B1'].ocid}"
    assert client.get(out_of_scope, headers=bearer(operator_token)).status_code == 404


def test_a_system_appends_with_its_token_without_session_or_csrf(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    token = create_token(world.operator)

    response = client.post(
        f"/api/contracts/{world.contracts['A1'].ocid}/entries",
        json.dumps(SUFFICIENCY),
        content_type="application/json",
        headers=bearer(token),
    )

    assert response.status_code == 201, response.content
    entry = Entry.objects.get(uuid=response.json()["id"])
    assert entry.actor["user"] == world.operator.username  # the owner is the actor


def test_an_oversight_token_reads_but_cannot_write(client: Client, world: World) -> None:
    token = create_token(world.oversight)
    url = f"/api/contracts/{world.contracts['A1'].ocid}/entries"

    assert client.get(url, headers=bearer(token)).status_code == 200
    response = client.post(
        url, json.dumps(SUFFICIENCY), content_type="application/json", headers=bearer(token)
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "spoil",
    ["wrong", "revoked", "expired", "owner_inactive", "other_scheme", "no_prefix"],
)
def test_a_token_that_is_not_usable_is_refused(client: Client, world: World, spoil: str) -> None:
    token = create_token(world.admin)
    header = bearer(token)
    row = ApiToken.objects.get()
    if spoil == "wrong":
        header = bearer(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    elif spoil == "revoked":
        call_command("token", "revoke", str(row.id), stdout=io.StringIO())
    elif spoil == "expired":
        row.expires_at = timezone.now() - dt.timedelta(seconds=1)
        row.save()
    elif spoil == "owner_inactive":
        world.admin.is_active = False
        world.admin.save()
    elif spoil == "other_scheme":
        header = {"Authorization": f"Token {token}"}
    else:
        header = bearer(token.removeprefix("besa_"))

    assert client.get("/api/contracts", headers=header).status_code == 401
    # And the same token, untouched, would have worked:
    assert (
        spoil != "wrong" or client.get("/api/contracts", headers=bearer(token)).status_code == 200
    )


def test_a_token_with_expiry_works_until_it_expires(client: Client, world: World) -> None:
    token = create_token(world.admin, "--expires-days", "30")

    assert client.get("/api/contracts", headers=bearer(token)).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        assert client.get("/api/contracts", headers=bearer(token)).status_code == 401


def test_only_the_tokens_hash_is_stored_and_listings_never_show_it(
    client: Client, world: World
) -> None:
    token = create_token(world.admin)
    row = ApiToken.objects.get()

    assert row.digest == digest(token) != token
    stored = json.dumps(list(ApiToken.objects.values()), default=str)
    assert token not in stored
    listing = io.StringIO()
    call_command("token", "list", stdout=listing)
    assert token not in listing.getvalue() and row.shown in listing.getvalue()
    client.force_login(User.objects.create_superuser("root", password="x"))
    for url in ("/admin/api/apitoken/", f"/admin/api/apitoken/{row.pk}/change/"):
        page = client.get(url).content.decode()
        assert token not in page and row.digest not in page
    assert client.get("/admin/api/apitoken/add/").status_code == 403  # only the command creates


def test_use_is_recorded_at_most_once_a_minute(client: Client, world: World) -> None:
    token = create_token(world.admin)
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        client.get("/api/contracts", headers=bearer(token))
        first = ApiToken.objects.get().last_used_at
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        client.get("/api/contracts", headers=bearer(token))
        assert ApiToken.objects.get().last_used_at == first
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        client.get("/api/contracts", headers=bearer(token))
        assert ApiToken.objects.get().last_used_at == start + dt.timedelta(seconds=61)
    assert first == start


def test_the_token_command_rejects_bad_input_naming_it(world: World) -> None:
    with pytest.raises(CommandError, match="--user"):
        call_command("token", "create", "--user", "nobody", "--name", "x")
    with pytest.raises(CommandError, match="--expires-days"):
        call_command("token", "create", "--user", "admin", "--name", "x", "--expires-days", "0")
    with pytest.raises(CommandError, match="not found"):
        call_command("token", "revoke", "besa_nothing")
    assert not ApiToken.objects.exists()


def test_a_token_never_reaches_the_logs_even_in_debug(
    client: Client, world: World, settings: object, caplog: pytest.LogCaptureFixture
) -> None:
    token = create_token(world.admin)
    settings.DEBUG = True  # type: ignore[attr-defined]

    with caplog.at_level("DEBUG"):
        for header in (f"Basic {token}", f"Bearer {token}x", f"bearer  {token}"):
            client.get("/api/contracts", headers={"Authorization": header})

    assert token not in caplog.text


def test_the_listing_tells_active_expired_and_revoked_tokens_apart(world: World) -> None:
    create_token(world.admin)
    create_token(world.operator, "--expires-days", "1")
    create_token(world.coordinator)
    call_command(
        "token", "revoke", ApiToken.objects.get(user=world.coordinator).shown, stdout=io.StringIO()
    )

    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        out = io.StringIO()
        call_command("token", "list", stdout=out)

    states = {
        line.split("user=")[1].split()[0]: line.split()[-3] for line in out.getvalue().splitlines()
    }
    assert states == {"admin": "active", "oper": "expired", "coord": "revoked"}
