"""``POST /api/cfdi/{ocid}``: upload, replay, refusals and scoping."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.interop.cfdi.cfdi_files import VALID_UUID, billion_laughs, cfdi
from tests.world import World

from besa.logbook.models import Entry


@pytest.fixture(autouse=True)
def _fake_sat(settings: pytest.FixtureRequest) -> None:
    settings.BESA_SAT_CFDI_CHECK = "fake"  # type: ignore[attr-defined]


def _post(client: Client, world: World, unit: str, data: bytes) -> object:
    return client.post(
        f"/api/cfdi/{world.contracts[unit].ocid}",
        {
            "file": SimpleUploadedFile("f.xml", data, "application/xml"),
            "date_received": "2025-07-03",
        },
    )


def test_an_operator_uploads_a_cfdi_and_a_retry_answers_200(client: Client, world: World) -> None:
    client.force_login(world.operator)
    first = _post(client, world, "A1", cfdi())
    assert first.status_code == 201, first.content  # type: ignore[attr-defined]
    body = first.json()  # type: ignore[attr-defined]
    assert body["uuid"] == VALID_UUID and body["sat_status"] == "vigente"
    assert any("not issued by the SAT" in line for line in body["not_verified"])
    again = _post(client, world, "A1", cfdi())
    assert again.status_code == 200  # type: ignore[attr-defined]
    assert again.json()["entry_id"] == body["entry_id"]  # type: ignore[attr-defined]
    assert Entry.objects.filter(kind="invoice").count() == 1


def test_a_bomb_answers_422_naming_the_file_and_writes_nothing(
    client: Client, world: World
) -> None:
    client.force_login(world.operator)
    response = _post(client, world, "A1", billion_laughs())
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert response.json()["field"] == "file"  # type: ignore[attr-defined]
    assert not Entry.objects.filter(kind="invoice").exists()


@pytest.mark.parametrize(
    ("persona", "unit", "status"), [("operator", "A2", 404), ("oversight", "A1", 403)]
)
def test_callers_out_of_write_scope_are_refused(
    client: Client, world: World, persona: str, unit: str, status: int
) -> None:
    client.force_login(getattr(world, persona))
    assert _post(client, world, unit, cfdi()).status_code == status  # type: ignore[attr-defined]
    assert not Entry.objects.filter(kind="invoice").exists()


def test_an_oversized_upload_answers_422_and_writes_nothing(
    client: Client, world: World, settings: pytest.FixtureRequest
) -> None:
    settings.BESA_CFDI_MAX_BYTES = 2000  # type: ignore[attr-defined]
    client.force_login(world.operator)
    response = _post(client, world, "A1", cfdi())
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "exceeds the maximum of 2000 bytes" in response.json()["detail"]  # type: ignore[attr-defined]
    assert not Entry.objects.filter(kind="invoice").exists()
