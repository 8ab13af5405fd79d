"""The access log: reads of non-public data are recorded (who, what, when) and oversight
queries those of its institutions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from tests.world import World

from besa.accesslog.models import Read, What


def test_the_access_log_records_a_read_of_a_non_public_contract(
    client: Client, world: World
) -> None:
    contract = world.contracts["A1"]
    client.force_login(world.coordinator)
    before = timezone.now()
    assert client.get(f"/contratos/{contract.pk}/").status_code == 200
    read = Read.objects.get()
    assert (read.user, read.what, read.contract, read.institution) == (
        world.coordinator,
        What.CONTRACT,
        contract,
        world.inst_a,
    )
    assert read.path == f"/contratos/{contract.pk}/"
    assert before <= read.at <= timezone.now()


def test_reads_out_of_scope_and_anonymous_reads_are_not_recorded(
    client: Client, world: World
) -> None:
    client.force_login(world.coordinator)
    assert client.get(f"/contratos/{world.contracts['B1'].pk}/").status_code == 404
    Client().get(f"/publico/contratos/{world.contracts['A1'].ocid}/")
    assert not Read.objects.exists()


def test_alert_export_and_api_reads_are_recorded(client: Client, world: World) -> None:
    from besa.api import tokens

    contract = world.contracts["A2"]
    client.force_login(world.coordinator)
    client.get("/alertas/exportar/csv/")
    _, token = tokens.issue(world.operator, "sistema", timezone.now())
    Client().get(
        f"/api/contracts/{world.contracts['A1'].ocid}",
        headers={"Authorization": f"Bearer {token}"},
    )
    client.get(f"/api/contracts/{contract.ocid}/entries")
    found = sorted((r.what, r.user.username, r.contract_id) for r in Read.objects.all())
    assert found == sorted(
        [
            (What.EXPORT, "coord", None),
            (What.API, "oper", world.contracts["A1"].pk),
            (What.API, "coord", contract.pk),
        ]
    )


@pytest.mark.parametrize("language", ["es", "en"])
def test_oversight_queries_the_reads_of_its_institutions(
    client: Client, world: World, language: str
) -> None:
    reader = Client()
    reader.force_login(world.admin)
    for code in ("A1", "B1"):
        reader.get(f"/contratos/{world.contracts[code].pk}/")
    client.cookies["django_language"] = language
    client.force_login(world.oversight)  # oversees institution A only
    page = client.get("/registro-de-accesos/").content.decode()
    assert world.contracts["A1"].ocid in page and world.contracts["B1"].ocid not in page
    by_contract = client.get(
        "/registro-de-accesos/", {"contract": world.contracts["A1"].ocid, "user": "admin"}
    ).content.decode()
    assert world.contracts["A1"].ocid in by_contract
    nobody = client.get("/registro-de-accesos/", {"user": "coord"}).content.decode()
    assert world.contracts["A1"].ocid not in nobody
    bad = client.get("/registro-de-accesos/", {"since": "ayer"})
    assert bad.status_code == 422
    assert ("no es una fecha" if language == "es" else "is not a date") in bad.content.decode()


def test_only_oversight_and_administrators_query_the_log(client: Client, world: World) -> None:
    client.force_login(world.coordinator)
    assert client.get("/registro-de-accesos/").status_code == 403
    client.force_login(world.admin)
    assert client.get("/registro-de-accesos/").status_code == 200
