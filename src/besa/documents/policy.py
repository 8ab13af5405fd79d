"""Which uploaded files BESA keeps: a size limit and a list of allowed types, decided from
the file's first bytes (content sniffing), never from its name alone.

Pure: no Django, no storage. ``sniff(head, name)`` names the media type the bytes are;
``check(name, data, ...)`` raises ``DocumentRefused`` with a message that names the file and
says what to do (bilingual, as every engine message; ``reason`` lets a page say it in one
language). An executable renamed ``.pdf`` is sniffed as an executable and refused.
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from io import BytesIO

from besa.exceptions import DocumentRefused

#: The largest file accepted by default (``BESA_DOCUMENT_MAX_BYTES`` overrides it).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: Bytes read to decide a file's type (enough for every signature below and an XML prolog).
HEAD_BYTES = 4096

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
TIFF = "image/tiff"
XML = "application/xml"
ZIP = "application/zip"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
OLE = "application/x-ole-storage"  # legacy .doc/.xls: may carry macros, refused by default
EXECUTABLE = "application/x-executable"

#: Allowed by default (``BESA_DOCUMENT_TYPES`` overrides it, comma-separated).
DEFAULT_TYPES = frozenset({PDF, PNG, JPEG, GIF, WEBP, TIFF, XML, ZIP, DOCX, XLSX, PPTX, ODT, ODS})

#: Executables and scripts: refused whatever the settings say.
_EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",  # Linux
    b"\xcf\xfa\xed\xfe",  # Mach-O 64
    b"\xce\xfa\xed\xfe",  # Mach-O 32
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # scripts
)
_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
)
_OOXML = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}


def sniff(data: bytes) -> str | None:
    """The media type of ``data`` (the whole file, or at least its first ``HEAD_BYTES``),
    or ``None`` when it is none BESA knows. ZIP containers are opened to tell office
    documents from plain archives when the whole file is given."""
    if data.startswith(_EXECUTABLE_MAGIC):
        return EXECUTABLE
    for magic, media_type in _SIGNATURES:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<?xml") or (text.startswith(b"<") and b"<html" not in text[:512].lower()):
        return XML
    return None


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared in (ODT, ODS):
                    return declared
            if any(n.lower().endswith((".exe", ".dll", ".bat", ".cmd", ".msi")) for n in names):
                return EXECUTABLE
    except (zipfile.BadZipFile, OSError, ValueError):
        return ZIP  # only its head was given, or it is damaged: a plain archive at best
    for prefix, media_type in _OOXML.items():
        if any(name.startswith(prefix) for name in names):
            return media_type
    return ZIP


def check(name: str, data: bytes, *, max_bytes: int, allowed: Collection[str]) -> str:
    """Return the media type of the file ``name`` with content ``data``, or raise
    ``DocumentRefused`` naming the file and what to do."""
    if not data:
        raise DocumentRefused(
            "empty", name, f"«{name}» está vacío: elija el archivo correcto / «{name}» is empty"
        )
    if len(data) > max_bytes:
        limit = f"{max_bytes / 1024 / 1024:.0f} MiB"
        raise DocumentRefused(
            "too_large",
            name,
            f"«{name}» pesa más de {limit}: redúzcalo o divídalo en varios archivos / "
            f"«{name}» is larger than {limit}: reduce it or split it into several files",
            max_bytes,
        )
    media_type = sniff(data)
    if media_type == EXECUTABLE:
        raise DocumentRefused(
            "executable",
            name,
            f"«{name}» es un programa ejecutable, no un documento: adjunte el documento en PDF "
            f"/ «{name}» is an executable program, not a document: attach it as a PDF",
        )
    if media_type is None or media_type not in allowed:
        raise DocumentRefused(
            "type",
            name,
            f"«{name}» no es de un tipo aceptado (PDF, imagen, XML, documento de oficina o ZIP): "
            f"conviértalo a PDF / «{name}» is not an accepted type (PDF, image, XML, office "
            f"document or ZIP): convert it to PDF",
        )
    return media_type
