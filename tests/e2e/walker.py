"""What the page walker looks for on a page, and which links it follows (pure: no browser).

``problems`` reads what a page shows (its text, its table cells, the text of its labels and
headings) and names every internal code, Python repr, ``None``, bilingual "es / en" pair
and, on English pages, every Spanish UI string left untranslated (the catalogue's msgids, and
Spanish words in labels and headings). ``pattern`` groups URLs that show the same kind of
page, so that the walk visits a few of each rather than every contract.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from babel.messages.pofile import read_po

import besa

CATALOGUE = Path(besa.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"

#: Subject references as the engine writes them (``deliverable:E4``, ``payment:886cb6db-…``).
_SUBJECT = re.compile(
    r"\b(?:deliverable|payment|invoice|cfdi|guarantee|amendment|penalty|deduction|entry"
    r"|contract|supplier):[\w-]+",
    re.IGNORECASE,
)
#: Python's reprs of dicts, lists, tuples, decimals, dates and objects.
_REPR = re.compile(
    r"\{'|\['|'\]|'\}|\[\]|\{\}|Decimal\(|datetime\.date|<[\w.]+ object at 0x|\bQuerySet\b"
)
_NONE = re.compile(r"(?<![\w-])(?:None|True|False)(?![\w-])(?! available)")  # Django's admin
#: Identifiers as the engine names things (``paid_beyond_accepted``, ``sat_32d``).
_IDENTIFIER = re.compile(r"(?<![\w./@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w./@-])")
#: A subject's kind as the engine stores it, alone in a cell.
_SUBJECT_KIND = re.compile(
    r"^(?:contract|deliverable|payment|invoice|supplier|amendment|guarantee|entry)$"
)
#: "texto en español / English text": a message in two languages at once (a slash between
#: Spanish words alone, as in "rechazada / parcial", is Spanish).
_SLASHED = re.compile(r"([^\n/]{0,60}) / ([^\n/]{0,60})")
ENGLISH_WORDS = frozenset(
    """the of to and after before days day late without with paid above below delivery
    deliveries payment payments signed activity since unsupported overpaid invalid unknown
    value required must within not is are has at on by for from contract guarantee amendment
    penalties penalty cap decision irregular rescission compliance opinions deadline
    registered missing short over under inconsistent expired out scope allowed only one
    least supplier buying unit""".split()  # noqa: SIM905 (a word list reads best as text)
)
_SEVERITY_CODE = re.compile(r"^[HML]$")

#: Words that a Spanish label or heading has and an English one does not.
SPANISH_WORDS = frozenset(
    """de del la las los el por para con sin una su sus que al hay sí fecha importe contrato
    contratos proveedor proveedores alerta alertas entrega entregas pago pagos garantía
    garantías institución instituciones unidad compradora monto estado riesgo datos abiertos
    buscar valor desconocido obligatorio debe estar entre tarde después firmado pagado
    encima movimiento desde opiniones cumplimiento penas tope decisión vencido entregada
    aceptada página anterior siguiente acciones nombre descripción plazo vencimiento días
    vigencia factura facturas penalización deductiva convenio modificatorio cierre rescisión
    suspensión terminación bitácora asiento asientos regla reglas severidad alta media baja
    abierta cerrada atendida resuelta usuario contraseña entrar salir administración inicio
    todos todas ninguno ninguna""".split()  # noqa: SIM905 (a word list reads best as text)
)
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Shown:
    """What a page shows: its visible text, the text of each table cell or definition (where
    a bare code would sit), and the text of its labels, headings and buttons."""

    text: str
    cells: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()


def problems(shown: Shown, language: str) -> list[str]:
    """Every problem on one page, each as ``what: 'the text'``; empty when the page is fine."""
    found: list[str] = []
    found += [f"internal code: {m.group(0)!r}" for m in _SUBJECT.finditer(shown.text)]
    found += [f"Python repr: {_around(shown.text, m)!r}" for m in _REPR.finditer(shown.text)]
    found += [f"Python value: {_around(shown.text, m)!r}" for m in _NONE.finditer(shown.text)]
    found += [f"internal identifier: {m.group(0)!r}" for m in _IDENTIFIER.finditer(shown.text)]
    found += [f"bilingual text: {pair!r}" for pair in _bilingual(shown.text)]
    found += [
        f"bare severity code in a cell: {cell!r}"
        for cell in shown.cells
        if _SEVERITY_CODE.match(cell.strip())
    ]
    found += [
        f"bare internal code in a cell: {cell!r}"
        for cell in shown.cells
        if _SUBJECT_KIND.match(cell.strip())
    ]
    if language == "en":
        found += [f"untranslated (catalogue): {s!r}" for s in _catalogue_strings_in(shown.text)]
        found += [f"Spanish label or heading: {label!r}" for label in _spanish(shown.labels)]
    else:
        found += [f"English label or heading: {label!r}" for label in _english(shown.labels)]
    return list(dict.fromkeys(found))


def _around(text: str, match: re.Match[str], width: int = 30) -> str:
    start, end = max(0, match.start() - width), min(len(text), match.end() + width)
    return " ".join(text[start:end].split())


def _bilingual(text: str) -> Iterator[str]:
    for match in _SLASHED.finditer(text):
        before, after = (_words(side) for side in match.groups())
        spanish = any(w in SPANISH_WORDS for w in before) or _ACCENTED.search(match.group(1))
        if spanish and any(w in ENGLISH_WORDS for w in after):
            yield " ".join(match.group(0).split())


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


_ACCENTED = re.compile(r"[áéíóúñÁÉÍÓÚÑ¿¡]")


#: Words that an English label or heading has and a Spanish one does not.
ENGLISH_LABEL_WORDS = frozenset(
    """the of and with without from days late payment payments delivery deliveries contract
    contracts supplier suppliers open closed amount date status search next previous sign
    risk alerts alert rule severity state subject summary""".split()  # noqa: SIM905
)


def _english(labels: Iterable[str]) -> Iterator[str]:
    for label in labels:
        if any(w.lower() in ENGLISH_LABEL_WORDS for w in _WORD.findall(label)):
            yield " ".join(label.split())


def _spanish(labels: Iterable[str]) -> Iterator[str]:
    for label in labels:
        words = [w.lower() for w in _WORD.findall(label)]
        if any(w in SPANISH_WORDS for w in words) or "¿" in label or "¡" in label:
            yield " ".join(label.split())


@cache
def untranslated_fragments() -> tuple[re.Pattern[str], ...]:
    """Spanish UI text that must not appear on an English page: each msgid of the catalogue
    whose translation differs from it, cut at its placeholders, fragments of three words or
    more (shorter ones also occur in data: an institution's or a contract's name). A fragment
    that begins or ends the msgid must begin or end where the page's text does (a line, a
    cell, a sentence): "Acta de entrega-recepción E2", a document's title, is data that
    merely starts like a UI string."""
    with CATALOGUE.open("rb") as handle:
        catalog = read_po(handle)
    found: dict[str, re.Pattern[str]] = {}
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or message.string == message.id:
            continue
        pieces = re.split(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}|<[^>]+>", message.id)
        for index, piece in enumerate(pieces):
            piece = " ".join(piece.split()).strip(" .,:;()—-")
            if len(piece.split()) < 3:
                continue
            words = r"\s+".join(re.escape(word) for word in piece.split())
            before = r"(?:^|(?<=[\n\t.:;(—]))\s*" if index == 0 else ""
            after = r"\s*(?=$|[\n\t.:;,)—?])" if index == len(pieces) - 1 else ""
            found[piece] = re.compile(before + words + after, re.MULTILINE)
    return tuple(found[piece] for piece in sorted(found, key=len, reverse=True))


def _catalogue_strings_in(text: str) -> Iterator[str]:
    for fragment in untranslated_fragments():
        match = fragment.search(text)
        if match:
            yield " ".join(match.group(0).split())


_ID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|ocds-[\w-]+|\d+", re.I
)


def pattern(url: str) -> str:
    """The kind of page a URL shows: its path with ids replaced, and its query's keys."""
    parts = urlsplit(url)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return _ID.sub("{id}", parts.path) + ("?" + "&".join(keys) if keys else "")


#: Paths the walk does not follow: downloads and API answers (not pages), the language
#: switch and sign-out (actions), and the Django admin beyond its index (Django's own UI).
NOT_PAGES = ("/api/", "/i18n/", "/cuenta/salir/", "/static/", "/media/")


def followed(url: str, origin: str) -> bool:
    """True when the walk should open ``url``: a page of this site that is not an action,
    a download, or a page of the Django admin other than its index."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin.rstrip("/"):
        return False
    if parts.path.startswith(NOT_PAGES):
        return False
    return not (parts.path.startswith("/admin/") and parts.path != "/admin/")
