"""The pure parsers and name matching, on the real files and on small hand-made ones."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.interop.lists.conftest import fixture_bytes, sanctions_file, sat69b_file

from besa.exceptions import InvalidInput
from besa.interop.compranet import contracts
from besa.interop.lists import names, sanctions, sat69b


def test_the_real_69b_list_is_read_with_its_preamble_date_and_normalised_statuses() -> None:
    parsed = sat69b.parse(fixture_bytes("sat-69b-listado-completo-2022-11-30.csv"))
    assert parsed.stated_date == dt.date(2022, 11, 30)
    statuses = {e.status for e in parsed.entries}
    assert statuses == {"presunto", "desvirtuado", "definitivo", "sentencia_favorable"}
    first = parsed.entries[0]
    assert (first.line, first.rfc, first.status) == (4, "AAA080808HL8", "sentencia_favorable")
    assert first.name == "ASESORES EN AVALÚOS Y ACTIVOS, S.A. DE C.V."  # Latin-1 decoded
    assert first.published == dt.date(2018, 6, 1)
    # Every row is either stored or reported with its line and reason.
    assert len(parsed.entries) + len(parsed.skipped) == 12666
    rfc_skips = [s for s in parsed.skipped if "RFC" in s.reason]
    assert rfc_skips and all("XXXXXXXXXXXX" in s.reason for s in rfc_skips)


def test_a_69b_row_with_an_unknown_status_is_skipped_with_its_line() -> None:
    rows = [
        ("AAA010101AAA", "UNO SA", "Presunto", "01/02/2025"),
        ("BBB010101BBB", "DOS SA", "En revisión", "01/02/2025"),
    ]
    parsed = sat69b.parse(sat69b_file(rows))
    assert [e.rfc for e in parsed.entries] == ["AAA010101AAA"]
    assert [(s.line, "unknown status" in s.reason) for s in parsed.skipped] == [(5, True)]


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("3R INNOVACIÓN Y DISEÑO, S.A. DE  C.V.", "3R INNOVACION Y DISEÑO"),
        ("Puentes y Estructuras Tovego S.A de C.V.", "PUENTES Y ESTRUCTURAS TOVEGO"),
        ("COMERCIALIZADORA ACME, S. DE R.L. DE C.V.", "COMERCIALIZADORA ACME"),
        ("Grupo A. B. C., S.C.", "GRUPO ABC"),
        ("Servicios Integrales, S.A.P.I. de C.V.", "SERVICIOS INTEGRALES"),
        ("FUNDACIÓN X, A.C.", "FUNDACION X"),
    ],
)
def test_names_are_normalised_for_matching(raw: str, normalised: str) -> None:
    assert names.normalise(raw) == normalised


def test_similarity_scores_word_order_alike_and_different_names_low() -> None:
    acme = names.normalise("Grupo Acme Industrial, S.A. de C.V.")
    assert names.similarity(acme, names.normalise("ACME GRUPO INDUSTRIAL SA DE CV")) == 100
    assert names.similarity(acme, names.normalise("Grupo Acme Industria")) >= 90
    assert names.similarity(acme, names.normalise("Constructora del Norte")) < 50


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1 AÑO 6 MESES", (1, 6, 0)), ("TRES MESES", (0, 3, 0)), ("2 AÑOS", (2, 0, 0)),
     ("", None)],
)  # fmt: skip
def test_debarment_terms_are_read(text: str, expected: tuple[int, int, int] | None) -> None:
    assert sanctions.term(text) == expected


def test_a_debarment_ends_the_day_before_its_term_runs_out() -> None:
    assert sanctions.add_term(dt.date(2014, 5, 7), 1, 0, 0) == dt.date(2015, 5, 6)
    assert sanctions.add_term(dt.date(2015, 1, 31), 0, 1, 0) == dt.date(2015, 2, 27)


def test_the_real_sanctions_directory_yields_debarments_and_fines() -> None:
    parsed = sanctions.parse(fixture_bytes("sfp-sancionados-2017.csv"))
    statuses = {e.status for e in parsed.entries}
    assert {"inhabilitado", "multa"} <= statuses
    debarment = next(e for e in parsed.entries if e.name.startswith("A  AND P") or
                     e.name_key == "A AND P INTERNATIONAL")  # fmt: skip
    assert (debarment.status, debarment.start, debarment.end) == (
        "inhabilitado", dt.date(2014, 5, 7), dt.date(2015, 5, 6))  # fmt: skip
    assert all(e.end is None for e in parsed.entries if e.status == "multa")
    assert len(parsed.entries) + len(parsed.skipped) == 1504
    assert all(s.line > 1 and s.reason for s in parsed.skipped)


def test_a_sanctions_row_without_a_date_for_its_debarment_is_skipped() -> None:
    row = '"ACME, S.A. DE C.V.",IMSS,1/2020,x,x,MULTA E INHABILITACIÓN,,,1 AÑO,10,x'
    parsed = sanctions.parse(sanctions_file([row]))
    assert parsed.entries == []
    assert parsed.skipped[0].line == 2 and "without a date" in parsed.skipped[0].reason


def test_compranet_tolerates_a_bom_crlf_and_the_2015_empty_first_header() -> None:
    raw = fixture_bytes("sample_Contratos2015_150514075424.csv")
    assert raw.startswith(b",SIGLAS")
    parsed = contracts.parse(b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n"))
    assert len(parsed.contracts) + len(parsed.skipped) == 397
    first = parsed.contracts[0]
    assert first.level == "APF" and first.currency == "MXN"
    assert any("public works" in s.reason for s in parsed.skipped)


@pytest.mark.parametrize(
    ("parse", "data", "field", "words"),
    [
        (sanctions.parse, b"Proveedor,Dependencia\nACME,IMSS\n", "line 1",
         "numero de expediente"),
        (sanctions.parse, "Proveedor,Dependencia,Número\n".encode("cp1252"),
         "line 1", "not utf-8"),
        (sat69b.parse, "No,RFC\n1,AAA010101AAA\n".encode("utf-16"), "line 1", "utf-16"),
        (sat69b.parse, b"Informacion,\nsin encabezado,\n", "file", "header"),
    ],
)  # fmt: skip
def test_malformed_list_files_get_an_error_naming_the_line_or_columns(
    parse: object, data: bytes, field: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(data)  # type: ignore[operator]
    assert caught.value.field == field
    assert words in str(caught.value).lower()


def test_a_truncated_file_is_rejected_with_the_line_it_breaks_on() -> None:
    raw = fixture_bytes("sfp-sancionados-2017.csv")
    cut = raw[: raw.index(b"\n", 5000) + 40]  # mid-record
    with pytest.raises(InvalidInput) as caught:
        sanctions.parse(cut)
    assert caught.value.field.startswith("line ") and "trunca" in caught.value.message


def test_a_compranet_file_missing_columns_names_every_missing_one() -> None:
    raw = fixture_bytes("sample_Contratos2013_150514080004.csv")
    header, rest = raw.split(b"\n", 1)
    header = header.replace(b"CODIGO_CONTRATO", b"CODIGO").replace(b"IMPORTE_CONTRATO", b"IMPORTE")
    with pytest.raises(InvalidInput) as caught:
        contracts.parse(header + b"\n" + rest)
    assert caught.value.field == "line 1"
    assert "codigo_contrato" in caught.value.message
    assert "importe_contrato" in caught.value.message
