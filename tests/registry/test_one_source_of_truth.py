"""A contract's registry row is the projection of its logbook, and nothing else writes it.

Personas: the central administrator (a Django superuser) in the admin, an operator recording
facts through the API, a citizen downloading open data, and an insider with database access.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from tests.world import World

from besa.alerts.models import Alert
from besa.logbook import projection
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.models import Entry
from besa.logbook.verify import verify
from besa.registry.models import Contract, ContractSupplier, User


@pytest.fixture
def superuser(world: World) -> User:
    return User.objects.create_superuser("root", password="x")


@pytest.fixture
def alert(world: World) -> Alert:
    contract = world.contracts["A1"]
    now = timezone.now()
    return Alert.objects.create(
        contract=contract, ocid=contract.ocid, institution=world.inst_a, rule="A01",
        subject="", severity="H", evidence={}, opened_at=now, updated_at=now,
    )  # fmt: skip


def _admin_urls(world: World, alert: Alert) -> Iterator[tuple[str, Any]]:
    yield "/admin/registry/contract/", world.contracts["A1"].pk
    yield "/admin/logbook/entry/", Entry.objects.filter(ocid=world.contracts["A1"].ocid)[0].pk
    yield "/admin/alerts/alert/", alert.pk


def test_the_admin_shows_contracts_entries_and_alerts_but_cannot_add_change_or_delete_them(
    client: Client, world: World, superuser: User, alert: Alert
) -> None:
    client.force_login(superuser)
    for listing, pk in _admin_urls(world, alert):
        changelist = client.get(listing)
        assert changelist.status_code == 200, listing
        assert f'href="{listing}add/"' not in changelist.content.decode(), listing
        shown = client.get(f"{listing}{pk}/change/")
        assert shown.status_code == 200, listing
        assert 'type="submit"' not in shown.content.decode().split('id="content-main"')[1], listing
        assert client.get(f"{listing}add/").status_code == 403, listing
        assert client.post(f"{listing}add/", {"amount": "1.00"}).status_code == 403, listing
        assert client.post(f"{listing}{pk}/change/", {"amount": "1.00"}).status_code == 403
        assert client.post(f"{listing}{pk}/delete/", {"post": "yes"}).status_code == 403
    assert Contract.objects.get(pk=world.contracts["A1"].pk).amount == Decimal("20000000.00")
    assert Alert.objects.filter(pk=alert.pk).exists()


def test_the_contract_change_view_shows_the_registered_amount_read_only(
    client: Client, world: World, superuser: User
) -> None:
    client.force_login(superuser)
    page = client.get(f"/admin/registry/contract/{world.contracts['A1'].pk}/change/")
    html = page.content.decode()
    assert "20000000" in html.replace(",", "")
    assert 'name="amount"' not in html


def test_catalogues_stay_editable_but_the_identifiers_a_logbook_quotes_do_not(
    client: Client, world: World, superuser: User
) -> None:
    client.force_login(superuser)
    assert (
        'href="/admin/registry/supplier/add/"'
        in client.get("/admin/registry/supplier/").content.decode()
    )
    supplier_form = client.get(f"/admin/registry/supplier/{world.supplier.pk}/change/")
    assert 'name="name"' in supplier_form.content.decode()
    assert 'name="rfc"' not in supplier_form.content.decode()
    unit_form = client.get(f"/admin/registry/buyingunit/{world.units['A1'].pk}/change/")
    assert 'name="name"' in unit_form.content.decode()
    assert 'name="code"' not in unit_form.content.decode()


def _registration(contract: Contract) -> Entry:
    return Entry.objects.get(contract=contract, kind="registration")


def _rectify_registration(client: Client, contract: Contract, **terms: str) -> Any:
    registration = _registration(contract)
    corrected = {**registration.payload, "contract": {**registration.payload["contract"], **terms}}
    body = {
        "kind": "rectification",
        "payload": {
            "corrects": str(registration.uuid),
            "reason": "El importe se capturó con un error de dedo",
            "payload": corrected,
        },
    }
    return client.post(
        f"/api/contracts/{contract.ocid}/entries",
        json.dumps(body),
        content_type="application/json",
    )


def _csv_row(client: Client, ocid: str) -> dict[str, str]:
    response = client.get("/api/opendata/contracts.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return next(row for row in csv.DictReader(io.StringIO(text)) if row["ocid"] == ocid)


def test_a_rectified_registration_changes_the_contract_page_the_api_and_the_open_data_csv(
    client: Client, world: World
) -> None:
    contract = world.contracts["A1"]
    client.force_login(world.operator)

    response = _rectify_registration(
        client, contract, amount="80000000.00", title="Adquisición de vacunas"
    )

    assert response.status_code == 201, response.content
    row = Contract.objects.get(pk=contract.pk)
    assert (row.amount, row.title) == (Decimal("80000000.00"), "Adquisición de vacunas")
    page = client.get(f"/contratos/{contract.pk}/").content.decode()
    assert "80,000,000.00" in page and "Adquisición de vacunas" in page
    api = client.get(f"/api/contracts/{contract.ocid}").json()
    assert api["title"] == "Adquisición de vacunas"
    assert api["snapshot"]["current_amount"] == "80000000.00"
    client.logout()  # open data is for everyone
    published = _csv_row(client, contract.ocid)
    assert (Decimal(published["amount"]), published["title"]) == (
        Decimal("80000000.00"), "Adquisición de vacunas",
    )  # fmt: skip
    assert verify().intact


def test_an_amendment_leaves_the_signed_terms_in_the_row_and_the_terms_in_force_in_the_state(
    world: World,
) -> None:
    contract = world.contracts["A1"]
    append(
        contract,
        "amendment",
        {
            "amendment_id": "CM-1",
            "signing_date": "2025-09-01",
            "types": ["amount", "term"],
            "amount_change": "2000000.00",
            "new_end_date": "2026-03-31",
            "justification": "Ampliación de la cobertura",
        },
        actor=Actor.of(world.admin),
    )
    row = Contract.objects.get(pk=contract.pk)
    assert (row.amount, row.end_date.isoformat()) == (Decimal("20000000.00"), "2025-12-31")
    snapshot = row.state.snapshot
    assert (snapshot["current_amount"], snapshot["current_end_date"]) == (
        "22000000.00", "2026-03-31",
    )  # fmt: skip
    assert verify().intact


def _behind_the_back(sql: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_fails_naming_a_contract_whose_amount_was_edited_in_sql_and_rebuild_repairs_it(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = world.contracts["B2"]
    _behind_the_back("UPDATE registry_contract SET amount = 1.00 WHERE ocid = %s", contract.ocid)

    with pytest.raises(SystemExit) as verified:
        call_command("verify")
    assert verified.value.code == 1
    assert (
        f"BROKEN: {contract.ocid}: registry row differs from the logbook: "
        "amount stored 1.00, logbook 20000000.00"
    ) in capsys.readouterr().err

    with pytest.raises(SystemExit) as checked:
        call_command("rebuild", "--check")
    assert checked.value.code == 1
    assert f"registry row differed: {contract.ocid}: amount stored 1.00" in capsys.readouterr().out
    assert Contract.objects.get(pk=contract.pk).amount == Decimal("1.00")  # --check wrote nothing

    call_command("rebuild")
    assert Contract.objects.get(pk=contract.pk).amount == Decimal("20000000.00")
    call_command("verify")
    assert "intact" in capsys.readouterr().out


def test_a_supplier_link_or_buying_unit_changed_in_sql_is_a_break_that_rebuild_repairs(
    world: World,
) -> None:
    contract = world.contracts["A2"]
    _behind_the_back(
        "DELETE FROM registry_contractsupplier WHERE contract_id = %s", contract.pk.hex
    )
    _behind_the_back(
        "UPDATE registry_contract SET buying_unit_id = %s WHERE id = %s",
        world.units["B1"].pk.hex, contract.pk.hex,
    )  # fmt: skip
    breaks = dict(projection.contract_row_breaks())
    assert breaks[contract.ocid] == (
        "buying_unit stored B1, logbook A2; "
        f"suppliers stored none, logbook {world.supplier.rfc} 100.00 %"
    )
    assert [b.ocid for b in verify().breaks] == [contract.ocid]

    call_command("rebuild")

    assert list(projection.contract_row_breaks()) == []
    links = ContractSupplier.objects.filter(contract=contract)
    assert [(link.supplier_id, link.share_percent) for link in links] == [
        (world.supplier.pk, Decimal("100.00"))
    ]
    assert Contract.objects.get(pk=contract.pk).buying_unit_id == world.units["A2"].pk


def test_every_registered_contract_row_equals_its_projection(world: World) -> None:
    for contract in Contract.objects.select_related("state"):
        assert projection.stored_row(contract.pk) == projection.contract_row(
            contract.state.snapshot
        )
    assert Contract.objects.count() == len(world.contracts)


def test_a_contract_row_inserted_without_a_registration_entry_is_a_break(world: World) -> None:
    registered = Contract.objects.get(pk=world.contracts["A1"].pk)
    registered.pk, registered.ocid = uuid.uuid4(), "ocds-besa00-inserted-behind-the-back"
    Contract.objects.bulk_create([registered])  # no logbook, as the old admin allowed

    assert [(b.ocid, b.what) for b in verify().breaks] == [
        (
            "ocds-besa00-inserted-behind-the-back",
            "registry row differs from the logbook: the contract has no registration entry",
        )
    ]
