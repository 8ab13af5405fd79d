"""The contract page's CFDI form: shown to writers only, records, refuses, scopes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.interop.cfdi.cfdi_files import VALID_UUID, cfdi, truncated
from tests.world import World

from besa.logbook.models import Entry


@pytest.fixture(autouse=True)
def _fake_sat(settings: pytest.FixtureRequest) -> None:
    settings.BESA_SAT_CFDI_CHECK = "fake"  # type: ignore[attr-defined]


def _page(world: World, unit: str) -> str:
    return f"/contratos/{world.contracts[unit].pk}/"


def _upload(client: Client, world: World, unit: str, data: bytes) -> object:
    file = SimpleUploadedFile("factura.xml", data, "application/xml")
    return client.post(_page(world, unit) + "cfdi/", {"file": file}, follow=True)


def test_the_form_is_shown_to_the_operator_but_not_to_oversight(
    client: Client, world: World
) -> None:
    client.force_login(world.operator)
    assert 'data-testid="cfdi-form"' in client.get(_page(world, "A1")).content.decode()
    client.force_login(world.oversight)
    assert 'data-testid="cfdi-form"' not in client.get(_page(world, "A1")).content.decode()


def test_an_operator_records_a_cfdi_from_the_contract_page(client: Client, world: World) -> None:
    client.force_login(world.operator)
    response = _upload(client, world, "A1", cfdi())
    html = response.content.decode()  # type: ignore[attr-defined]
    assert f"CFDI {VALID_UUID} registrado." in html
    assert "No verificado:" in html
    assert Entry.objects.filter(contract=world.contracts["A1"], kind="invoice").count() == 1


def test_the_page_speaks_english_when_asked(client: Client, world: World) -> None:
    client.force_login(world.operator)
    client.cookies["django_language"] = "en"
    html = _upload(client, world, "A1", cfdi()).content.decode()  # type: ignore[attr-defined]
    assert f"CFDI {VALID_UUID} recorded." in html and "Record a CFDI" in html


def test_a_truncated_file_is_refused_on_the_page_and_nothing_written(
    client: Client, world: World
) -> None:
    client.force_login(world.operator)
    response = _upload(client, world, "A1", truncated())
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "truncated XML" in response.content.decode()  # type: ignore[attr-defined]
    assert not Entry.objects.filter(kind="invoice").exists()


@pytest.mark.parametrize(
    ("persona", "unit", "status"), [("operator", "A2", 404), ("oversight", "A1", 403)]
)
def test_people_out_of_write_scope_cannot_upload(
    client: Client, world: World, persona: str, unit: str, status: int
) -> None:
    client.force_login(getattr(world, persona))
    assert _upload(client, world, unit, cfdi()).status_code == status  # type: ignore[attr-defined]
    assert not Entry.objects.filter(kind="invoice").exists()
