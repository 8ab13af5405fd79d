"""Reading an uploaded CFDI safely: size, encoding, no DTD, strict XML, CFDI 4.0 root.

Everything here runs before satcfdi sees the document. satcfdi's own lxml parser is built
for convenience (``recover=True`` quietly repairs truncated XML, ``huge_tree=True`` lifts
lxml's limits), so an upload never reaches it: the bytes are checked and parsed here with a
strict parser and only the resulting element is handed over.

Pure: no Django, no I/O.
"""

from __future__ import annotations

import re

from lxml import etree

from besa.exceptions import InvalidInput

#: The CFDI 4.0 root element (Anexo 20, version 4.0).
CFDI40_ROOT = "{http://www.sat.gob.mx/cfd/4}Comprobante"

#: Default upper bound of an uploaded CFDI. Real invoices weigh a few kilobytes; one with
#: thousands of concepts stays well under a megabyte.
DEFAULT_MAX_BYTES = 2 * 1024 * 1024

_UTF8_BOM = b"\xef\xbb\xbf"
# A DOCTYPE is the only door to entities (billion laughs, external entities / XXE); a CFDI
# never has one, so its mere presence is refused, whatever it declares.
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DECLARED = re.compile(r"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")

# Strict and closed: no recovery, no entity expansion, no DTD loading, no network, lxml's
# default tree limits kept.
_PARSER = etree.XMLParser(
    resolve_entities=False,
    load_dtd=False,
    no_network=True,
    dtd_validation=False,
    huge_tree=False,
    recover=False,
    remove_blank_text=True,
    remove_comments=True,
    remove_pis=True,
)


def read_document(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """Return the root element of the CFDI 4.0 in ``data``, or raise ``InvalidInput``.

    Refused, in this order, each naming the field ``file``: a file over ``max_bytes``; an
    empty file; bytes that are not UTF-8 (Anexo 20 mandates UTF-8) or a declaration naming
    another encoding; any DOCTYPE or ENTITY declaration; XML that is not well formed
    (truncated, unbalanced); a root that is not a CFDI 4.0 ``Comprobante``.
    """
    if len(data) > max_bytes:
        raise InvalidInput(
            "file",
            f"el archivo excede el máximo de {max_bytes} bytes / "
            f"the file exceeds the maximum of {max_bytes} bytes ({len(data)})",
        )
    if not data.strip():
        raise InvalidInput("file", "el archivo está vacío / the file is empty")
    text = _decode(data)
    if _DTD.search(text):
        raise InvalidInput(
            "file",
            "el XML contiene una declaración DOCTYPE/ENTITY, no permitida en un CFDI / "
            "the XML contains a DOCTYPE/ENTITY declaration, not allowed in a CFDI",
        )
    try:
        root = etree.fromstring(data.removeprefix(_UTF8_BOM), parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        raise InvalidInput(
            "file",
            f"XML mal formado o truncado (línea {line}) / "
            f"malformed or truncated XML (line {line}): {exc.msg}",
        ) from exc
    if root.tag != CFDI40_ROOT:
        raise InvalidInput(
            "file",
            f"no es un CFDI 4.0 (raíz {root.tag}) / not a CFDI 4.0 (root {root.tag})",
        )
    return root


def _decode(data: bytes) -> str:
    """The document as text, provided it is UTF-8 and says nothing else."""
    try:
        text = data.removeprefix(_UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            "file",
            f"el archivo no está en UTF-8 (línea {line}, byte {exc.start}) / "
            f"the file is not UTF-8 (line {line}, byte {exc.start})",
        ) from exc
    declared = _DECLARED.match(text)
    if declared and declared.group(1).lower().replace("_", "-") not in {"utf-8", "utf8"}:
        raise InvalidInput(
            "file",
            f"codificación declarada {declared.group(1)}; un CFDI debe ser UTF-8 / "
            f"declared encoding {declared.group(1)}; a CFDI must be UTF-8",
        )
    return text
