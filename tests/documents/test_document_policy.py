"""The size and type policy decides from the bytes, not the name (pure, no Django)."""

from __future__ import annotations

import io
import zipfile

import pytest

from besa.documents import policy
from besa.exceptions import DocumentRefused

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 60


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _check(name: str, data: bytes, max_bytes: int = 1024 * 1024) -> str:
    return policy.check(name, data, max_bytes=max_bytes, allowed=policy.DEFAULT_TYPES)


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (PDF, policy.PDF),
        (PNG, policy.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", policy.JPEG),
        (b'\xef\xbb\xbf<?xml version="1.0"?><cfdi:Comprobante/>', policy.XML),
        (_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), policy.DOCX),
        (_zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}), policy.XLSX),
        (_zip({"mimetype": policy.ODS.encode(), "content.xml": b"<x/>"}), policy.ODS),
        (_zip({"acta.pdf": PDF, "fotos/1.png": PNG}), policy.ZIP),
    ],
)
def test_accepted_types_are_told_by_their_content(data: bytes, media_type: str) -> None:
    assert _check("cualquier-nombre.bin", data) == media_type


def test_an_executable_renamed_pdf_is_refused_naming_the_file() -> None:
    with pytest.raises(DocumentRefused) as refused:
        _check("acta-de-entrega.pdf", WINDOWS_EXE)
    assert refused.value.reason == "executable"
    assert refused.value.field == "file"
    assert "«acta-de-entrega.pdf»" in refused.value.message
    assert "PDF" in refused.value.message  # says what to do


def test_linux_executables_scripts_and_archives_of_programs_are_refused() -> None:
    for name, data in (
        ("informe.pdf", ELF),
        ("informe.pdf", b"#!/bin/sh\nrm -rf /\n"),
        ("fotos.zip", _zip({"setup.exe": WINDOWS_EXE})),
    ):
        with pytest.raises(DocumentRefused) as refused:
            _check(name, data)
        assert refused.value.reason == "executable", name


def test_unknown_types_empty_files_and_large_files_are_refused() -> None:
    with pytest.raises(DocumentRefused) as unknown:
        _check("notas.txt", b"texto sin formato conocido")
    assert unknown.value.reason == "type" and "«notas.txt»" in unknown.value.message
    with pytest.raises(DocumentRefused) as html:
        _check("pagina.xml", b"<html><script>alert(1)</script></html>")
    assert html.value.reason == "type"
    with pytest.raises(DocumentRefused) as empty:
        _check("vacio.pdf", b"")
    assert empty.value.reason == "empty"
    with pytest.raises(DocumentRefused) as large:
        _check("grande.pdf", PDF + b"0" * 2048, max_bytes=1024)
    assert large.value.reason == "too_large" and large.value.limit == 1024


def test_a_type_not_in_the_configured_list_is_refused() -> None:
    with pytest.raises(DocumentRefused):
        policy.check("foto.png", PNG, max_bytes=10_000, allowed={policy.PDF})
