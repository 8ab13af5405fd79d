"""SAT art. 69 lists: SAT's seven file layouts, one list per file, A16 at import, idempotence,
bad files refused whole.

``../shared/data`` holds no art. 69 file, so the files here are written for the tests in the
layout SAT publishes (Windows-1252, CRLF, header on the first line, no preamble; the
per-file headers as measured on SAT's files in August 2026: see ``besa.interop.lists.sat69``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest
from tests.interop.lists.conftest import table_dump
from tests.world import World

from besa.alerts.models import Alert, AlertState
from besa.exceptions import InvalidInput
from besa.interop.lists import sat69
from besa.registry.models import Listing, ListSnapshot

Importer = Callable[..., tuple[int, str]]
WORLD_RFC = "GODE561231GR8"  # the world's supplier, on its four running contracts
OTHER = ("AAG090703QT6", "APLICA AGUASCALIENTES SA DE CV")

HEADERS = {
    "firmes": "RFC,RAZON SOCIAL,TIPO PERSONA,SUPUESTO,FECHAS DE PRIMERA PUBLICACION,"
    "ENTIDAD FEDERATIVA",
    "no_localizados": "RFC,RAZÓN SOCIAL,TIPO PERSONA,SUPUESTO,FECHAS DE PRIMERA PUBLICACION,"
    "ENTIDAD FEDERATIVA",
    "sentencias": "RFC,RAZÓN SOCIAL,TIPO PERSONA,SUPUESTO,FECHAS DE PRIMERA PUBLICACION,"
    "ENTIDAD FEDERATIVA",
    "cancelados": "RFC,RAZÓN SOCIAL,TIPO PERSONA,SUPUESTO,FECHA DE PUBLICACION,"
    "FECHA DE CANCELACION,MONTO,ENTIDAD FEDERATIVA",
    "entes_omisos": "RFC,RAZÓN SOCIAL,SUPUESTO,FECHAS DE PRIMERA PUBLICACION,EJERCICIO,PERIODO",
    "csd_sin_efectos": "RFC,NOMBRE O RAZON SOCIAL,SUPUESTO DE CANCELACION CSD,"
    "FECHA DE PRIMERA PUBLICACION,FECHA DE CANCELACION CSD,ENTIDAD",
}
CASES = {
    "firmes": "FIRMES",
    "no_localizados": "NO LOCALIZADOS",
    "sentencias": "SENTENCIAS",
    "cancelados": "CANCELADOS",
    "entes_omisos": "ENTES PUBLICOS OMISOS",
    "csd_sin_efectos": "FRACCION X",
}


def row(part: str, rfc: str, name: str, published: str) -> str:
    """One line of ``part``'s file, its cells in that file's column order."""
    case = CASES[part]
    if part == "cancelados":
        return f'{rfc},"{name}",M,{case},{published},15/03/2023,"125,000.00",JALISCO'
    if part == "entes_omisos":
        return f'{rfc},"{name}",{case},{published},2023,ENERO'
    if part == "csd_sin_efectos":
        return f'{rfc},"{name}",{case},{published},01/01/2024,SONORA'
    return f'{rfc},"{name}",M,{case},{published},CIUDAD DE MEXICO'


def sat69_file(part: str, rows: Iterable[tuple[str, str, str]]) -> bytes:
    lines = [HEADERS[part], *(row(part, *r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def a16() -> list[Alert]:
    return list(Alert.objects.filter(rule="A16").exclude(state=AlertState.CORRECTED))


@pytest.mark.parametrize("part", sorted(HEADERS))
def test_each_of_sats_art_69_layouts_parses(part: str) -> None:
    data = sat69_file(part, [(*OTHER, "01/01/2014"), ("XXXXXXXXXXXX", "Información suprimida",
                                                        "01/01/2015")])  # fmt: skip
    parsed = sat69.parse(data, part)
    assert parsed.list_name == sat69.PARTS[part][0]
    (entry,) = parsed.entries
    assert (entry.rfc, entry.name, str(entry.published)) == (*OTHER, "2014-01-01")
    assert entry.status == CASES[part].lower()
    (skipped,) = parsed.skipped
    assert skipped.line == 3 and "suprimido" in skipped.reason


def test_a_taxpayer_listed_for_several_credits_is_one_entry_with_its_first_publication() -> None:
    data = sat69_file(
        "firmes",
        [(*OTHER, "05/06/2020"), (*OTHER, "01/01/2014"), (WORLD_RFC, "EDUARDO", "02/02/2022")],
    )
    parsed = sat69.parse(data, "firmes")
    assert [(e.rfc, str(e.published)) for e in parsed.entries] == [
        (OTHER[0], "2014-01-01"), (WORLD_RFC, "2022-02-02"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "part"),
    [("Firmes.csv", "firmes"), ("No_localizados.csv", "no_localizados"),
     ("CSDsinefectos.csv", "csd_sin_efectos"),
     ("EntespublicosydeGobiernoomisos.csv", "entes_omisos"), ("lista.csv", None)],
)  # fmt: skip
def test_the_list_is_known_by_sats_file_name(name: str, part: str | None) -> None:
    assert sat69.part_of(name) == part


@pytest.mark.parametrize(
    ("data", "line", "says"),
    [
        pytest.param(b"RFC,NOMBRE,FECHA\r\nAAA010101AAA,X,01/01/2020\r\n", "line 1",
                     "faltan columnas", id="not an art. 69 header"),
        pytest.param(HEADERS["firmes"].encode() + b"\r\nAAG090703QT6,\"APLICA,M,FIRMES\r\n",
                     "line 2", "truncado", id="ends inside a quoted name"),
        pytest.param(HEADERS["firmes"].encode() + b"\r\nAAG090703QT6,APLICA,M\r\n",
                     "line 2", "columnas", id="a short row"),
        pytest.param(HEADERS["firmes"].encode() + b"\r\nAAG090703QT6,APLICA,M,FIRMES,01/01/2014,X",
                     "line 2", "truncado", id="last line unterminated"),
        pytest.param(b"\xff\xfeR\x00F\x00C\x00\r\x00\n\x00", "line 1", "nulos", id="UTF-16"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_naming_its_line_and_nothing_is_written(
    world: World, importer: Importer, data: bytes, line: str, says: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        sat69.parse(data, "firmes")
    assert refused.value.field == line and says in refused.value.message
    before = table_dump()
    status, report = importer("sat-69", data, "--date", "2025-08-07", name="Firmes.csv")
    assert status == 2 and f"error: {line}:" in report and "nothing was imported" in report
    assert table_dump() == before


def test_an_art_69_listing_raises_a16_at_import_and_reimporting_changes_nothing(
    world: World, importer: Importer
) -> None:
    data = sat69_file("firmes", [(*OTHER, "01/01/2014"), (WORLD_RFC, "EDUARDO GONZÁLEZ",
                                                          "01/02/2025")])  # fmt: skip
    status, report = importer("sat-69", data, "--date", "2025-08-07", name="Firmes.csv")
    assert status == 0, report
    snapshot = ListSnapshot.objects.get()
    assert (snapshot.list, str(snapshot.snapshot_date), snapshot.row_count) == (
        "sat_69_firmes", "2025-08-07", 2,
    )  # fmt: skip
    alerts = a16()
    assert {a.contract_id for a in alerts} == {c.pk for c in world.contracts.values()}
    assert alerts[0].evidence["listings"] == [
        {"list": "sat_69_firmes", "status": "firmes", "published": "2025-02-01",
         "moment": "at_signing"}
    ]  # fmt: skip
    assert "4 alerts opened (A16 4)" in report

    before = table_dump()
    status, again = importer("sat-69", data, "--date", "2025-08-07", name="Firmes.csv")
    assert status == 0 and "already imported" in again
    assert table_dump() == before


def test_a_newer_file_of_another_art_69_list_does_not_hide_the_first(
    world: World, importer: Importer
) -> None:
    firmes = sat69_file("firmes", [(WORLD_RFC, "EDUARDO GONZÁLEZ", "01/02/2025")])
    assert importer("sat-69", firmes, "--date", "2025-08-07", name="Firmes.csv")[0] == 0
    later = sat69_file("no_localizados", [(*OTHER, "01/01/2014")])
    status, report = importer(
        "sat-69", later, "--date", "2025-09-01", "--list", "no_localizados", name="nl.csv"
    )
    assert status == 0, report
    assert len(a16()) == 4  # still listed on Firmes
    assert set(Listing.objects.values_list("list", flat=True)) == {
        "sat_69_firmes", "sat_69_no_localizados",
    }  # fmt: skip

    # The next Firmes file no longer names the supplier: its A16 alerts are corrected.
    cleared = sat69_file("firmes", [(*OTHER, "01/01/2014")])
    assert importer("sat-69", cleared, "--date", "2025-10-01", name="Firmes.csv")[0] == 0
    assert a16() == []


def test_an_art_69_file_needs_a_date_and_a_known_list(world: World, importer: Importer) -> None:
    data = sat69_file("firmes", [(*OTHER, "01/01/2014")])
    status, report = importer("sat-69", data, name="Firmes.csv")
    assert status == 2 and "error: --date:" in report
    status, report = importer("sat-69", data, "--date", "2025-08-07", name="renamed.csv")
    assert status == 2 and "error: --list:" in report
    assert not ListSnapshot.objects.exists()


def test_a_file_without_a_publication_date_lists_its_taxpayers_with_unknown_dates() -> None:
    data = b"RFC,NOMBRE O RAZON SOCIAL,SUPUESTO DE CANCELACION CSD\r\nAAG090703QT6,APLICA,X\r\n"
    (entry,) = sat69.parse(data, "csd_sin_efectos").entries
    assert (entry.rfc, entry.published) == ("AAG090703QT6", None)
