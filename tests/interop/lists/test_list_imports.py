"""SAT 69-B and sanctions imports: snapshots, idempotence, re-screening (A16), atomicity."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.interop.lists.conftest import fixture_bytes, sat69b_file, table_dump
from tests.world import World, make_contract

from besa.alerts.models import Alert, AlertState
from besa.registry.models import Listing, ListSnapshot, SanctionMatch
from besa.registry.suppliers import register_supplier

Importer = Callable[..., tuple[int, str]]
SAT = "sat-69b-listado-completo-2022-11-30.csv"
WORLD_RFC = "GODE561231GR8"  # the world's supplier, on its four running contracts


def a16(world: World) -> list[Alert]:
    return list(Alert.objects.filter(rule="A16").exclude(state=AlertState.CORRECTED))


def test_the_real_69b_list_imports_once_and_a_second_import_changes_nothing(
    world: World, importer: Importer
) -> None:
    status, report = importer("sat-69b", fixture_bytes(SAT), name=SAT)
    assert status == 0, report
    snapshot = ListSnapshot.objects.get()
    assert (snapshot.list, str(snapshot.snapshot_date)) == ("sat_69b", "2022-11-30")
    assert snapshot.row_count == Listing.objects.filter(snapshot=snapshot).count() > 12000
    assert "skipped line 12478" in report  # the placeholder RFCs at the end, with their line
    before = table_dump()
    status, again = importer("sat-69b", fixture_bytes(SAT), name=SAT)
    assert status == 0 and "already imported" in again
    assert table_dump() == before


def test_a_supplier_on_the_real_list_raises_a16_on_its_running_contract_at_import(
    world: World, importer: Importer
) -> None:
    listed = register_supplier(rfc="AAA091014835", name="Aquaeris", strict=False)  # desvirtuado
    definitive = register_supplier(rfc="ACO101220B96", name="Araxaxa Comunicación", strict=False)
    for supplier in (listed, definitive):
        make_contract(world.admin, world.units["A1"], supplier)
    status, report = importer("sat-69b", fixture_bytes(SAT), name=SAT)
    assert status == 0, report
    (alert,) = a16(world)
    assert alert.subject == "supplier:ACO101220B96"  # definitivo; the desvirtuado one is cleared
    assert "A16 1" in report


def test_a_supplier_added_to_the_69b_list_while_its_contract_runs_raises_a16_at_import(
    world: World, importer: Importer
) -> None:
    world.operator.email = "operador@example.org"  # hears of its buying unit's alerts
    world.operator.save()
    other = ("AAA010101AAA", "OTRO CONTRIBUYENTE, S.A. DE C.V.", "Definitivo", "01/02/2024")
    first = sat69b_file([other], stated="30 de junio de 2025")
    assert importer("sat-69b", first)[0] == 0
    assert a16(world) == []

    added = (WORLD_RFC, "EDUARDO GONZÁLEZ", "Presunto", "01/07/2025")
    status, report = importer("sat-69b", sat69b_file([other, added], "31 de julio de 2025"))
    assert status == 0, report
    alerts = a16(world)
    assert {a.contract_id for a in alerts} == {c.pk for c in world.contracts.values()}
    assert {a.evidence["listings"][0]["moment"] for a in alerts} == {"during_execution"}
    assert "4 alerts opened (A16 4)" in report
    (on_a1,) = [a for a in alerts if a.contract_id == world.contracts["A1"].pk]
    assert on_a1.notifications.filter(recipient=world.operator).exists()  # same machinery

    # The next list still names the supplier: nothing is raised twice.
    status, report = importer("sat-69b", sat69b_file([other, added], "31 de agosto de 2025"))
    assert status == 0 and "0 alerts opened" in report
    assert len(a16(world)) == 4
    assert Alert.objects.filter(rule="A16").count() == 4


def test_a_supplier_cleared_from_the_list_has_its_a16_corrected(
    world: World, importer: Importer
) -> None:
    listed = (WORLD_RFC, "EDUARDO GONZÁLEZ", "Presunto", "01/07/2025")
    importer("sat-69b", sat69b_file([listed], "31 de julio de 2025"))
    assert len(a16(world)) == 4
    cleared = (WORLD_RFC, "EDUARDO GONZÁLEZ", "Desvirtuado", "01/07/2025")
    status, report = importer("sat-69b", sat69b_file([cleared], "31 de agosto de 2025"))
    assert status == 0 and "4 corrected" in report
    assert a16(world) == []
    assert ListSnapshot.objects.count() == 2  # the older snapshot is kept


def test_a_list_without_a_stated_date_needs_date_and_writes_nothing_without_it(
    world: World, importer: Importer
) -> None:
    data = sat69b_file([(WORLD_RFC, "X", "Presunto", "01/07/2025")], stated="sin fecha")
    status, report = importer("sat-69b", data)
    assert status == 2 and "--date" in report
    assert not ListSnapshot.objects.exists() and not Listing.objects.exists()
    assert importer("sat-69b", data, "--date", "2025-07-31")[0] == 0
    assert str(ListSnapshot.objects.get().snapshot_date) == "2025-07-31"


@pytest.mark.parametrize(
    ("source", "data"),
    [
        ("sat-69b", "Información actualizada al 1 de julio de 2025\nNo,RFC\n".encode("utf-16")),
        ("sat-69b", sat69b_file([(WORLD_RFC, "X", "Presunto", "01/07/2025")])[:-30]),
        ("sanctions", fixture_bytes("sfp-sancionados-2017.csv").decode().encode("cp1252")),
        ("sanctions", b"Proveedor,Dependencia\nACME,IMSS\n"),
        ("sanctions", fixture_bytes("sfp-sancionados-2017.csv")[:100_000]),
    ],
    ids=["69b-utf16", "69b-truncated", "sanctions-latin1", "sanctions-columns",
         "sanctions-truncated"],
)  # fmt: skip
def test_malformed_list_files_are_rejected_and_write_nothing(
    world: World, importer: Importer, source: str, data: bytes
) -> None:
    before = table_dump()
    status, report = importer(source, data, "--date", "2025-07-31")
    assert status == 2
    assert report.startswith("error: ") and "nothing was imported" in report
    assert table_dump() == before


def test_the_real_sanctions_files_import_and_reimport_identically(
    world: World, importer: Importer
) -> None:
    for name, day in (("sfp-sancionados-2017.csv", "2017-01-31"),
                      ("sfp-sancionados-2017_2.csv", "2017-02-28")):  # fmt: skip
        status, report = importer("sanctions", fixture_bytes(name), "--date", day, name=name)
        assert status == 0, report
        assert "skipped line" in report
    before = table_dump()
    status, report = importer(
        "sanctions", fixture_bytes("sfp-sancionados-2017.csv"), "--date", "2017-01-31"
    )
    assert status == 0 and "already imported" in report
    assert table_dump() == before
    assert not SanctionMatch.objects.exists()  # no world supplier resembles a sanctioned one


def test_an_interrupted_rescreening_is_finished_by_importing_the_same_file_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from besa.interop.lists import sat69b, snapshots

    data = sat69b_file([(WORLD_RFC, "EDUARDO GONZÁLEZ", "Definitivo", "01/07/2025")])
    parsed = sat69b.parse(data)

    def crash(rfcs: object, now: object) -> None:
        raise RuntimeError("worker killed")

    monkeypatch.setattr(snapshots, "rescreen", crash)
    with pytest.raises(RuntimeError):
        snapshots.import_list(parsed, data, file_name="x.csv")
    assert ListSnapshot.objects.get().rescreened_at is None  # the snapshot itself committed
    assert a16(world) == []
    monkeypatch.undo()
    report = snapshots.import_list(parsed, data, file_name="x.csv")
    assert report.already and report.rescreen.opened == 4
    assert len(a16(world)) == 4 and ListSnapshot.objects.get().rescreened_at is not None
