"""Recording CFDIs on contracts: accepted, refused with nothing written, idempotent, SAT
status from the fake service, the global UUID index, and A15 firing on a cancelled CFDI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from tests.interop.cfdi.cfdi_files import (
    FIXTURES,
    VALID_2_UUID,
    VALID_UUID,
    billion_laughs,
    cfdi,
    external_entity,
    latin1,
    truncated,
)
from tests.world import World

from besa.alerts.models import Alert
from besa.exceptions import InvalidInput, PermissionDenied
from besa.interop.cfdi.status import FakeStatusService, SoapStatusService
from besa.interop.cfdi.upload import status_service, upload_cfdi
from besa.logbook.actor import Actor
from besa.logbook.models import Entry, InvoiceUUID
from besa.logbook.rebuild import rebuild

SYSTEM = Actor.system("test")
RECEIVED = dt.date(2025, 7, 3)


@pytest.fixture(autouse=True)
def _fake_sat(settings: pytest.FixtureRequest) -> None:
    settings.BESA_SAT_CFDI_CHECK = "fake"  # type: ignore[attr-defined]


def _invoices(world: World, unit: str = "A1") -> list[Entry]:
    return list(Entry.objects.filter(contract=world.contracts[unit], kind="invoice"))


def test_a_valid_cfdi_is_appended_with_its_sat_status_and_file_digest(world: World) -> None:
    result = upload_cfdi(
        world.contracts["A1"], cfdi(), actor=SYSTEM, file_name="f.xml", date_received=RECEIVED
    )
    assert result.created and result.uuid == VALID_UUID and result.sat_status == "vigente"
    entry = result.entry
    assert entry.payload["total"] == "11600.00"
    assert entry.payload["issuer_rfc"] == "GODE561231GR8"
    assert entry.payload["date_received"] == "2025-07-03"
    assert entry.documents[0]["media_type"] == "application/xml"
    assert len(entry.documents[0]["sha256"]) == 64
    assert InvoiceUUID.objects.get(uuid=VALID_UUID).ocid == world.contracts["A1"].ocid


def test_the_same_file_twice_changes_nothing(world: World) -> None:
    first = upload_cfdi(world.contracts["A1"], cfdi(), actor=SYSTEM, date_received=RECEIVED)
    again = upload_cfdi(world.contracts["A1"], cfdi(), actor=SYSTEM, date_received=RECEIVED)
    assert not again.created and again.entry.pk == first.entry.pk
    assert len(_invoices(world)) == 1


def test_another_file_with_a_recorded_uuid_is_refused_on_the_same_contract(world: World) -> None:
    upload_cfdi(world.contracts["A1"], cfdi(), actor=SYSTEM, date_received=RECEIVED)
    # Same UUID, different bytes (pretty-printing removed): not the same file.
    with pytest.raises(InvalidInput) as refused:
        upload_cfdi(
            world.contracts["A1"], cfdi().replace(b"\n  ", b"\n"), actor=SYSTEM,
            date_received=RECEIVED,
        )  # fmt: skip
    assert refused.value.field == "payload.uuid"
    assert len(_invoices(world)) == 1


def test_a_uuid_recorded_on_another_contract_is_refused(world: World) -> None:
    upload_cfdi(world.contracts["A1"], cfdi(), actor=SYSTEM, date_received=RECEIVED)
    with pytest.raises(InvalidInput, match="another contract") as refused:
        upload_cfdi(world.contracts["A2"], cfdi(), actor=SYSTEM, date_received=RECEIVED)
    assert refused.value.field == "uuid"
    assert _invoices(world, "A2") == []


def test_the_global_index_refuses_a_uuid_even_when_the_pre_check_is_skipped(
    world: World,
) -> None:
    """The database, not the pre-check, is what makes the rule race-free."""
    from besa.logbook.append import append

    first = upload_cfdi(world.contracts["A1"], cfdi(), actor=SYSTEM, date_received=RECEIVED)
    payload = {**first.entry.payload}
    with pytest.raises(InvalidInput, match="another contract") as refused:
        append(world.contracts["A2"], "invoice", payload, actor=SYSTEM)
    assert refused.value.field == "payload.uuid"
    assert _invoices(world, "A2") == []


@pytest.mark.parametrize(
    ("name", "field"),
    [("other-issuer.xml", "payload.issuer_rfc"), ("other-receiver.xml", "payload.receiver_rfc")],
)
def test_an_invoice_from_a_non_supplier_or_to_another_institution_is_refused(
    world: World, name: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        upload_cfdi(world.contracts["A1"], cfdi(name), actor=SYSTEM, date_received=RECEIVED)
    assert refused.value.field == field
    assert _invoices(world) == [] and not InvoiceUUID.objects.exists()


@pytest.mark.parametrize(
    "make",
    [
        billion_laughs,
        external_entity,
        truncated,
        latin1,
        lambda: cfdi().replace(b'Total="11600.00"', b'Total="11700.00"'),
    ],
    ids=["billion-laughs", "external-entity", "truncated", "latin-1", "bad-total"],
)
def test_malformed_files_write_nothing(world: World, make: Callable[[], bytes]) -> None:
    with pytest.raises(InvalidInput):
        upload_cfdi(world.contracts["A1"], make(), actor=SYSTEM, date_received=RECEIVED)
    assert not Entry.objects.filter(kind="invoice").exists()


def test_an_oversized_file_is_refused_by_the_configured_limit(
    world: World, settings: pytest.FixtureRequest
) -> None:
    settings.BESA_CFDI_MAX_BYTES = 1024  # type: ignore[attr-defined]
    with pytest.raises(InvalidInput, match="exceeds the maximum of 1024 bytes"):
        upload_cfdi(world.contracts["A1"], cfdi(), actor=SYSTEM)
    assert _invoices(world) == []


def test_a_person_out_of_scope_is_refused_before_anything_is_read(world: World) -> None:
    with pytest.raises(PermissionDenied):
        upload_cfdi(world.contracts["A2"], b"not even xml", actor=Actor.of(world.operator))


def test_a_cancelled_cfdi_opens_alert_a15(world: World) -> None:
    fake = FakeStatusService({VALID_UUID: "cancelado"})
    result = upload_cfdi(
        world.contracts["A1"], cfdi(), actor=SYSTEM, date_received=RECEIVED, service=fake
    )
    assert result.sat_status == "cancelado"
    assert fake.calls == [(VALID_UUID, "GODE561231GR8", "EKU9003173C9", Decimal("11600.00"))]
    alert = Alert.objects.get(contract=world.contracts["A1"], rule="A15")
    assert alert.subject == f"invoice:{VALID_UUID}"


def test_the_status_service_follows_the_setting(settings: pytest.FixtureRequest) -> None:
    settings.BESA_SAT_CFDI_CHECK = "off"  # type: ignore[attr-defined]
    assert status_service() is None
    settings.BESA_SAT_CFDI_CHECK = "fake"  # type: ignore[attr-defined]
    settings.BESA_SAT_CFDI_FAKE = f"{VALID_UUID}=no_encontrado"  # type: ignore[attr-defined]
    fake = status_service()
    assert isinstance(fake, FakeStatusService)
    assert fake.overrides == {VALID_UUID: "no_encontrado"}


@pytest.mark.parametrize(("debug", "expected"), [(True, type(None)), (False, SoapStatusService)])
def test_without_a_setting_production_checks_at_the_sat_and_a_debug_deployment_does_not(
    settings: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, debug: bool, expected: type
) -> None:
    del settings.BESA_SAT_CFDI_CHECK  # type: ignore[attr-defined]
    monkeypatch.delenv("BESA_SAT_CFDI_CHECK", raising=False)
    settings.DEBUG = debug  # type: ignore[attr-defined]
    assert type(status_service()) is expected


def test_a_cfdi_whose_status_the_sat_cannot_give_is_recorded_as_unknown_and_raises_a15(
    world: World,
) -> None:
    fake = FakeStatusService({VALID_UUID: "desconocido"})
    result = upload_cfdi(
        world.contracts["A1"], cfdi(), actor=SYSTEM, date_received=RECEIVED, service=fake
    )
    assert result.created and result.sat_status == "desconocido"
    alert = Alert.objects.get(contract=world.contracts["A1"], rule="A15")
    assert alert.evidence["breaches"] == ["sat_unknown"]


def test_rebuild_restores_the_uuid_index_from_the_logbook(world: World) -> None:
    upload_cfdi(world.contracts["A1"], cfdi(), actor=SYSTEM, date_received=RECEIVED)
    assert rebuild(write=False).changed == []
    InvoiceUUID.objects.all().delete()
    assert rebuild().changed == [world.contracts["A1"].ocid]
    assert InvoiceUUID.objects.get(uuid=VALID_UUID).contract == world.contracts["A1"]
    assert rebuild(write=False).changed == []


def test_a_rectified_uuid_moves_its_index_row(world: World) -> None:
    from besa.logbook.append import append

    first = upload_cfdi(world.contracts["A1"], cfdi(), actor=SYSTEM, date_received=RECEIVED)
    corrected = {**first.entry.payload, "uuid": VALID_2_UUID}
    append(
        world.contracts["A1"],
        "rectification",
        {"corrects": str(first.entry.uuid), "reason": "UUID mal capturado", "payload": corrected},
        actor=SYSTEM,
    )
    assert list(InvoiceUUID.objects.values_list("uuid", flat=True)) == [VALID_2_UUID]
    assert rebuild(write=False).changed == []


def _import(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("import", "cfdi", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_the_cli_imports_several_files_and_a_second_run_changes_nothing(world: World) -> None:
    ocid = world.contracts["A1"].ocid
    files = [str(FIXTURES / "valid.xml"), str(FIXTURES / "valid-2.xml")]
    status, out = _import("--contract", ocid, "--received", "2025-07-03", *files)
    assert status == 0, out
    assert f"CFDI {VALID_UUID} recorded" in out and f"CFDI {VALID_2_UUID} recorded" in out
    status, out = _import("--contract", ocid, "--received", "2025-07-03", *files)
    assert status == 0 and out.count("already recorded, unchanged") == 2
    assert len(_invoices(world)) == 2


def test_the_cli_writes_nothing_when_one_file_is_bad(world: World, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(billion_laughs())
    status, out = _import(
        "--contract", world.contracts["A1"].ocid, str(FIXTURES / "valid.xml"), str(bomb)
    )
    assert status == 1
    assert "bomb.xml: file" in out and "DOCTYPE" in out and "nothing was written" in out
    assert _invoices(world) == []
